"""The recommendations side of the app: dashboard, recommendations (their list, exports, page,
follow-up logged on it and history), measures, search, a cycle's alternative-report draft. The
follow-up entries' own pages are in follow_up_views.py."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from recommendations.exports import EXPORT_FORMATS, filtered_recommendations
from recommendations.filters import MeasureFilter, RecommendationFilter
from recommendations.forms import (
    AssessmentForm,
    BulkLogForm,
    SavedSearchForm,
    SearchForm,
)
from recommendations.models import (
    DISPUTED,
    OVERALL_STATUS_CHOICES,
    ExportJob,
    FollowUpAssessment,
    Measure,
    Recommendation,
    SavedSearch,
    StatusTally,
    ranked_search,
)
from recommendations.reports import build_report, write_docx
from recommendations.tasks import export_in_background
from recommendations.tables import (
    PAGE_SIZES,
    MeasureTable,
    RecommendationTable,
)
from recommendations.deadlines import countries_followed, deadlines
from tracker.accounts import permissions
from tracker.accounts.permissions import has_role, organisation_of
from tracker.accounts.roles import Role
from tracker.history import history_entries
from tracker.models import (
    Country,
    ListOfIssuesParagraph,
    Milestone,
    ReplyParagraph,
    ReportingCycle,
)
from tracker.tables import count_rows

# How many rows each list on the dashboard and each group of search results shows.
DASHBOARD_ROWS = 5
DASHBOARD_CYCLES = 20
# NGO staff see the deadlines of this many days ahead first on the dashboard.
ATTENTION_DAYS = 30
SEARCH_RESULTS = 10
# Undated recommendations last on every database (PostgreSQL puts NULL first when descending).
LATEST_FIRST = F("date").desc(nulls_last=True)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class FirstRows:
    """The first rows of a queryset, and whether there are more (one extra row read, no COUNT)."""

    rows: list
    more: bool

    @classmethod
    def of(cls, queryset: QuerySet, limit: int = SEARCH_RESULTS) -> FirstRows:
        rows = list(queryset[: limit + 1])
        return cls(rows[:limit], len(rows) > limit)


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """What needs the signed-in person's attention, then their countries' current cycles (their
    membership's, or the one chosen; every country's for everyone else) and the counts."""
    user = request.user
    organisation_of(user)  # reads the membership once for the whole page
    countries, chosen = _dashboard_countries(request)
    cycles = ReportingCycle.objects.filter(is_current=True)
    if countries is not None:
        cycles = cycles.filter(country__in=countries)
    sort = request.GET.get("sort") if request.GET.get("sort") in DASHBOARD_SORTS else "country"
    cycles = FirstRows.of(
        cycles.select_related("country", "mechanism")
        # next_deadline and current_stage read the prefetched milestones.
        .with_milestones()
        .annotate(next_due=Subquery(
            Milestone.objects.pending().filter(cycle=OuterRef("pk"))
            .order_by("planned_date").values("planned_date")[:1]
        ))
        .order_by(*DASHBOARD_SORTS[sort]),
        limit=DASHBOARD_CYCLES,
    )
    bars = Recommendation.objects.status_counts_by_cycle([cycle.pk for cycle in cycles.rows])
    for cycle in cycles.rows:
        cycle.status_bar = status_bar(bars.get(cycle.pk, {}))
    recommendations = Recommendation.objects.current().for_list()
    attention = _attention(user, countries)
    context = {
        "cycles": cycles,
        "sort": sort,
        "chosen_country": chosen,
        "country_choices": Country.objects.filter(reportingcycle__is_current=True).distinct()
        .order_by("name") if countries is None or chosen else [],
        "followed": countries,
        # Named from the cycles shown rather than asked again.
        "followed_names": sorted({str(cycle.country) for cycle in cycles.rows}),
        "status_counts": StatusTally.counts(),
        "latest_entries": FollowUpAssessment.objects.public()
        .select_related("organisation", "recommendation__country", "recommendation__mechanism")
        .order_by("-date", "-pk")[:DASHBOARD_ROWS],
        # NGO staff find their countries' overdue deadlines among those that need attention.
        "overdue": None if "coming_deadlines" in attention else Milestone.objects.overdue()
        .filter(cycle__is_current=True)
        .select_related("cycle__country", "cycle__mechanism")
        .order_by("planned_date")[:DASHBOARD_ROWS],
        # Those selected for the follow-up procedure, then urgent ones, matter most.
        "without_follow_up": recommendations.with_follow_up(logged=False)
        .order_by("-follow_up", "-urgent", LATEST_FIRST, "-pk")[:DASHBOARD_ROWS],
        "disputed": recommendations.filter(status=DISPUTED)
        .order_by(LATEST_FIRST, "-pk")[:DASHBOARD_ROWS],
        "saved_searches": user.saved_searches.all() if user.is_authenticated else [],
        **attention,
    }
    return render(request, "recommendations/dashboard.html", context)


# The dashboard's cycle table: its sortable columns, each with its order.
DASHBOARD_SORTS = {
    "country": ("country__name", "mechanism__code", "pk"),
    "mechanism": ("mechanism__code", "country__name", "pk"),
    "deadline": (F("next_due").asc(nulls_last=True), "country__name", "pk"),
}


def _dashboard_countries(request: HttpRequest) -> tuple[QuerySet | None, Country | None]:
    """The countries the dashboard shows (None: all of them) and the one chosen with ?country=,
    which overrides the membership's."""
    code = request.GET.get("country", "")
    if code:
        chosen = Country.objects.filter(code=code).first()
        if chosen is not None:
            return Country.objects.filter(pk=chosen.pk), chosen
    if request.user.is_authenticated and code != "all":
        followed = countries_followed(request.user)
        if followed.exists():
            return followed, None
    return None, None


