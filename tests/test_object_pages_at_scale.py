"""The recommendation page (short and long history), the cycle's questions-and-answers page and
the downloads ask the same number of queries on generated data of two sizes (issue 7)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations import exports
from recommendations.models import Recommendation
from tests.helpers import query_counts
from tracker.models import ListOfIssuesParagraph

pytestmark = pytest.mark.django_db

# (recommendations, follow-up entries): three times as many the second time.
SIZES = [(500, 1_500), (1_500, 4_500)]
MAX_QUERIES = 15


def pages() -> dict[str, str]:
    by_history = Recommendation.objects.annotate(entries=Count("assessments")).order_by(
        "-entries", "pk"
    )
    longest, shortest = by_history.first(), by_history.filter(entries__gt=0).last()
    cycle = (
        ListOfIssuesParagraph.objects.values("document__cycle")
        .annotate(paragraphs=Count("pk"))
        .order_by("-paragraphs", "document__cycle")
        .first()["document__cycle"]
    )
    return {
        "long history": longest.get_absolute_url(),
        "short history": shortest.get_absolute_url(),
        "questions and answers": reverse("tracker:cycle", args=[cycle]),
    }


def page_query_counts(client) -> dict[str, int]:
    counts = query_counts(client, pages())
    for name in ["export-csv", "export-xlsx", "export-uhri"]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(f"recommendations:{name}"), {"current": "0"})
            b"".join(response.streaming_content)
        # The rows, then one query per many-to-many field for each chunk of rows.
        chunks = -(-Recommendation.objects.count() // exports.CHUNK_SIZE)
        counts[name] = len(queries) - 4 * chunks
    return counts


def test_the_pages_ask_the_same_few_queries_whatever_the_size(client, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 200)
    counts = []
    for recommendations, assessments in SIZES:
        call_command("generate_scale_data", recommendations=recommendations,
                     assessments=assessments, flush=True, verbosity=0)
        counts.append(page_query_counts(client))
    assert counts[0] == counts[1]
    assert max(counts[0].values()) <= MAX_QUERIES, counts[0]
