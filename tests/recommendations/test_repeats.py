"""Links offered for confirmation (issue 18): the same recommendation in an earlier cycle, and the
questions and replies concluding observations follow from."""

import csv
import io
from pathlib import Path

import pytest

from recommendations.importing_files import import_recommendation_file
from recommendations.models import Recommendation, Role
from recommendations.repeats import earlier_candidates, follows_from
from tests.helpers import make_cycle, make_recommendation, make_user
from tracker.models import Document, ListOfIssuesParagraph, ReplySection

DATA = Path(__file__).parent.parent / "data"
CYCLE_2 = DATA / "UPR20_Slovenia_ThematicListRecommendations_E.docx"
CYCLE_3 = DATA / "UPR34_Slovenia_ThematicListRecommendations_E.docx"

pytestmark = pytest.mark.django_db


def slovenia_cycles() -> dict[tuple[int, str], Recommendation]:
    import_recommendation_file(CYCLE_2)
    import_recommendation_file(CYCLE_3)
    return {(r.upr_session, r.reference): r for r in Recommendation.objects.all()}


def test_cycle_3s_call_to_ratify_the_disappearance_convention_is_offered_cycle_2s():
    recommendations = slovenia_cycles()

    offered = earlier_candidates(recommendations[(34, "121.1")])

    # 115.14–16 of cycle 2 ask the same, in nearly the same words.
    assert {r.reference for r, _ in offered} <= {"115.14", "115.15", "115.16"}
    assert offered[0][1] > 0.5
    assert all(r.upr_session == 20 for r, _ in offered)
    # Cycle 2 has no earlier cycle to offer.
    assert earlier_candidates(recommendations[(20, "115.16")]) == []


def test_a_confirmed_repeat_shows_on_both_records_pages(client):
    recommendations = slovenia_cycles()
    later, earlier = recommendations[(34, "121.1")], recommendations[(20, "115.16")]
    client.force_login(make_user(role=Role.DATA_ENTRY))

    page = client.get(later.get_absolute_url()).content.decode()
    assert "The same recommendation in an earlier cycle?" in page
    client.post(f"/recommendations/{later.pk}/suggestions/accept/",
                {"vocabulary": "previous", "term": earlier.pk})

    later.refresh_from_db()
    assert later.previous == earlier
    assert "Previous cycle" in client.get(later.get_absolute_url()).content.decode()
    assert "Repeated in later cycles" in client.get(earlier.get_absolute_url()).content.decode()


def test_concluding_observations_are_offered_the_questions_and_replies_of_their_cycle():
    # Invented texts: tests/data holds no list of issues with its concluding observations.
    cycle = make_cycle()
    questions = Document.objects.create(symbol="CRC/C/KAZ/Q/5-6", kind=Document.Kind.LIST_OF_ISSUES,
                                        cycle=cycle)
    replies = Document.objects.create(symbol="CRC/C/KAZ/RQ/5-6", kind=Document.Kind.REPLIES,
                                      cycle=cycle)
    observations = Document.objects.create(
        symbol="CRC/C/KAZ/CO/5-6", kind=Document.Kind.CONCLUDING_OBSERVATIONS, cycle=cycle
    )
    birth = ListOfIssuesParagraph.objects.create(
        document=questions, number=3,
        text="Please inform the Committee of measures to ensure free birth registration.",
    )
    ListOfIssuesParagraph.objects.create(
        document=questions, number=4, text="Please describe juvenile justice courts.",
    )
    section = ReplySection.objects.create(document=replies, order=1,
                                          heading="Birth registration",
                                          text="Birth registration is free of charge.")
    recommendation = make_recommendation(
        cycle, document=observations,
        text="The Committee recommends that the State party ensure free birth registration.",
    )

    paragraphs, sections = follows_from(recommendation)

    assert [paragraph for paragraph, _ in paragraphs] == [birth]
    assert [found for found, _ in sections] == [section]
    recommendation.issue_paragraphs.add(birth)
    assert follows_from(recommendation)[0] == []


def test_the_csv_export_names_the_earlier_recommendation_a_confirmed_repeat_links(client):
    recommendations = slovenia_cycles()
    later, earlier = recommendations[(34, "121.1")], recommendations[(20, "115.16")]
    later.previous = earlier
    later.save(update_fields=["previous"])

    response = client.get("/recommendations/export.csv", {"q": "Enforced Disappearance"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    row = next(row for row in rows if row["Identifier"] == str(later.pk))
    assert row["Same recommendation in an earlier cycle"] == str(earlier.pk)
