"""The filter forms of the recommendations and measures lists. Every filter is a GET parameter,
so any filtered list is a URL that can be shared or saved."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

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
from tracker.models import Country, Mechanism, Organisation, ReportingCycle

YES_NO = [("true", _("Yes")), ("false", _("No"))]


class FilterForm(forms.Form):
    """Gives each widget its Bootstrap class, so templates can render fields in a plain loop."""

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


class YesNoSelect(forms.Select):
    """Any / Yes / No, for a BooleanFilter (django-filter's own says "Unknown" for "any")."""

    def __init__(self) -> None:
        super().__init__(choices=[("", _("Any"))] + YES_NO)


class CheckedByDefault(forms.CheckboxInput):
    """A checkbox that is ticked when its parameter is absent, as on a first visit or a link.

    A browser sends nothing for an unticked box, so the form also sends a hidden "0" before it:
    "0" alone means unticked; "0" then "1" means ticked (the last value wins).
    """

    template_name = "recommendations/widgets/checked_by_default.html"

    def value_from_datadict(self, data, files, name: str) -> bool:
        if name not in data:
            return True
        values = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
        return values[-1] in ("1", "on", "true")


def cycles(request: HttpRequest | None) -> QuerySet[ReportingCycle]:
    """The cycles to choose from: the chosen country's, past ones included; without a country,
    the current cycles (all cycles of all countries would make a select of thousands)."""
    cycles = ReportingCycle.objects.select_related("country", "mechanism")
    country = request.GET.get("country", "") if request else ""
    if country:
        return cycles.filter(country__code=country)
    return cycles.filter(is_current=True)


class RecommendationFilterForm(FilterForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # "16.3 Promote the rule of law…" says more in a list of 186 than "Target 16.3".
        self.fields["goal"].label_from_instance = lambda goal: (
            f"{goal.code} {Truncator(goal.title).chars(70)}"
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
    country = django_filters.ModelChoiceFilter(
        label=_("Country"), to_field_name="code",
        queryset=Country.objects.filter(
            Exists(Recommendation.objects.filter(country=OuterRef("pk")))
        ),
    )
    mechanism = django_filters.ModelChoiceFilter(
        label=_("Mechanism"), to_field_name="code", queryset=Mechanism.objects.all()
    )
    cycle = django_filters.ModelChoiceFilter(label=_("Cycle"), queryset=cycles)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Recommendation.Kind.choices)
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), to_field_name="code", queryset=Theme.objects.all(), method="filter_theme"
    )
    goal = django_filters.ModelChoiceFilter(
        label=_("Sustainable Development Goal or target"), to_field_name="code",
        queryset=SustainableDevelopmentGoal.objects.select_related("goal"), method="filter_goal",
    )
    affected_group = django_filters.ModelChoiceFilter(
        label=_("Affected group"), to_field_name="code", queryset=AffectedGroup.objects.all(),
        method="filter_affected_group",
    )
    status = django_filters.ChoiceFilter(label=_("Current status"), choices=OVERALL_STATUS_CHOICES)
    organisation = django_filters.ModelChoiceFilter(
        label=_("Followed up by"),
        queryset=Organisation.objects.filter(
            Exists(FollowUpAssessment.objects.filter(organisation=OuterRef("pk")))
        ),
        method="filter_organisation",
    )
    organisation_status = django_filters.ChoiceFilter(
        label=_("Status given by that organisation"), choices=Status.choices,
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
        label=_("State's position (UPR)"), choices=Recommendation.Position.choices
    )
    recommending_state = django_filters.ModelChoiceFilter(
        label=_("Recommending State (UPR)"), to_field_name="code",
        queryset=Country.objects.filter(
            Exists(Recommendation.recommending_states.through.objects.filter(country=OuterRef("pk")))
        ),
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
    current = django_filters.BooleanFilter(
        label=_("Current cycles only"), widget=CheckedByDefault(), method="filter_current"
    )

    class Meta:
        model = Recommendation
        fields: list[str] = []
        form = RecommendationFilterForm

    def __init__(self, data=None, *args, **kwargs) -> None:
        # Always bound, even on a first visit with no parameters: "current cycles only" is a
        # filter that applies by default, and django-filter ignores an unbound form.
        super().__init__(data if data is not None else {}, *args, **kwargs)

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)

    def filter_theme(self, queryset: QuerySet, name: str, value: Theme) -> QuerySet:
        return queryset.with_theme(value)

    def filter_goal(self, queryset: QuerySet, name: str, value: SustainableDevelopmentGoal) -> QuerySet:
        return queryset.with_goal(value)

    def filter_affected_group(self, queryset: QuerySet, name: str, value: AffectedGroup) -> QuerySet:
        return queryset.with_affected_group(value)

    def filter_recommending_state(self, queryset: QuerySet, name: str, value: Country) -> QuerySet:
        return queryset.recommended_by(value)

    def filter_has_follow_up(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.with_follow_up(logged=value)

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
    country = django_filters.ModelChoiceFilter(
        label=_("Country"), to_field_name="code",
        queryset=Country.objects.filter(Exists(Measure.objects.filter(country=OuterRef("pk")))),
    )
    responsible = django_filters.ModelChoiceFilter(
        label=_("Responsible organisation"),
        queryset=Organisation.objects.filter(
            Exists(Measure.objects.filter(responsible=OuterRef("pk")))
        ),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Measure.Status.choices)
    late = django_filters.BooleanFilter(label=_("Late"), widget=YesNoSelect(), method="filter_late")

    class Meta:
        model = Measure
        fields: list[str] = []
        form = FilterForm

    def filter_late(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.late() if value else queryset.exclude(pk__in=Measure.objects.late())
