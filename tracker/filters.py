"""Filter forms of the reporting-cycle pages (django-filter)."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker.deadlines import FOLLOW_UP
from tracker.models import (
    CooperationFramework,
    Country,
    FieldOffice,
    Mechanism,
    Milestone,
    ReportingCycle,
)


class BootstrapFilterSet(django_filters.FilterSet):
    """Gives the filter form's widgets Bootstrap's classes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css_class = "form-check-input"
            elif isinstance(widget, forms.Select):
                css_class = "form-select"
            else:
                css_class = "form-control"
            widget.attrs.setdefault("class", css_class)


def only_if_checked(queryset: QuerySet, name: str, value: bool) -> QuerySet:
    """A checkbox that narrows when ticked and leaves the list whole when not."""
    return queryset.filter(**{name: True}) if value else queryset


def countries_with(lookup: str) -> QuerySet[Country]:
    """The countries that have at least one record through `lookup`, for a short drop-down."""
    return Country.objects.filter(**{f"{lookup}__isnull": False}).distinct()


class CycleFilter(BootstrapFilterSet):
    country = django_filters.ModelChoiceFilter(
        queryset=countries_with("reportingcycle"), label=_("Country")
    )
    mechanism = django_filters.ModelChoiceFilter(
        queryset=Mechanism.objects.filter(reportingcycle__isnull=False).distinct(),
        label=_("Mechanism"),
    )
    current = django_filters.BooleanFilter(
        field_name="is_current",
        method=only_if_checked,
        widget=forms.CheckboxInput,
        label=_("Current cycles only"),
    )

    class Meta:
        model = ReportingCycle
        fields = ["country", "mechanism", "current"]


class DeadlineFilter(BootstrapFilterSet):
    """Narrows the pending milestones and the follow-ups due alike: both querysets name their
    date `due`, their kind `step`, their country and mechanism `country` and `mechanism`
    (tracker.deadlines)."""

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


class FrameworkFilter(BootstrapFilterSet):
    country = django_filters.ModelChoiceFilter(
        queryset=countries_with("cooperationframework"), label=_("Country")
    )
    status = django_filters.ChoiceFilter(
        choices=CooperationFramework.Status.choices, label=_("Status")
    )

    class Meta:
        model = CooperationFramework
        fields = ["country", "status"]


class OfficeFilter(BootstrapFilterSet):
    country = django_filters.ModelChoiceFilter(
        field_name="countries",
        queryset=countries_with("field_offices"),
        label=_("Country covered"),
    )

    class Meta:
        model = FieldOffice
        fields = ["country"]
