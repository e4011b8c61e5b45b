"""The recommendation page (short and long history; with everything it can show, read
anonymously, by NGO staff who may log follow-up and by a superuser), the cycle's
questions-and-answers page and the downloads ask the same number of queries on generated data of
two sizes (issue 7)."""

from collections import Counter

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations import exports
from recommendations.models import EvidenceFile, FollowUpAssessment, Measure, Recommendation, Role
from tests.helpers import generate_scale_data, make_assessment, make_user, query_counts
from tracker.models import ListOfIssuesParagraph, Organisation, ReplyParagraph, ReplySection

pytestmark = pytest.mark.django_db

# (recommendations, follow-up entries): three times as many the second time.
SIZES = [(500, 1_500), (1_500, 4_500)]
MAX_QUERIES = 15
SUGGESTION_PANEL_QUERIES = 4


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


def fullest_recommendation() -> tuple[Recommendation, Organisation]:
    """The longest history among the recommendations of cycles with replies, given besides all
    the page can show: more entries, reply sections, list-of-issues paragraphs, a measure, reply
    paragraphs and files cited as evidence, and a draft and an entry waiting for review of the
    organisation that wrote most of its history, returned with it."""
    recommendation = (
        Recommendation.objects.filter(cycle__in=ReplyParagraph.objects.values("document__cycle"))
        .annotate(entries=Count("assessments"))
        .order_by("-entries", "pk")
        .first()
    )
    cycle = recommendation.cycle_id
    recommendation.reply_sections.add(*ReplySection.objects.filter(document__cycle=cycle)[:3])
    recommendation.issue_paragraphs.add(
        *ListOfIssuesParagraph.objects.filter(document__cycle=cycle)[:3]
    )
    Measure.objects.create(
        title="National action plan", country=recommendation.country
    ).recommendations.add(recommendation)
    for organisation in Organisation.objects.order_by("pk")[:3]:
        make_assessment(recommendation, organisation, recommendation.status)
    replies = list(ReplyParagraph.objects.filter(document__cycle=cycle)[:3])
    history = list(recommendation.assessments.public().order_by("pk"))
    for number, entry in enumerate(history[:5]):
        entry.evidence_paragraphs.add(*replies)
        EvidenceFile.objects.create(
            assessment=entry, file=f"evidence/{number}.pdf", name=f"Decree {number}.pdf",
            content_type="application/pdf", size=1_000,
        )
    organisation = Counter(entry.organisation for entry in history).most_common(1)[0][0]
    for state in (FollowUpAssessment.ReviewState.DRAFT, FollowUpAssessment.ReviewState.SUBMITTED):
        make_assessment(recommendation, organisation, recommendation.status, review_state=state)
    return recommendation, organisation


def signed_in_query_counts(client, url: str, users: dict) -> dict[str, int]:
    counts = {}
    for name, user in users.items():
        # The backend a sign-in through the form records (allauth's, as tracker.accounts has it).
        client.force_login(user, backend="tracker.accounts.adapters.AuthenticationBackend")
        # A session signed in without a code asks once whether the user has an authenticator
        # (MFARequiredMiddleware): what follows is the page as it is then read.
        page = client.get(url).content.decode()
        # The worst case: the log form with its paragraph picker, the drafts, the evidence.
        assert 'id="log-follow-up"' in page and 'draft-entry"' in page, name
        assert "Reply paragraphs cited:" in page and 'class="small evidence-files"' in page, name
        counts.update(query_counts(client, {name: url}))
        client.logout()
        user.delete()  # and the membership, before the next size deletes the organisation
    return counts


def page_query_counts(client) -> dict[str, int]:
    recommendation, organisation = fullest_recommendation()
    url = recommendation.get_absolute_url()
    counts = query_counts(client, {**pages(), "fullest recommendation": url})
    counts |= signed_in_query_counts(client, url, {
        "fullest recommendation, NGO staff": make_user(
            organisation=organisation, role=Role.NGO_STAFF
        ),
        # With a TOTP authenticator (make_user), as superusers must use MFA.
        "fullest recommendation, superuser": make_user(
            organisation=organisation, is_superuser=True
        ),
    })
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
        generate_scale_data(recommendations=recommendations,
                            assessments=assessments, flush=True, verbosity=0)
        counts.append(page_query_counts(client))
    assert counts[0] == counts[1]
    # Data-entry staff also see the suggestions panel (issue 18), which reads its candidates
    # apart: earlier cycles' recommendations, the cycle's questions and reply sections, the
    # check for anything tagged yet. The same for every size, as asserted above.
    data_entry = counts[0].pop("fullest recommendation, superuser")
    assert data_entry <= MAX_QUERIES + SUGGESTION_PANEL_QUERIES, data_entry
    assert max(counts[0].values()) <= MAX_QUERIES, counts[0]
