"""Tables of the reporting-cycle pages (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tracker.models import CooperationFramework, FieldOffice, Milestone, ReportingCycle

NEXT_DEADLINE = '{% include "tracker/includes/deadline.html" with milestone=value %}'
DAYS_LEFT = '{% include "tracker/includes/days_left.html" with milestone=record %}'


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


class DeadlineTable(tables.Table):
    planned_date = tables.DateColumn(format="j M Y", verbose_name=_("Due"))
    days_left = tables.TemplateColumn(
        DAYS_LEFT, orderable=False, empty_values=(), verbose_name=_("Days left")
    )
    kind = tables.Column(verbose_name=_("Step"))
    cycle = tables.Column(linkify=True, verbose_name=_("Cycle"), order_by=["cycle__country__name"])
    country = tables.Column(accessor="cycle__country", verbose_name=_("Country"))
    mechanism = tables.Column(accessor="cycle__mechanism__code", verbose_name=_("Mechanism"))
    note = tables.Column(verbose_name=_("Note"), orderable=False)

    class Meta:
        model = Milestone
        fields = ["planned_date", "days_left", "kind", "cycle", "country", "mechanism", "note"]
        order_by = ["planned_date"]
        empty_text = _("No pending milestone matches these filters.")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_note(self, value: str) -> str:
        return value if len(value) <= 160 else f"{value[:157]}…"


class FrameworkTable(tables.Table):
    title = tables.Column(linkify=True, verbose_name=_("Framework"))
    country = tables.Column(verbose_name=_("Country"))
    adopting_body = tables.Column(accessor="adopting_body__name", verbose_name=_("Adopted by"))
    adoption_date = tables.DateColumn(format="j M Y", verbose_name=_("Adopted"))
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
