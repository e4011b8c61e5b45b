"""The alternative-report draft of a cycle (Word and printable HTML) and a recommendation's change
history. Kept apart from views.py, which the follow-up logging work is changing at the same time."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from recommendations.models import FollowUpAssessment, Recommendation
from recommendations.reports import build_report, write_docx
from tracker.history import history_entries
from tracker.models import ReportingCycle

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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
