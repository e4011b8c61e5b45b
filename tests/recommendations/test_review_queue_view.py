import pytest

from recommendations.models import DISPUTED, FollowUpAssessment, Role, Status
from tests.helpers import make_assessment, make_cycle, make_organisation, make_recommendation, make_user

pytestmark = pytest.mark.django_db

SUBMITTED = FollowUpAssessment.ReviewState.SUBMITTED


@pytest.fixture
def reviewer(client):
    user = make_user("ombudsman", organisation=make_organisation(kind="nhri"), role=Role.REVIEWER)
    client.force_login(user)
    return user


def test_the_queue_lists_submitted_entries_only(client, reviewer):
    recommendation = make_recommendation()
    waiting = make_assessment(recommendation, make_organisation("Waiting"), Status.IN_PROGRESS,
                              review_state=SUBMITTED, summary="Waiting for review")
    make_assessment(recommendation, make_organisation("Drafting"), Status.IN_PROGRESS,
                    review_state=FollowUpAssessment.ReviewState.DRAFT, summary="Still a draft")
    make_assessment(recommendation, make_organisation("Done"), Status.IN_PROGRESS,
                    summary="Already accepted")
    page = client.get("/follow-up/review/").content.decode()
    assert "Waiting for review" in page
    assert "Still a draft" not in page and "Already accepted" not in page
    assert f"/follow-up/{waiting.pk}/review/" in page


def test_the_queue_filters_by_country_mechanism_and_organisation(client, reviewer):
    kaz = make_recommendation(make_cycle("KAZ", "CRC", "A"))
    uzb = make_recommendation(make_cycle("UZB", "CEDAW", "B"))
    coalition, other = make_organisation("Coalition"), make_organisation("Other")
    make_assessment(kaz, coalition, Status.IN_PROGRESS, review_state=SUBMITTED, summary="On KAZ")
    make_assessment(uzb, other, Status.IN_PROGRESS, review_state=SUBMITTED, summary="On UZB")
    for query in ("country=KAZ", "mechanism=CRC", f"organisation={coalition.pk}"):
        page = client.get(f"/follow-up/review/?{query}").content.decode()
        assert "On KAZ" in page and "On UZB" not in page, query


def test_the_review_flow_accept_then_dispute(client, reviewer):
    recommendation = make_recommendation()
    first = make_assessment(recommendation, make_organisation(), Status.IMPLEMENTED,
                            review_state=SUBMITTED)
    response = client.post(f"/follow-up/{first.pk}/review/", {
        "decision": "accept", "note": "Checked with the ministry.", "version": first.version,
    })
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.review_state == FollowUpAssessment.ReviewState.ACCEPTED
    assert (first.reviewer, first.review_note) == (reviewer, "Checked with the ministry.")
    recommendation.refresh_from_db()
    assert recommendation.status == Status.IMPLEMENTED
    # The decision and the note appear in the recommendation's history.
    page = client.get(recommendation.get_absolute_url()).content.decode()
    assert "Checked with the ministry." in page and "Accepted" in page

    # A second organisation says otherwise; once accepted too, the recommendation is disputed.
    second = make_assessment(recommendation, make_organisation(), Status.NOT_STARTED,
                             review_state=SUBMITTED)
    client.post(f"/follow-up/{second.pk}/review/",
                {"decision": "accept", "note": "", "version": second.version})
    recommendation.refresh_from_db()
    assert recommendation.status == DISPUTED


def test_a_dispute_needs_a_note(client, reviewer):
    entry = make_assessment(make_recommendation(), make_organisation(), Status.IMPLEMENTED,
                            review_state=SUBMITTED)
    response = client.post(f"/follow-up/{entry.pk}/review/",
                           {"decision": "dispute", "note": " ", "version": entry.version})
    assert response.status_code == 400
    client.post(f"/follow-up/{entry.pk}/review/",
                {"decision": "dispute", "note": "No law exists.", "version": entry.version})
    entry.refresh_from_db()
    assert entry.review_state == FollowUpAssessment.ReviewState.DISPUTED


def test_an_entry_changed_while_the_reviewer_read_it_is_not_reviewed(client, reviewer):
    entry = make_assessment(make_recommendation(), make_organisation(), Status.IMPLEMENTED,
                            review_state=SUBMITTED)
    shown = entry.version
    entry.summary = "Changed by its organisation."
    assert entry.save_if_unchanged(shown)
    client.post(f"/follow-up/{entry.pk}/review/",
                {"decision": "accept", "note": "", "version": shown})
    entry.refresh_from_db()
    assert entry.review_state == SUBMITTED


def test_an_entry_is_reviewed_once(client, reviewer):
    entry = make_assessment(make_recommendation(), make_organisation(), Status.IMPLEMENTED)
    response = client.post(f"/follow-up/{entry.pk}/review/",
                           {"decision": "dispute", "note": "x", "version": entry.version})
    assert response.status_code == 403


def test_ngo_staff_may_not_open_the_queue(client):
    client.force_login(make_user(organisation=make_organisation(), role=Role.NGO_STAFF))
    assert client.get("/follow-up/review/").status_code == 403