def _attention(user, countries: QuerySet | None) -> dict:
    """What waits for this person: a reviewer, the entries to review; NGO staff, their
    organisation's drafts and disputed entries and the deadlines of the next 30 days."""
    if permissions.can_review(user):
        return {"awaiting_review": count_rows(FollowUpAssessment.objects.reviewable_by(user))}
    organisation = organisation_of(user)
    if organisation is None or not has_role(user, Role.NGO_STAFF):
        return {}
    state = FollowUpAssessment.ReviewState
    # Drafts and disputed entries in one query: the latest of each kind.
    entries = list(FollowUpAssessment.objects.filter(
        organisation=organisation, review_state__in=(state.DRAFT, state.DISPUTED)
    ).select_related("recommendation__country", "recommendation__mechanism")
        .order_by("-date", "-pk")[:2 * DASHBOARD_ROWS])
    until = timezone.localdate() + datetime.timedelta(days=ATTENTION_DAYS)
    return {
        "drafts": [entry for entry in entries if entry.review_state == state.DRAFT][:DASHBOARD_ROWS],
        "returned": [entry for entry in entries
                     if entry.review_state == state.DISPUTED][:DASHBOARD_ROWS],
        "ngo_staff": True,
        "coming_deadlines": deadlines(
            countries if countries is not None else Country.objects.none(), until=until
        )[:DASHBOARD_ROWS],
        "attention_days": ATTENTION_DAYS,
    }


def status_bar(counts: dict[str, int]) -> list[dict]:
    """The segments of a small bar of the counts, in the statuses' order, in percent."""
    total = sum(counts.values())
    segments, x = [], 0.0
    for status, label in OVERALL_STATUS_CHOICES:
        if counts.get(status):
            width = 100 * counts[status] / total
            segments.append({"status": status, "label": label, "count": counts[status],
                             "x": round(x, 2), "width": round(width, 2)})
            x += width
    return segments


class RecommendationListView(SingleTableMixin, FilterView):
    filterset_class = RecommendationFilter
    table_class = RecommendationTable
    template_name = "recommendations/recommendation_filter.html"

    def get_queryset(self) -> QuerySet[Recommendation]:
        return Recommendation.objects.for_list()

    @cached_property
    def can_bulk_log(self) -> bool:
        return permissions.can_bulk_log(self.request.user)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        context["page_sizes"] = PAGE_SIZES
        context["save_form"] = SavedSearchForm(initial={"query": context["query"]})
        if self.can_bulk_log:
            context["bulk_form"] = BulkLogForm(initial={"query": context["query"]})
        return context

    def get_table_kwargs(self) -> dict:
        # The selection column only for those who may log a status for the selected rows.
        if self.can_bulk_log:
            return {}
        return {"exclude": ("select",)}


def _back_to_the_list(request: HttpRequest) -> HttpResponse:
    # The list shows what is wrong with the filters.
    return redirect(f"{reverse('recommendations:list')}?{request.GET.urlencode()}")


