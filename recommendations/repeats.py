"""Links offered for confirmation: the same recommendation in an earlier cycle of the same State
(any mechanism), and, for concluding observations, the list-of-issues paragraphs and reply
sections of the cycle they follow from. Scored by TF-IDF cosine likeness of the texts; a link is
made only when a person confirms it."""

from __future__ import annotations

import re

from django.db.models import Q
from sklearn.feature_extraction.text import TfidfVectorizer

from recommendations.models import Recommendation
from tracker.models import Document, ListOfIssuesParagraph, ReplySection

# The earlier recommendations of a State compared with one: its latest, enough for every cycle.
MAX_CANDIDATES = 5000
LEAST_SCORE = 0.3  # below this, texts share little more than their common words
# The recommending States a UPR text ends with, "(France) (Lithuania)": not what it asks.
_STATES = re.compile(r"(\s*\([^()]*\))+[\s.;]*$")


def _ranked(text: str, candidates: list[tuple[object, str]], limit: int) -> list[tuple[object, float]]:
    candidates = [(item, candidate) for item, candidate in candidates if candidate.strip()]
    if not candidates or not text.strip():
        return []
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    texts = [_STATES.sub("", text) for text in [text] + [candidate for _, candidate in candidates]]
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # only stop words
        return []
    scores = (matrix[1:] @ matrix[0].T).toarray().ravel()
    best = sorted(range(len(candidates)), key=lambda number: -scores[number])[:limit]
    return [(candidates[number][0], float(scores[number])) for number in best
            if scores[number] >= LEAST_SCORE]


def earlier_candidates(recommendation: Recommendation, limit: int = 3) -> list[tuple[Recommendation, float]]:
    """The State's most similar recommendations of earlier cycles, best first, with their score."""
    if recommendation.country_id is None:
        return []
    earlier = Recommendation.objects.filter(country_id=recommendation.country_id).exclude(
        pk=recommendation.pk
    )
    if recommendation.cycle_id:
        earlier = earlier.exclude(cycle_id=recommendation.cycle_id)
    if recommendation.document_id:
        earlier = earlier.exclude(document_id=recommendation.document_id)
    if recommendation.upr_session:
        earlier = earlier.filter(Q(upr_session__lt=recommendation.upr_session)
                                 | Q(upr_session=None))
    if recommendation.date:
        earlier = earlier.filter(Q(date__lt=recommendation.date) | Q(date=None))
    candidates = list(earlier.select_related("cycle", "mechanism").order_by("-pk")[:MAX_CANDIDATES])
    return _ranked(recommendation.text, [(item, item.text) for item in candidates], limit)


def follows_from(
    recommendation: Recommendation, limit: int = 3,
) -> tuple[list[tuple[ListOfIssuesParagraph, float]], list[tuple[ReplySection, float]]]:
    """For concluding observations: the cycle's list-of-issues paragraphs and reply sections most
    like the recommendation, not yet linked to it."""
    document = recommendation.document
    if (document is None or document.kind != Document.Kind.CONCLUDING_OBSERVATIONS
            or not recommendation.cycle_id):
        return [], []
    paragraphs = ListOfIssuesParagraph.objects.filter(
        document__cycle_id=recommendation.cycle_id
    ).exclude(recommendations=recommendation).select_related("document")
    sections = ReplySection.objects.filter(document__cycle_id=recommendation.cycle_id).exclude(
        recommendations=recommendation
    ).select_related("document")
    # Ranked together, so that the words' weights come from both kinds of text.
    ranked = _ranked(recommendation.text, [(item, item.text) for item in paragraphs]
                     + [(item, f"{item.heading} {item.text}") for item in sections], 2 * limit)
    return (
        [(item, score) for item, score in ranked if isinstance(item, ListOfIssuesParagraph)][:limit],
        [(item, score) for item, score in ranked if isinstance(item, ReplySection)][:limit],
    )


def confirm(recommendation: Recommendation, link: str, pk: int) -> None:
    """Make the link a person confirmed: "previous", "issue" or "reply"."""
    if link == "previous":
        recommendation.previous = Recommendation.objects.get(pk=pk)
        recommendation.save(update_fields=["previous"])
    elif link == "issue":
        recommendation.issue_paragraphs.add(ListOfIssuesParagraph.objects.get(pk=pk))
    elif link == "reply":
        recommendation.reply_sections.add(ReplySection.objects.get(pk=pk))
    else:
        raise ValueError(link)
