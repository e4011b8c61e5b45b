"""The filter forms of the recommendations and measures lists. Every filter is a GET parameter,
so any filtered list is a URL that can be shared or saved."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from recommendations.models import (
    OVERALL_STATUS_CHOICES,
    AffectedGroup,
    FollowUpAssessment,
    Measure,
    Recommendation,
    Status,
    SustainableDevelopmentGoal,
    Theme,
)
from recommendations.deadlines import FOLLOW_UP
from tracker.filters import BootstrapFilterSet, countries_with
from tracker.models import Country, LocalName, Mechanism, Milestone, Organisation, ReportingCycle

ANY = _("Any")
YES_NO = [("true", _("Yes")), ("false", _("No"))]


class FilterForm(forms.Form):
    """Gives each widget its Bootstrap class, and groups the fields for the template."""

    # (legend, field names) after the always-open first group; empty: one group of all fields.
    groups: list[tuple[str, list[str]]] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            else:
                widget.attrs["class"] = "form-control form-control-sm"

    def fieldsets(self) -> list[dict]:
        """The fields by group; a group is folded unless one of its filters is in use."""
        grouped = {name for _legend, names in self.groups for name in names}
        fieldsets = [{"legend": "", "fields": [self[n] for n in self.fields if n not in grouped],
                      "open": True}]
        for legend, names in self.groups:
            used = any(self.data.get(name) or self.errors.get(name) for name in names)
            fieldsets.append({"legend": legend, "fields": [self[n] for n in names], "open": used})
        return fieldsets


class YesNoSelect(forms.Select):
    """Any / Yes / No, for a BooleanFilter (django-filter's own says "Unknown" for "any")."""

    def __init__(self) -> None:
        super().__init__(choices=[("", ANY)] + YES_NO)


class CheckedByDefault(forms.CheckboxInput):
    """A checkbox that is ticked when its parameter is absent, as on a first visit or a link.

    A browser sends nothing for an unticked box, so the form also sends a hidden "0" before it:
    "0" alone means unticked; "0" then "1" means ticked (the last value wins).
    """

    def render(
        self, name: str, value: object, attrs: dict | None = None, renderer: object = None
    ) -> SafeString:
        hidden = format_html('<input type="hidden" name="{}" value="0">', name)
        return hidden + super().render(name, value, attrs, renderer)

    def value_from_datadict(self, data: Mapping, files: Mapping, name: str) -> bool:
        if name not in data:
            return True
        values = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
        return values[-1] in ("1", "on", "true")


class PlainSelect(forms.Select):
    """A select whose options are joined in Python, straight from its choices. Django builds a
    dictionary for each option and renders it through a template of its own: a fifth of a second
    for the thousand options of the recommendations list's filters, on every page of it. The
    choices are flat (no groups), as every filter's are."""

    def render(
        self, name: str, value: object, attrs: dict | None = None, renderer: object = None
    ) -> SafeString:
        chosen = self.format_value(value)
        options, selected = [], False
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            # Only the first match is selected, as Django's Select does.
            is_selected = not selected and option_value in chosen
            selected |= is_selected
            options.append(f'<option value="{escape(option_value)}"'
                           f'{" selected" if is_selected else ""}>{escape(label)}</option>')
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html("<select name=\"{}\"{}>{}</select>", name, attrs,
                           mark_safe("".join(options)))


class OneQueryModelChoiceIterator(ModelChoiceIterator):
    def __iter__(self) -> Iterator[tuple]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # The queryset itself, not queryset.iterator(): its rows are read once and kept.
        for obj in self.queryset:
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.queryset) + (self.field.empty_label is not None)


class OneQueryModelChoiceField(ModelChoiceField):
    """A model choice field that reads its choices once per form. Django's reads them to draw
    the select and again to check the chosen value: a list with eight such filters would pay
    sixteen queries per page."""

    iterator = OneQueryModelChoiceIterator
    widget = PlainSelect

    def to_python(self, value: object) -> models.Model | None:
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        for choice in self.queryset:
            if str(getattr(choice, key)) == str(value):
                return choice
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class OneQueryModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = OneQueryModelChoiceField


def cycles(query: Mapping[str, str]) -> QuerySet[ReportingCycle]:
    """The cycles to choose from: the chosen country's, past ones included. Without a country,
    only the chosen cycle, if any: even the current cycles of all countries make a select of
    thousands, which weighs on every page of the list."""
    queryset = ReportingCycle.objects.select_related("country", "mechanism")
    country = query.get("country", "")
    # Read before the form checks it: what cannot be a code (a NUL byte is a database error on
    # PostgreSQL) chooses nothing, and the form says the country is not one of the choices.
    if country.isalnum():
        return queryset.filter(country__code=country)
    cycle = query.get("cycle", "")
    return queryset.filter(pk=cycle) if cycle.isdigit() else queryset.none()