def _export(request: HttpRequest, format: str) -> HttpResponse:
    """The export of the filtered list; one with more than TRACKER_BACKGROUND_EXPORT_ROWS rows
    is written by the background worker once the user confirms it, and its page offers it when
    done. Only the confirmation's POST queues it: a prefetched or repeated link queues nothing."""
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    recommendations = filtered_recommendations(request.GET)
    if recommendations is None:
        return _back_to_the_list(request)
    limit = settings.TRACKER_BACKGROUND_EXPORT_ROWS
    # Counting at most one row more than the limit reads no more of a large result than that.
    if not limit or recommendations[: limit + 1].count() <= limit:
        if request.method == "POST":  # nothing to queue: the link downloads it at once
            return redirect(request.get_full_path())
        return EXPORT_FORMATS[format].response(recommendations)
    if not request.user.is_authenticated:
        messages.warning(request, _(
            "This export has more than %(limit)d rows: sign in to have it prepared in the "
            "background, or narrow the filters."
        ) % {"limit": limit})
        return _back_to_the_list(request)
    query = request.GET.urlencode()
    language = get_language() or ""
    # A second click while the first job waits opens that job rather than queueing another.
    job = ExportJob.objects.filter(
        user=request.user, format=format, query=query, language=language,
        state__in=[ExportJob.State.QUEUED, ExportJob.State.RUNNING],
    ).first()
    if job is None and request.method == "POST":
        # One transaction, so that no job is left queued with no task to run it.
        with transaction.atomic():
            job = ExportJob.objects.create(
                user=request.user, format=format, query=query, language=language
            )
            export_in_background.enqueue(
                job.pk, request.build_absolute_uri(job.get_absolute_url())
            )
    if job is None:
        return render(request, "recommendations/export_confirm.html", {
            "limit": limit, "format": ExportJob.Format(format).label, "query": query,
        })
    return redirect(job)


@require_http_methods(["GET", "HEAD", "POST"])
def export_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, ExportJob.Format.CSV)


@require_http_methods(["GET", "HEAD", "POST"])
def export_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, ExportJob.Format.XLSX)


@require_http_methods(["GET", "HEAD", "POST"])
def export_uhri(request: HttpRequest) -> HttpResponse:
    return _export(request, ExportJob.Format.UHRI)


@require_safe
@login_required
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    """How far the user's background export has got (the page refreshes itself until it ends),
    then the link to download it."""
    job = get_object_or_404(ExportJob, pk=pk, user=request.user)
    ExportJob.objects.announce(request)
    return render(request, "recommendations/export_job.html", {
        "job": job,
        "available": job.state == ExportJob.State.DONE and default_storage.exists(job.stored_file),
    })


@require_safe
@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(ExportJob, pk=pk, user=request.user, state=ExportJob.State.DONE)
    try:
        file = default_storage.open(job.stored_file)
    except FileNotFoundError:
        raise Http404 from None  # removed after a day, as its page says
    export = EXPORT_FORMATS[job.format]
    return FileResponse(
        file, as_attachment=True, filename=export.filename(), content_type=export.content_type
    )


@require_POST
@login_required
def save_search(request: HttpRequest) -> HttpResponse:
    form = SavedSearchForm(request.POST)
    if not form.is_valid():
        reasons = " ".join(error for errors in form.errors.values() for error in errors)
        messages.error(request, _("The search was not saved: %(reasons)s") % {"reasons": reasons})
        return redirect(f"{reverse('recommendations:list')}?{request.POST.get('query', '')}")
    search, _created = SavedSearch.objects.update_or_create(
        user=request.user, name=form.cleaned_data["name"],
        defaults={"query": form.cleaned_data["query"]},
    )
    messages.success(request, _("Search saved as “%(name)s”.") % {"name": search.name})
    return redirect(search)


@require_POST
@login_required
def delete_search(request: HttpRequest, pk: int) -> HttpResponse:
    search = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    search.delete()
    messages.success(request, _("Saved search “%(name)s” deleted.") % {"name": search.name})
    return redirect("recommendations:dashboard")


def _render_detail(
    request: HttpRequest, recommendation: Recommendation, form: AssessmentForm | None,
    status: int = 200,
) -> HttpResponse:
    search = request.GET.get("paragraphs", "")
    follow_up = recommendation.follow_up_page(
        request.user, form.offered_paragraphs if form else None, search
    )
    if form:
        form.show_paragraphs(follow_up.picker_choices)
    return render(request, "recommendations/recommendation_detail.html", {
        "recommendation": recommendation,
        "history": follow_up.history,
        "form": form,
        "drafts": follow_up.drafts,
        "editable": follow_up.editable,
        "paragraph_search": search,
        "picker_texts": follow_up.picker_texts if form else {},
    }, status=status)


