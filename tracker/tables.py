"""Tables of the reporting-cycle pages (django-tables2)."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import cached_property

import django_tables2 as tables
from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage
from django.db import connections
from django.db.models import QuerySet
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


# Up to this many matching rows a list says exactly how many; beyond it, the database's estimate:
# counting half a million rows would cost more than the page itself.
EXACT_COUNT_LIMIT = 10_000


@dataclass(frozen=True)
class RowCount:
    """How many rows a list matches: `number` exactly, or about `number` (the planner's estimate),
    or at least `number` where the database gives no estimate (SQLite)."""

    number: int
    exact: bool = True
    estimated: bool = False


def count_rows(*querysets: QuerySet) -> RowCount:
    """The rows the querysets match together, counted in one query up to EXACT_COUNT_LIMIT + 1
    each (a COUNT over a LIMIT: cheap however many match), estimated by PostgreSQL's planner
    beyond."""
    unordered = [queryset.order_by() for queryset in querysets]
    limited = [queryset.values("pk")[:EXACT_COUNT_LIMIT + 1] for queryset in unordered]
    counted = limited[0].count() if len(limited) == 1 else _count_together(limited)
    if counted <= EXACT_COUNT_LIMIT:
        return RowCount(counted)
    if connections[querysets[0].db].vendor != "postgresql":
        return RowCount(EXACT_COUNT_LIMIT, exact=False)
    planned = sum(
        json.loads(queryset.explain(format="json"))[0]["Plan"]["Plan Rows"]
        for queryset in unordered
    )
    return RowCount(max(int(planned), counted), exact=False, estimated=True)


def _count_together(querysets: list[QuerySet]) -> int:
    """The sum of the querysets' row counts in one query (SQLite refuses a UNION of LIMITs)."""
    parts, params = [], []
    for number, queryset in enumerate(querysets):
        try:
            sql, part_params = queryset.query.sql_with_params()
        except EmptyResultSet:  # filtered by an empty list: matches nothing
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted_{number})")
        params.extend(part_params)
    if not parts:
        return 0
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute("SELECT " + " + ".join(parts), params)
        return cursor.fetchone()[0]


class CountedTable(tables.Table):
    """A table whose template says how many rows match (templates/tracker/table.html), and which
    stacks its rows on a phone."""

    @cached_property
    def row_count(self) -> RowCount | None:
        data = self.data.data
        return count_rows(data) if isinstance(data, QuerySet) else None

    class Meta:
        template_name = "tracker/table.html"
        attrs = {"class": "table table-sm table-hover align-middle table-stack"}


# "18 Dec 2013", "18 Déc 2013": the month's name in the page's language.
DATE_FORMAT = "SHORT_DATE_FORMAT"  # the language's (tracker/formats)


class DateColumn(tables.Column):
    """A date in DATE_FORMAT. django-tables2's own DateColumn renders a template for each cell,
    a tenth of the recommendations list's rendering time."""

    def render(self, value: datetime.date) -> str:
        return date_format(value, DATE_FORMAT)


NEXT_DEADLINE = '{% include "tracker/includes/deadline.html" with milestone=value %}'


class CycleTable(CountedTable):
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
        template_name = CountedTable.Meta.template_name
        attrs = CountedTable.Meta.attrs

    def render_current_stage(self, value: Milestone) -> str:
        return value.get_kind_display()


class FrameworkTable(CountedTable):
    title = tables.Column(linkify=True, verbose_name=_("Framework"))
    country = tables.Column(verbose_name=_("Country"))
    adopting_body = tables.Column(accessor="adopting_body__name", verbose_name=_("Adopted by"))
    adoption_date = DateColumn(verbose_name=_("Adopted"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = CooperationFramework
        fields = ["title", "country", "adopting_body", "adoption_date", "status"]
        empty_text = _("No co-operation framework matches these filters.")
        template_name = CountedTable.Meta.template_name
        attrs = CountedTable.Meta.attrs


class OfficeTable(CountedTable):
    name = tables.Column(linkify=True, verbose_name=_("Office"))
    seat = tables.Column(accessor="seat_city", verbose_name=_("Seat"), order_by=["seat_city"])
    year_founded = tables.Column(verbose_name=_("Founded"))
    countries = tables.ManyToManyColumn(verbose_name=_("Countries covered"), orderable=False)

    class Meta:
        model = FieldOffice
        fields = ["name", "seat", "year_founded", "countries"]
        empty_text = _("No field office matches these filters.")
        template_name = CountedTable.Meta.template_name
        attrs = CountedTable.Meta.attrs

    def render_seat(self, record: FieldOffice) -> str:
        return f"{record.seat_city} ({record.seat_country})"
