"""The follow-up entries' own pages: editing and submitting an entry, the review queue and a
review, one status logged for many recommendations, an entry's evidence files. (An entry logged
on the recommendation's page is in views.py, with that page.)"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from recommendations.filters import ReviewQueueFilter
from recommendations.forms import AssessmentForm, BulkLogForm, ReviewForm
from recommendations.models import EvidenceFile, FollowUpAssessment
from recommendations.tables import PAGE_SIZES, ReviewQueueTable
from tracker.accounts import permissions


def _editable_assessment(request: HttpRequest, pk: int) -> FollowUpAssessment:
    assessment = get_object_or_404(
        FollowUpAssessment.objects.select_related("recommendation", "organisation"), pk=pk
    )
    if not assessment.can_edit(request.user):
        raise PermissionDenied
    return assessment


@login_required
def edit_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _editable_assessment(request, pk)
    context: dict = {"assessment": assessment}
    if request.method == "POST":
        form = AssessmentForm(
            request.POST, request.FILES, instance=assessment,
            recommendation=assessment.recommendation,
        )
        if form.is_valid():
            if form.save_edit(submit="submit" in request.POST):
                messages.success(request, _("Follow-up entry saved."))
                return redirect(assessment.recommendation)
            # Someone saved first: show what they changed, with this editor's text kept, and
            # the form now at the current version so that saving again is a deliberate choice.
            shown = form.cleaned_data["version"] or 0
            current = FollowUpAssessment.objects.get(pk=pk)
            data = request.POST.copy()
            data["version"] = str(current.version)
            context["conflict"] = True
            context["changes"] = current.changes_since(shown)
            context["form"] = AssessmentForm(
                data, instance=current, recommendation=assessment.recommendation
            )
            return render(request, "recommendations/assessment_form.html", context, status=409)
        context["form"] = form
        return render(request, "recommendations/assessment_form.html", context, status=400)
    context["form"] = AssessmentForm(
        instance=assessment, recommendation=assessment.recommendation,
        paragraph_search=request.GET.get("paragraphs", ""),
    )
    context["paragraph_search"] = request.GET.get("paragraphs", "")
    return render(request, "recommendations/assessment_form.html", context)


@require_POST
@login_required
def submit_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _editable_assessment(request, pk)
    if not assessment.can_submit(request.user):
        raise PermissionDenied
    if assessment.submit(int(request.POST.get("version") or 0)):
        messages.success(request, _("Follow-up submitted for review."))
    else:
        messages.error(request, _("Someone changed this entry meanwhile: read it again first."))
    return redirect(assessment.recommendation)


class ReviewQueueView(LoginRequiredMixin, UserPassesTestMixin, SingleTableMixin, FilterView):
    """Submitted entries waiting for a reviewer; signed-in users without the role get 403."""

    filterset_class = ReviewQueueFilter
    table_class = ReviewQueueTable
    template_name = "recommendations/review_queue.html"

    def test_func(self) -> bool:
        return permissions.can_review(self.request.user)

    def get_queryset(self) -> QuerySet[FollowUpAssessment]:
        return FollowUpAssessment.objects.reviewable_by(self.request.user).select_related(
            "organisation", "recommendation__country", "recommendation__mechanism"
        ).order_by("date", "pk")

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["page_sizes"] = PAGE_SIZES
        return context


@login_required
def review_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(
        FollowUpAssessment.objects.select_related("recommendation", "organisation", "author"),
        pk=pk,
    )
    if not assessment.can_review(request.user):
        raise PermissionDenied
    form = ReviewForm(request.POST or None, initial={"version": assessment.version})
    if request.method == "POST" and form.is_valid():
        accepted = form.cleaned_data["decision"] == "accept"
        if assessment.review(request.user, accepted, form.cleaned_data["note"],
                             form.cleaned_data["version"]):
            messages.success(request, _("Entry accepted.") if accepted else _("Entry disputed."))
            return redirect("recommendations:review-queue")
        messages.error(request, _("The entry changed while you read it: read it again first."))
        return redirect("recommendations:review", pk)
    return render(request, "recommendations/review_form.html", {
        "assessment": assessment, "form": form,
    }, status=400 if form.errors else 200)


@require_POST
@login_required
def bulk_log(request: HttpRequest) -> HttpResponse:
    if not permissions.can_bulk_log(request.user):
        raise PermissionDenied
    form = BulkLogForm(request.POST)
    list_url = f"{reverse('recommendations:list')}?{request.POST.get('query', '')}"
    if not form.is_valid():
        reasons = " ".join(error for errors in form.errors.values() for error in errors)
        messages.error(request, _("Nothing was logged: %(reasons)s") % {"reasons": reasons})
        return redirect(list_url)
    data = form.cleaned_data
    entries = FollowUpAssessment.objects.log_many(
        data["recommendations"], request.user,
        submit="submit" in request.POST, status=data["status"], grade=data["grade"],
        date=data["date"], summary=data["summary"], evidence_links=data["evidence_links"],
    )
    messages.success(request, ngettext(
        "Follow-up logged for %(count)d recommendation.",
        "Follow-up logged for %(count)d recommendations.", len(entries),
    ) % {"count": len(entries)})
    return redirect(list_url)


@require_safe
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_object_or_404(EvidenceFile.objects.select_related("assessment"), pk=pk)
    if not evidence.assessment.can_read(request.user):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    # Always a download: a file is never rendered as a page of this site.
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.name,
        content_type=evidence.content_type,
    )