@require_safe
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_object_or_404(Recommendation.objects.for_detail(), pk=pk)
    form = None
    if permissions.can_log(request.user):
        form = AssessmentForm(
            recommendation=recommendation, paragraph_search=request.GET.get("paragraphs", "")
        )
    return _render_detail(request, recommendation, form)


@require_POST
@login_required
def log_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_object_or_404(Recommendation.objects.for_detail(), pk=pk)
    if not permissions.can_log(request.user):
        raise PermissionDenied
    form = AssessmentForm(request.POST, request.FILES, recommendation=recommendation)
    if not form.is_valid():
        return _render_detail(request, recommendation, form, status=400)
    assessment = form.log(request.user, submit="submit" in request.POST)
    if assessment.review_state == FollowUpAssessment.ReviewState.SUBMITTED:
        messages.success(request, _("Follow-up submitted for review."))
    else:
        messages.success(request, _("Follow-up saved as a draft."))
    return redirect(recommendation)


class MeasureListView(SingleTableMixin, FilterView):
    filterset_class = MeasureFilter
    table_class = MeasureTable
    template_name = "recommendations/measure_filter.html"

    def get_queryset(self) -> QuerySet[Measure]:
        return Measure.objects.select_related("country", "responsible")

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["page_sizes"] = PAGE_SIZES
        return context


@require_safe
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(
        Measure.objects.select_related("country", "responsible").prefetch_related(
            Prefetch("recommendations", Recommendation.objects.for_list())
        ),
        pk=pk,
    )
    return render(request, "recommendations/measure_detail.html", {"measure": measure})


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    context: dict = {"form": form}
    if form.is_valid():
        text = form.cleaned_data["q"]
        # Past cycles too: the full list must show what the search found.
        full_list = urlencode({"q": text, "current": "0"})
        in_cycle = ("document__cycle__country", "document__cycle__mechanism")
        context.update({
            "text": text,
            # The most relevant first, labelled with mechanism, country, cycle and paragraph.
            "recommendations": FirstRows.of(
                ranked_search(Recommendation.objects.for_list(), ["text"], text)
            ),
            "recommendations_url": f"{reverse('recommendations:list')}?{full_list}",
            "questions": FirstRows.of(ranked_search(
                ListOfIssuesParagraph.objects.select_related(*in_cycle), ["text"], text
            )),
            "replies": FirstRows.of(ranked_search(
                ReplyParagraph.objects.select_related("section", *in_cycle), ["text"], text
            )),
            # The latest first, read from their index until enough match.
            "entries": FirstRows.of(
                FollowUpAssessment.objects.public().search(text).select_related(
                    "organisation", "recommendation__country", "recommendation__mechanism",
                    "recommendation__cycle",
                ).order_by("-date", "-pk")
            ),
        })
    return render(request, "recommendations/search.html", context)


def _cycle(pk: int) -> ReportingCycle:
    return get_object_or_404(ReportingCycle.objects.select_related("country", "mechanism"), pk=pk)


@require_safe
def cycle_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = build_report(_cycle(pk))
    return render(request, "recommendations/cycle_report.html", {"report": report})


@require_safe
def cycle_report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(pk)
    response = HttpResponse(write_docx(build_report(cycle)), content_type=DOCX)
    response["Content-Disposition"] = (
        f'attachment; filename="alternative-report-{slugify(str(cycle))}.docx"'
    )
    return response


# The history names who changed what: for signed-in users only, whatever the public pages show.
@require_safe
@login_required
def recommendation_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The recommendation's own changes and those of its follow-up entries, drafts left out:
    a draft is its organisation's business until it is submitted."""
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("country", "mechanism", "cycle"), pk=pk
    )
    entries = FollowUpAssessment.history.filter(recommendation_id=pk).exclude(
        review_state=FollowUpAssessment.ReviewState.DRAFT
    )
    records = [
        *recommendation.history.select_related("history_user"),
        *entries.select_related("history_user", "organisation"),
    ]
    return render(
        request,
        "recommendations/history.html",
        {
            "recommendation": recommendation,
            "entries": history_entries(records),
            "show_subject": True,
        },
    )
