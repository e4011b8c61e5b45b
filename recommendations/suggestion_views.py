"""Data-entry staff accept suggested tags and confirm suggested links (issue 18)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recommendations import repeats
from recommendations.models import Recommendation
from recommendations.suggestions import (
    ACCEPT_THRESHOLD, SHOWN, NothingToLearnFrom, accept, accept_best, can_accept, queue_rebuild,
)
from tracker.models import Document


@require_POST
@login_required
def accept_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_object_or_404(Recommendation, pk=pk)
    if not can_accept(request.user):
        raise PermissionDenied
    vocabulary, term = request.POST.get("vocabulary", ""), request.POST.get("term", "")
    if vocabulary in SHOWN and term.isdigit():
        accept(recommendation, vocabulary, [int(term)])
    elif vocabulary in ("previous", "issue", "reply") and term.isdigit():
        try:
            repeats.confirm(recommendation, vocabulary, int(term))
        except ObjectDoesNotExist:  # deleted since the page was shown
            raise Http404 from None
    else:
        return HttpResponse(_("Give a vocabulary and a term."), status=400)
    queue_rebuild()
    messages.success(request, _("Accepted."))
    return redirect(recommendation)


@require_POST
@login_required
def accept_document_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    if not can_accept(request.user):
        raise PermissionDenied
    recommendations = list(document.recommendations.order_by("order", "pk"))
    try:
        with transaction.atomic():
            added = accept_best(recommendations, ACCEPT_THRESHOLD)
    except NothingToLearnFrom:
        messages.error(request, _("Nothing to learn from yet: no recommendation is tagged."))
    else:
        queue_rebuild()
        messages.success(request, _("%(count)d tags added to the document's recommendations.")
                         % {"count": added})
    return redirect(document.get_absolute_url())
