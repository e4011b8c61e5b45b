"""The dashboard's status chart (inline SVG drawn by the server) and search-result highlighting."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from recommendations.models import OVERALL_STATUS_CHOICES
from tracker.accounts import permissions

register = template.Library()

# Chart geometry, in SVG user units (the SVG scales to its container).
WIDTH, BAR_HEIGHT, GAP = 640, 22, 10
LABEL_WIDTH, TOTAL_WIDTH = 110, 56
EXCERPT_CHARS = 320


def _number(value: float) -> str:
    # Formatted here, not in the template, so that French decimal commas never reach SVG.
    return f"{value:.1f}"


@register.inclusion_tag("recommendations/status_chart.html")
def status_chart(counts: Iterable[dict]) -> dict:
    """A horizontal stacked bar per mechanism, one segment per status, from the rows of
    `RecommendationQuerySet.status_counts()`; the template adds the same figures as a table."""
    by_mechanism: dict[str, dict[str, int]] = {}
    for row in counts:
        by_mechanism.setdefault(row["mechanism__code"], {})[row["status"]] = row["count"]
    if not by_mechanism:
        return {"bars": []}
    # Only the statuses some recommendation has, in the order of the choices.
    labels = {
        status: label for status, label in OVERALL_STATUS_CHOICES
        if any(status in statuses for statuses in by_mechanism.values())
    }
    largest = max(sum(statuses.values()) for statuses in by_mechanism.values())
    scale = (WIDTH - LABEL_WIDTH - TOTAL_WIDTH) / largest
    bars = []
    for index, (mechanism, statuses) in enumerate(by_mechanism.items()):
        y = index * (BAR_HEIGHT + GAP)
        x = LABEL_WIDTH
        segments = []
        for status, label in labels.items():
            count = statuses.get(status, 0)
            if count:
                width = count * scale
                segments.append({"status": status, "label": label, "count": count,
                                 "x": _number(x), "width": _number(width)})
                x += width
        bars.append({
            "mechanism": mechanism,
            "total": sum(statuses.values()),
            "segments": segments,
            "y": _number(y),
            "text_y": _number(y + BAR_HEIGHT * 0.7),
            "total_x": _number(x + 6),
            "cells": [{"status": status, "count": statuses.get(status, 0)} for status in labels],
        })
    return {
        "bars": bars,
        "width": WIDTH,
        "height": len(bars) * (BAR_HEIGHT + GAP),
        "bar_height": BAR_HEIGHT,
        "label_x": LABEL_WIDTH - 8,
        # For the legend and the table's columns.
        "statuses": [{"status": status, "label": label} for status, label in labels.items()],
    }


def _stems(query: str) -> list[str]:
    """The words of a search worth marking, a plural "s" dropped so that "enfants" also marks
    "enfant". Short words ("du", "des", "of") are marked only when the search has no longer ones:
    marked everywhere, they would hide the words that matter."""
    words = {word.lower() for word in re.findall(r"\w{2,}", query)}
    long_words = {word for word in words if len(word) > 3}
    stems = {word[:-1] if len(word) > 3 and word.endswith("s") else word
             for word in long_words or words}
    return sorted(stems, key=len, reverse=True)


@register.filter
def highlight(text: str | None, query: str) -> SafeString:
    """An excerpt of `text` around the first word of `query` it holds, escaped, with those
    words in <mark>. The text is escaped piece by piece before any tag is added."""
    text = text or ""
    stems = _stems(query or "")
    if not stems:
        return escape(_excerpt(text, 0))
    pattern = re.compile(r"(?<!\w)(?:%s)\w*" % "|".join(map(re.escape, stems)), re.IGNORECASE)
    first = pattern.search(text)
    excerpt = _excerpt(text, first.start() if first else 0)
    pieces, position = [], 0
    for match in pattern.finditer(excerpt):
        pieces.append(escape(excerpt[position:match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(excerpt[position:]))
    return mark_safe("".join(pieces))


def _excerpt(text: str, around: int) -> str:
    """About EXCERPT_CHARS of the text, starting a little before position `around`."""
    if len(text) <= EXCERPT_CHARS:
        return text
    start = max(0, around - EXCERPT_CHARS // 4)
    if start:
        # Begin at a word.
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < around else start
    end = min(len(text), start + EXCERPT_CHARS)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > around else end
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


@register.filter
def may_review(user) -> bool:
    """Whether the navigation offers the review queue (reviewers and superusers)."""
    return permissions.can_review(user)
