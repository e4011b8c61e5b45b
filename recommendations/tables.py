from __future__ import annotations

import datetime

import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_tables2.paginators import LazyPaginator

from recommendations.models import Measure, Recommendation

# "18 Dec 2013", "18 déc. 2013": the month's name in the page's language.
DATE_FORMAT = "j M Y"
# The page sizes a visitor may choose with ?per_page=; anything else gets the first.
PAGE_SIZES = (25, 50, 100)


class PagedTable(tables.Table):
    """A table paged without counting: LazyPaginator reads one row past the page to know whether
    there is a next one, so an unfiltered list of half a million rows pays no COUNT(*)."""

    def paginate(self, paginator_class=LazyPaginator, per_page=None, page=1, *args, **kwargs):
        if per_page not in PAGE_SIZES:
            per_page = PAGE_SIZES[0]
        return super().paginate(LazyPaginator, per_page, page, *args, **kwargs)

    class Meta:
        template_name = "recommendations/table.html"
        attrs = {"class": "table table-sm table-hover align-middle small"}
        per_page = PAGE_SIZES[0]


class RecommendationTable(PagedTable):
    reference = tables.Column(verbose_name=_("Paragraph"), order_by=("order", "reference"))
    text = tables.Column(
        verbose_name=_("Text"), linkify=True, orderable=False, attrs={"td": {"class": "text-cell"}}
    )
    country = tables.Column(
        verbose_name=_("Country"), order_by=("country__name",), default=_("Regional")
    )
    mechanism = tables.Column(
        verbose_name=_("Mechanism"), accessor="mechanism__code", order_by=("mechanism__code",)
    )
    kind = tables.Column(verbose_name=_("Kind"))
    date = tables.DateColumn(
        verbose_name=_("Issued"), format=DATE_FORMAT, attrs={"td": {"class": "text-nowrap"}}
    )
    position = tables.Column(verbose_name=_("Position"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta(PagedTable.Meta):
        model = Recommendation
        fields = ("reference", "text", "status", "country", "mechanism", "kind", "date", "position")
        empty_text = _("No recommendations match these filters.")

    def render_text(self, value: str, record: Recommendation) -> str:
        text = Truncator(value).chars(180)
        if record.urgent:
            return format_html(
                '{} <span class="badge text-bg-warning">{}</span>', text, _("urgent")
            )
        return text

    def render_status(self, value: str, record: Recommendation) -> str:
        return format_html('<span class="status-{}">{}</span>', record.status, value)


class MeasureTable(PagedTable):
    title = tables.Column(verbose_name=_("Measure"), linkify=True)
    country = tables.Column(verbose_name=_("Country"), order_by=("country__name",))
    responsible = tables.Column(
        verbose_name=_("Responsible organisation"), order_by=("responsible__name",)
    )
    target_date = tables.DateColumn(verbose_name=_("Target date"), format=DATE_FORMAT)
    status = tables.Column(verbose_name=_("Status"))

    class Meta(PagedTable.Meta):
        model = Measure
        fields = ("title", "country", "responsible", "target_date", "status")
        empty_text = _("No measures match these filters.")

    def render_target_date(self, value: datetime.date, record: Measure) -> str:
        date = date_format(value, DATE_FORMAT)
        if record.is_late:
            return format_html('{} <span class="overdue">{}</span>', date, _("late"))
        return date
