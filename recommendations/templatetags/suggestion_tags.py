"""What the recommendation page shows data-entry staff to accept (issue 18), read from the index
the background job stored: the page never builds it."""

from __future__ import annotations

from django import template

from recommendations import repeats
from recommendations.models import Recommendation
from recommendations.suggestions import (
    NothingToLearnFrom, can_accept, stored_index, suggestions_for,
)

register = template.Library()


@register.simple_tag
def suggestions_of(recommendation: Recommendation, user) -> dict:
    """{"allowed": bool, "tags": {vocabulary: [Suggestion]} or None, "waiting": bool,
    "earlier": [(Recommendation, score)], "questions": […], "replies": […]}; only what a
    data-entry user may accept is computed."""
    shown = {"allowed": can_accept(user), "repeated_by": recommendation.repeated_by.select_related(
        "cycle", "mechanism").order_by("pk")}
    if not shown["allowed"]:
        return shown
    index = stored_index()
    shown["waiting"] = index is None and Recommendation.objects.filter(themes__isnull=False).exists()
    try:
        shown["tags"] = suggestions_for([recommendation], index)[recommendation.pk] if index else None
    except NothingToLearnFrom:
        shown["tags"] = None
    if recommendation.previous_id is None:
        shown["earlier"] = repeats.earlier_candidates(recommendation)
    shown["questions"], shown["replies"] = repeats.follows_from(recommendation)
    return shown
