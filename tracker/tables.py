"""Tables of the reporting-cycle pages (django-tables2)."""

from __future__ import annotations

import datetime

import django_tables2 as tables
from django.core.paginator import EmptyPage
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_tables2 import LazyPaginator

from tracker.models import CooperationFramework, FieldOffice, Milestone, ReportingCycle


class BoundedLazyPaginator(LazyPaginator):
    """LazyPaginator for the numbers visitors type in ?page= and ?per_page=: a page size is at most
    MAX_PER_PAGE rows, and a page number too large for the database's OFFSET is an empty page
    (django-tables2 then shows the first), never a server error."""

    MAX_PER_PAGE = 100
    MAX_PAGE = 10**9

    def __init__(self, object_list, per_page, *args, **kwargs) -> None:
        super().__init__(object_list, min(int(per_page), self.MAX_PER_PAGE), *args, **kwargs)

    def validate_number(self, number) -> int:
        number = super().validate_number(number)
        if number > self.MAX_PAGE:
            raise EmptyPage(_("That page number is too large"))
        return number


# "18 Dec 2013", "18 Déc 2013": the month's name in the page's language.
DATE_FORMAT = "j M Y"


class DateColumn(tables.Column):
    """A date in DATE_FORMAT. django-tables2's own DateColumn renders a template for each cell,
    a tenth of the recommendations list's rendering time."""

    def render(self, value: datetime.date) -> str:
        return date_format(value, DATE_FORMAT)


NEXT_DEADLINE = '{% include "tracker/includes/deadline.html" with milestone=value %}'


class CycleTable(tables.Table):
    country = tables.Column(verbose_name=_("Country"))
    mechanism = tables.Column(accessor="mechanism__code", verbose_name=_("Mechanism"))
    label = tables.Column(linkify=True, verbose_name=_("Cycle"))
    title = tables.Column(verbose_name=_("Title"))
    is_current = tables.BooleanColumn(verbose_name=_("Current"), yesno=(_("Current"), _("Past")))
    current_stage = tables.Column(
        orderable=False,
        verbose_name=_("Stage reached"),
        empty_values=(None,),
        default="—",
    )
    next_deadline = tables.TemplateColumn(
        NEXT_DEADLINE, orderable=False, verbose_name=_("Next deadline"), empty_values=()
    )

    class Meta:
        model = ReportingCycle
        fields = ["country", "mechanism", "label", "title", "is_current"]
        order_by = ["country", "mechanism"]
        empty_text = _("No reporting cycle matches these filters.")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_current_stage(self, value: Milestone) -> str:
        return value.get_kind_display()


class FrameworkTable(tables.Table):
    title = tables.Column(linkify=True, verbose_name=_("Framework"))
    country = tables.Column(verbose_name=_("Country"))
    adopting_body = tables.Column(accessor="adopting_body__name", verbose_name=_("Adopted by"))
    adoption_date = DateColumn(verbose_name=_("Adopted"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = CooperationFramework
        fields = ["title", "country", "adopting_body", "adoption_date", "status"]
        empty_text = _("No co-operation framework matches these filters.")
        attrs = {"class": "table table-sm table-hover align-middle"}


class OfficeTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Office"))
    seat = tables.Column(accessor="seat_city", verbose_name=_("Seat"), order_by=["seat_city"])
    year_founded = tables.Column(verbose_name=_("Founded"))
    countries = tables.ManyToManyColumn(verbose_name=_("Countries covered"), orderable=False)

    class Meta:
        model = FieldOffice
        fields = ["name", "seat", "year_founded", "countries"]
        empty_text = _("No field office matches these filters.")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_seat(self, record: FieldOffice) -> str:
        return f"{record.seat_city} ({record.seat_country})"
