import io

import docx
import pytest
from django.urls import reverse

from recommendations.models import FollowUpAssessment, Status
from tests.helpers import (
    make_assessment,
    make_cycle,
    make_organisation,
    make_recommendation,
    make_user,
)
from tracker.models import Document, ListOfIssuesParagraph, ReplyParagraph, ReplySection

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    # Pages need a signed-in user unless TRACKER_PUBLIC_READ is on; any reader may download.
    client.force_login(make_user())
    return client


@pytest.fixture
def cycle():
    cycle = make_cycle("KAZ", "CRC", "5-6")
    questions = Document.objects.create(
        cycle=cycle, kind=Document.Kind.LIST_OF_ISSUES, symbol="CRC/C/KAZ/Q/5-6"
    )
    replies = Document.objects.create(
        cycle=cycle, kind=Document.Kind.REPLIES, symbol="CRC/C/KAZ/RQ/5-6", answers=questions
    )
    question = ListOfIssuesParagraph.objects.create(
        document=questions, number=4, text="Please describe the measures against child labour."
    )
    section = ReplySection.objects.create(document=replies, order=1, heading="Reply to paragraph 4")
    section.issue_paragraphs.add(question)
    ReplyParagraph.objects.create(
        section=section, number=12, text="A labour inspectorate was set up."
    )
    ngo = make_organisation("Children's Rights Coalition")
    other = make_organisation("Ombudsman's Office")
    law = make_recommendation(cycle, reference="23 (b)", text="Adopt a law against child labour.")
    law.reply_sections.add(section)
    make_assessment(
        law, ngo, Status.IN_PROGRESS, grade="B1", summary="A bill is before parliament.",
        evidence_links="https://example.org/bill\njavascript:alert(1)",
    )
    make_assessment(law, other, Status.NOT_STARTED, summary="Only a draft of an idea.",
                    review_state=FollowUpAssessment.ReviewState.DRAFT)
    make_assessment(law, other, Status.NOT_STARTED, summary="Disputed claim.",
                    review_state=FollowUpAssessment.ReviewState.DISPUTED)
    make_recommendation(cycle, reference="31", text="Ratify the third Optional Protocol.")
    # Another cycle's recommendation must stay out of this cycle's report.
    make_recommendation(text="Another cycle's recommendation.")
    return cycle


def docx_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    document = docx.Document(io.BytesIO(response.content))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def test_the_docx_lists_questions_replies_and_recommendations(client, cycle):
    text = docx_text(client.get(reverse("recommendations:cycle-report-docx", args=[cycle.pk])))

    assert "Paragraph 4" in text
    assert "Please describe the measures against child labour." in text
    # The State's reply, by heading, document and paragraph number.
    reply = "Reply to paragraph 4 (CRC/C/KAZ/RQ/5-6, ¶ 12): A labour inspectorate was set up."
    assert reply in text
    assert "Recommendation 23 (b)" in text and "Recommendation 31" in text
    assert "Another cycle's recommendation." not in text


def test_the_docx_shows_only_accepted_assessments(client, cycle):
    text = docx_text(client.get(reverse("recommendations:cycle-report-docx", args=[cycle.pk])))

    assert "Children's Rights Coalition · In progress · grade B1" in text
    assert "A bill is before parliament." in text
    assert "https://example.org/bill" in text
    # Neither a draft nor a disputed entry is the coalition's word yet.
    assert "Only a draft of an idea." not in text
    assert "Disputed claim." not in text
    assert "No accepted follow-up yet." in text  # recommendation 31


def test_the_printable_page_shows_the_same_draft(client, cycle):
    response = client.get(reverse("recommendations:cycle-report", args=[cycle.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "A bill is before parliament." in page
    assert "Only a draft of an idea." not in page
    # The print layout is a stylesheet of its own: nothing inline, as the CSP requires.
    assert 'href="/static/css/cycle-report.css"' in page
    assert "<style" not in page and "<script" not in page
    # Only http(s) links are made clickable.
    assert 'href="https://example.org/bill"' in page and "javascript:alert" not in page


def test_the_cycle_page_links_to_both_downloads(client, cycle):
    page = client.get(cycle.get_absolute_url()).content.decode()

    assert reverse("recommendations:cycle-report-docx", args=[cycle.pk]) in page
    assert reverse("recommendations:cycle-report", args=[cycle.pk]) in page


def test_it_answers_404_for_an_unknown_cycle(client):
    url = reverse("recommendations:cycle-report-docx", args=[999999])
    assert client.get(url).status_code == 404
