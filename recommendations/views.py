"""The recommendations side of the app: dashboard, recommendations (their list, exports, page,
follow-up logged on it and history), measures, search, a cycle's alternative-report draft. The
follow-up entries' own pages are in follow_up_views.py."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
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
    ExportJob,
    FollowUpAssessment,
    Measure,
    Recommendation,
    SavedSearch,
    StatusTally,
    text_search,
)
from recommendations.reports import build_report, write_docx
from recommendations.tasks import export_in_background
from recommendations.tables import (
    PAGE_SIZES,
    MeasureTable,
    RecommendationTable,
)
from tracker.accounts import permissions
from tracker.history import history_entries
from tracker.models import ListOfIssuesParagraph, Milestone, ReplyParagraph, ReportingCycle

# How many rows each list on the dashboard and each group of search results shows.
DASHBOARD_ROWS = 5
DASHBOARD_CYCLES = 60
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
    recommendations = Recommendation.objects.current().for_list()
    context = {
        # next_deadline and current_stage read the prefetched milestones.
        "cycles": FirstRows.of(
            ReportingCycle.objects.filter(is_current=True)
            .select_related("country", "mechanism")
            .with_milestones()
            .order_by("country__name", "mechanism__code"),
            limit=DASHBOARD_CYCLES,
        ),
        "status_counts": StatusTally.counts(),
        "latest_entries": FollowUpAssessment.objects.public()
        .select_related("organisation", "recommendation__country", "recommendation__mechanism")
        .order_by("-date", "-pk")[:DASHBOARD_ROWS],
        "overdue": Milestone.objects.overdue()
        .filter(cycle__is_current=True)
        .select_related("cycle__country", "cycle__mechanism")
        .order_by("planned_date")[:DASHBOARD_ROWS],
        # Those selected for the follow-up procedure, then urgent ones, matter most.
        "without_follow_up": recommendations.with_follow_up(logged=False)
        .order_by("-follow_up", "-urgent", LATEST_FIRST, "-pk")[:DASHBOARD_ROWS],
        "disputed": recommendations.filter(status=DISPUTED)
        .order_by(LATEST_FIRST, "-pk")[:DASHBOARD_ROWS],
        "saved_searches": (
            request.user.saved_searches.all() if request.user.is_authenticated else []
        ),
    }
    return render(request, "recommendations/dashboard.html", context)


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
        context.update({
            "text": text,
            "recommendations": FirstRows.of(Recommendation.objects.search(text).for_list()),
            "recommendations_url": f"{reverse('recommendations:list')}?{full_list}",
            "questions": FirstRows.of(text_search(
                ListOfIssuesParagraph.objects.select_related("document__cycle"), ["text"], text
            )),
            "replies": FirstRows.of(text_search(
                ReplyParagraph.objects.select_related("section", "document__cycle"), ["text"], text
            )),
            # The latest first, read from their index until enough match.
            "entries": FirstRows.of(
                FollowUpAssessment.objects.public().search(text).select_related(
                    "organisation", "recommendation__country", "recommendation__mechanism"
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