class RecommendationFilterForm(FilterForm):
    groups = [
        (_("Topics"), ["theme", "goal", "affected_group"]),
        (_("Follow-up"), ["status", "organisation", "organisation_status", "urgent", "follow_up",
                          "has_follow_up"]),
        (_("Universal Periodic Review"), ["position", "recommending_state"]),
        (_("Date issued"), ["date_from", "date_to"]),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # "16.3 Promote the rule of law…" says more in a list of 186 than "Target 16.3". A slice,
        # not Truncator, which weighed a fifth of the form's choices on every page of the list.
        self.fields["goal"].label_from_instance = lambda goal: (
            f"{goal.code} {goal.title if len(goal.title) <= 70 else goal.title[:69] + '…'}"
        )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("organisation_status") and not data.get("organisation"):
            self.add_error("organisation", _("Choose the organisation whose status to filter by."))
        return data


class RecommendationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Words in the text"), method="filter_text", max_length=200
    )
    # By the copies of the name and code: an index on them gives the rows in the list's order.
    # The choices read only what their options show: a few hundred rows on every page of the list.
    country = OneQueryModelChoiceFilter(
        label=_("Country"), to_field_name="code", empty_label=ANY,
        queryset=Country.objects.filter(
            Exists(Recommendation.objects.filter(country=OuterRef("pk")))
        ).only("code", *LocalName.NAME_FIELDS),
        field_name="country_name", method="filter_by_name",
    )
    mechanism = OneQueryModelChoiceFilter(
        label=_("Mechanism"), to_field_name="code", empty_label=ANY,
        queryset=Mechanism.objects.all(), field_name="mechanism_code", method="filter_by_code",
    )
    cycle = OneQueryModelChoiceFilter(
        label=_("Cycle"), queryset=ReportingCycle.objects.none(), empty_label=ANY,
        help_text=_("Choose a country, then filter: its cycles are listed here."),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Recommendation.Kind.choices, empty_label=ANY
    )
    current = django_filters.BooleanFilter(
        label=_("Current cycles only"), widget=CheckedByDefault(), method="filter_current"
    )
    theme = OneQueryModelChoiceFilter(
        label=_("Theme"), to_field_name="code", queryset=Theme.objects.all(), empty_label=ANY,
        method="filter_theme",
    )
    goal = OneQueryModelChoiceFilter(
        label=_("Sustainable Development Goal or target"), to_field_name="code", empty_label=ANY,
        queryset=SustainableDevelopmentGoal.objects.select_related("goal"), method="filter_goal",
    )
    affected_group = OneQueryModelChoiceFilter(
        label=_("Affected group"), to_field_name="code", queryset=AffectedGroup.objects.all(),
        empty_label=ANY, method="filter_affected_group",
    )
    status = django_filters.ChoiceFilter(
        label=_("Current status"), choices=OVERALL_STATUS_CHOICES, empty_label=ANY
    )
    organisation = OneQueryModelChoiceFilter(
        label=_("Followed up by"), empty_label=ANY,
        queryset=Organisation.objects.filter(
            Exists(FollowUpAssessment.objects.filter(organisation=OuterRef("pk")))
        ).only("name"),
        method="filter_organisation",
    )
    organisation_status = django_filters.ChoiceFilter(
        label=_("Status given by that organisation"), choices=Status.choices, empty_label=ANY,
        method="filter_organisation",
    )
    urgent = django_filters.BooleanFilter(label=_("Urgent measures"), widget=YesNoSelect())
    follow_up = django_filters.BooleanFilter(
        label=_("Selected for follow-up"), widget=YesNoSelect()
    )
    has_follow_up = django_filters.BooleanFilter(
        label=_("Follow-up logged"), widget=YesNoSelect(), method="filter_has_follow_up"
    )
    position = django_filters.ChoiceFilter(
        label=_("State's position"), choices=Recommendation.Position.choices, empty_label=ANY
    )
    recommending_state = OneQueryModelChoiceFilter(
        label=_("Recommending State"), to_field_name="code", empty_label=ANY,
        queryset=Country.objects.filter(
            Exists(Recommendation.recommending_states.through.objects.filter(
                country=OuterRef("pk")
            ))
        ).only("code", *LocalName.NAME_FIELDS),
        method="filter_recommending_state",
    )
    date_from = django_filters.DateFilter(
        label=_("Issued from"), field_name="date", lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("Issued until"), field_name="date", lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Recommendation
        fields: list[str] = []
        form = RecommendationFilterForm

    def __init__(self, data=None, *args, **kwargs) -> None:
        """Filter by the query parameters `data` alone: the list, its exports and the
        background export (recommendations.tasks) give the same ones and get the same rows."""
        # Always bound, even on a first visit with no parameters: "current cycles only" is a
        # filter that applies by default, and django-filter ignores an unbound form.
        super().__init__(data if data is not None else {}, *args, **kwargs)
        self.filters["cycle"].queryset = cycles(self.data)

    def filter_by_name(self, queryset: QuerySet, name: str, value: Country) -> QuerySet:
        return queryset.filter(**{name: value.name})

    def filter_by_code(self, queryset: QuerySet, name: str, value: Mechanism) -> QuerySet:
        return queryset.filter(**{name: value.code})

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)

    def filter_theme(self, queryset: QuerySet, name: str, value: Theme) -> QuerySet:
        return queryset.with_theme(value)

    def filter_goal(
        self, queryset: QuerySet, name: str, value: SustainableDevelopmentGoal
    ) -> QuerySet:
        return queryset.with_goal(value)

    def filter_affected_group(
        self, queryset: QuerySet, name: str, value: AffectedGroup
    ) -> QuerySet:
        return queryset.with_affected_group(value)

    def filter_recommending_state(self, queryset: QuerySet, name: str, value: Country) -> QuerySet:
        return queryset.recommended_by(value)

    def filter_has_follow_up(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        # Spelt "IN", not as with_follow_up() does: SQLite takes any partial index whose
        # condition the query implies (the dashboard's, on has_follow_up = false), then sorts
        # every row of it, instead of reading a page from an index in the list's order.
        return queryset.filter(has_follow_up__in=[value])

    def filter_organisation(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        # One filter from two fields: called for each, it acts once, on the organisation.
        if name != "organisation":
            return queryset
        return queryset.assessed_by(value, self.form.cleaned_data.get("organisation_status", ""))

    def filter_current(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        # A chosen cycle is shown whether it is current or not.
        if not value or self.form.cleaned_data.get("cycle"):
            return queryset
        return queryset.current()


class MeasureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Words in the title"), field_name="title", lookup_expr="icontains", max_length=200
    )
    country = OneQueryModelChoiceFilter(
        label=_("Country"), to_field_name="code", empty_label=ANY,
        queryset=Country.objects.filter(Exists(Measure.objects.filter(country=OuterRef("pk")))),
    )
    responsible = OneQueryModelChoiceFilter(
        label=_("Responsible organisation"), empty_label=ANY,
        queryset=Organisation.objects.filter(
            Exists(Measure.objects.filter(responsible=OuterRef("pk")))
        ),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Measure.Status.choices, empty_label=ANY
    )
    late = django_filters.BooleanFilter(label=_("Late"), widget=YesNoSelect(), method="filter_late")

    class Meta:
        model = Measure
        fields: list[str] = []
        form = FilterForm

    def filter_late(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.late() if value else queryset.exclude(pk__in=Measure.objects.late())


class ReviewQueueFilter(django_filters.FilterSet):
    """The review queue's filters: whose entries, on which country and mechanism."""

    country = OneQueryModelChoiceFilter(
        label=_("Country"), field_name="recommendation__country", to_field_name="code",
        empty_label=ANY, queryset=Country.objects.all(),
    )
    mechanism = OneQueryModelChoiceFilter(
        label=_("Mechanism"), field_name="recommendation__mechanism", to_field_name="code",
        empty_label=ANY, queryset=Mechanism.objects.all(),
    )
    organisation = OneQueryModelChoiceFilter(
        label=_("Organisation"), empty_label=ANY,
        queryset=Organisation.objects.filter(
            Exists(FollowUpAssessment.objects.submitted().filter(organisation=OuterRef("pk")))
        ),
    )

    class Meta:
        model = FollowUpAssessment
        fields: list[str] = []
        form = FilterForm


class DeadlineFilter(BootstrapFilterSet):
    """Narrows the pending milestones and the follow-ups due alike: both querysets name their
    date `due`, their kind `step`, their country and mechanism `country` and `mechanism`
    (recommendations.deadlines)."""

    class When(models.TextChoices):
        OVERDUE = "overdue", _("Overdue")
        UPCOMING = "upcoming", _("Upcoming")

    # Follow-up is asked for in a cycle's concluding observations: the countries with a cycle.
    country = django_filters.ModelChoiceFilter(
        queryset=countries_with("reportingcycle"),
        method="filter_by_pk",
        label=_("Country"),
    )
    mechanism = django_filters.ModelChoiceFilter(
        queryset=Mechanism.objects.all(), method="filter_by_pk", label=_("Mechanism")
    )
    kind = django_filters.ChoiceFilter(
        field_name="step",
        choices=[*Milestone.Kind.choices, (FOLLOW_UP, _("Follow-up due for a recommendation"))],
        label=_("Deadline"),
    )
    when = django_filters.ChoiceFilter(
        choices=When.choices,
        method="filter_when",
        empty_label=_("Overdue and upcoming"),
        label=_("When"),
    )
    within = django_filters.NumberFilter(
        field_name="due",
        method="filter_within",
        label=_("Due within (days)"),
        min_value=0,
        # Ten years: a larger window reaches past the last date Python can count to.
        max_value=3660,
        help_text=_("Overdue deadlines are due already and stay in the list."),
    )

    def filter_by_pk(self, queryset: QuerySet, name: str, value: models.Model) -> QuerySet:
        # A milestone's country and mechanism are its cycle's, by an alias that compares by pk.
        return queryset.filter(**{name: value.pk})

    def filter_when(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = timezone.localdate()
        if value == self.When.OVERDUE:
            return queryset.filter(due__lt=today)
        return queryset.filter(due__gte=today)

    def filter_within(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(due__lte=timezone.localdate() + datetime.timedelta(days=int(value)))
