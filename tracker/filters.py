"""Filter forms of the reporting-cycle pages (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tracker.models import (
    CooperationFramework,
    Country,
    FieldOffice,
    Mechanism,
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
