import pytest
from django.db import IntegrityError

from recommendations.models import (
    FollowUpAssessment, Recommendation, RecommendationQuerySet, Role, Status,
)
from tests.helpers import make_organisation, make_recommendation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def coalition():
    return make_organisation("Coalition")


def bulk(recommendations, **fields) -> dict:
    data = {"recommendations": [r.pk for r in recommendations], "status": Status.IN_PROGRESS,
            "grade": "", "date": "2025-06-01", "summary": "A national plan covers these.",
            "evidence_links": "https://example.org/plan", "query": "mechanism=CRC", "submit": ""}
    data.update(fields)
    return data


def test_the_list_offers_the_selection_to_ngo_staff_only(client, coalition):
    make_recommendation()
    assert 'name="recommendations"' not in client.get("/recommendations/?current=0").content.decode()
    client.force_login(make_user(organisation=coalition, role=Role.NGO_STAFF))
    page = client.get("/recommendations/?current=0").content.decode()
    assert 'name="recommendations"' in page and 'id="bulk-log"' in page


@pytest.mark.parametrize("role", [Role.NGO_STAFF, Role.REVIEWER])
def test_it_logs_one_entry_for_each_recommendation(client, coalition, role):
    user = make_user(organisation=coalition, role=role)
    client.force_login(user)
    chosen = [make_recommendation(), make_recommendation()]
    untouched = make_recommendation()
    response = client.post("/recommendations/follow-up/", bulk(chosen))
    assert response.status_code == 302 and response["Location"].endswith("?mechanism=CRC")
    entries = FollowUpAssessment.objects.all()
    assert {entry.recommendation for entry in entries} == set(chosen)
    assert all(
        (entry.organisation, entry.author, entry.status, entry.review_state)
        == (coalition, user, Status.IN_PROGRESS, FollowUpAssessment.ReviewState.SUBMITTED)
        for entry in entries
    )
    assert not untouched.assessments.exists()


def test_it_needs_a_selection(client, coalition):
    client.force_login(make_user(organisation=coalition, role=Role.NGO_STAFF))
    client.post("/recommendations/follow-up/", bulk([]))
    assert not FollowUpAssessment.objects.exists()


def test_a_failure_on_one_recommendation_logs_none(client, coalition, monkeypatch):
    client.force_login(make_user(organisation=coalition, role=Role.NGO_STAFF))
    chosen = [make_recommendation(), make_recommendation(), make_recommendation()]
    original = RecommendationQuerySet.refresh_maintained

    def fail_on_the_last(recommendations, *args):
        if chosen[-1].pk in {recommendation.pk for recommendation in recommendations}:
            raise IntegrityError("simulated failure")
        return original(recommendations, *args)

    monkeypatch.setattr(RecommendationQuerySet, "refresh_maintained", fail_on_the_last)
    with pytest.raises(IntegrityError):
        client.post("/recommendations/follow-up/", bulk(chosen))
    # The first two entries were rolled back with the third.
    assert not FollowUpAssessment.objects.exists()
