from __future__ import annotations

import datetime

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableData
from django_tables2.utils import OrderByTuple

from recommendations.models import FollowUpAssessment, Measure, Recommendation
from tracker.tables import (
    DATE_FORMAT,
    BoundedLazyPaginator,
    CountedTable,
    DateColumn,
    RowCount,
    count_rows,
)

# The page sizes a visitor may choose with ?per_page=; anything else gets the first.
PAGE_SIZES = (25, 50, 100)


class PagedTable(CountedTable):
    """A table paged without counting: LazyPaginator reads one row past the page to know whether
    there is a next one, so an unfiltered list of half a million rows pays no COUNT(*) of them all
    (CountedTable counts a few thousand at most)."""

    def paginate(
        self, paginator_class=BoundedLazyPaginator, per_page=None, page=1, *args, **kwargs
    ):
        if per_page not in PAGE_SIZES:
            per_page = PAGE_SIZES[0]
        return super().paginate(BoundedLazyPaginator, per_page, page, *args, **kwargs)

    class Meta:
        template_name = "recommendations/table.html"
        attrs = {"class": "table table-sm table-hover align-middle small table-stack"}
        per_page = PAGE_SIZES[0]


class RecommendationTable(PagedTable):
    # Ticked rows are sent with the bulk-log form around the table (recommendations:bulk-log);
    # the list view leaves the column out for those who may not log.
    select = tables.Column(
        verbose_name=_("Select"), accessor="pk", orderable=False, empty_values=(),
        attrs={"td": {"class": "select-cell"}},
    )
    # Each ordering ends with the pk, so that pages never overlap, and has an index of its own
    # (Recommendation.Meta.indexes), read either way.
    reference = tables.Column(
        verbose_name=_("Paragraph"), order_by=("order", "reference", "pk")
    )
    text = tables.Column(
        verbose_name=_("Text"), linkify=True, orderable=False, attrs={"td": {"class": "text-cell"}}
    )
    country = tables.Column(
        verbose_name=_("Country"), default=_("Regional"),
        order_by=("country_name", "mechanism_code", "order", "pk"),
    )
    mechanism = tables.Column(
        verbose_name=_("Mechanism"), accessor="mechanism__code",
        order_by=("mechanism_code", "country_name", "order", "pk"),
    )
    kind = tables.Column(verbose_name=_("Kind"), order_by=("kind", "pk"))
    date = DateColumn(
        verbose_name=_("Issued"), attrs={"td": {"class": "text-nowrap"}},
        order_by=("date", "pk"),
    )
    position = tables.Column(verbose_name=_("Position"), order_by=("position", "pk"))
    status = tables.Column(
        verbose_name=_("Status"),
        order_by=("status", "country_name", "mechanism_code", "order", "pk"),
    )

    class Meta(PagedTable.Meta):
        model = Recommendation
        fields = ("reference", "text", "status", "country", "mechanism", "kind", "date", "position")
        sequence = ("select", "...")
        empty_text = _("No recommendations match these filters.")

    def render_select(self, value: int, record: Recommendation) -> str:
        return format_html(
            '<input class="form-check-input" type="checkbox" name="recommendations" value="{}" '
            'form="bulk-log" aria-label="{}">',
            value, _("Select %(recommendation)s") % {"recommendation": record},
        )

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
    target_date = DateColumn(verbose_name=_("Target date"))
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


class ReviewQueueTable(PagedTable):
    recommendation = tables.Column(
        verbose_name=_("Recommendation"), linkify=True,
        order_by=("recommendation__country__name", "recommendation__mechanism__code"),
    )
    organisation = tables.Column(verbose_name=_("Organisation"), order_by=("organisation__name",))
    date = DateColumn(verbose_name=_("Date"))
    status = tables.Column(verbose_name=_("Status"))
    summary = tables.Column(verbose_name=_("Summary"), orderable=False,
                            attrs={"td": {"class": "text-cell"}})
    review = tables.Column(verbose_name=_("Review"), accessor="pk", orderable=False,
                           empty_values=())

    class Meta(PagedTable.Meta):
        model = FollowUpAssessment
        fields = ("recommendation", "organisation", "date", "status", "summary")
        empty_text = _("No follow-up entries are waiting for review.")

    def render_summary(self, value: str) -> str:
        return Truncator(value).chars(180)

    def render_review(self, value: int, record: FollowUpAssessment) -> str:
        return format_html(
            '<a class="btn btn-sm btn-outline-primary" href="{}" aria-label="{}">{}</a>',
            reverse("recommendations:review", args=[value]),
            _("Review the entry of %(organisation)s on %(recommendation)s") % {
                "organisation": record.organisation, "recommendation": record.recommendation,
            },
            _("Review"),
        )


DAYS_LEFT = '{% include "tracker/includes/days_left.html" with milestone=record %}'


class MergedData(TableData):
    """Gives the table the merged deadlines (recommendations.deadlines.MergedDeadlines) as they are: read
    a page at a time, in date order only, since sorting by another column would read every row."""

    def order_by(self, aliases: OrderByTuple) -> None:
        pass


class DeadlineTable(CountedTable):
    date = DateColumn(verbose_name=_("Due"))
    days_left = tables.TemplateColumn(DAYS_LEFT, empty_values=(), verbose_name=_("Days left"))
    kind = tables.Column(verbose_name=_("Deadline"))
    # The cycle of a milestone, the recommendation of a follow-up.
    subject = tables.Column(linkify=True, verbose_name=_("For"))
    country = tables.Column(verbose_name=_("Country"), default="—")
    mechanism = tables.Column(accessor="mechanism__code", verbose_name=_("Mechanism"))
    description = tables.Column(verbose_name=_("Note"))

    class Meta:
        orderable = False
        empty_text = _("No deadline matches these filters.")
        template_name = CountedTable.Meta.template_name
        attrs = CountedTable.Meta.attrs
        row_attrs = {"class": lambda record: "table-danger" if record.is_overdue else ""}

    @cached_property
    def row_count(self) -> RowCount:
        # The merged list of milestones and follow-ups (recommendations.deadlines.MergedDeadlines).
        merged = self.data.data
        return count_rows(merged.milestones, merged.follow_ups)

    def render_description(self, value: str) -> str:
        return value if len(value) <= 160 else f"{value[:157]}…"
