import pytest
from django.contrib.auth.models import User

from recommendations.models import FollowUpAssessment, Status
from tests.helpers import make_assessment, make_organisation, make_recommendation

pytestmark = pytest.mark.django_db

URL = "/admin/recommendations/followupassessment/"
Review = FollowUpAssessment.ReviewState


def accept(client, *entries: FollowUpAssessment):
    return client.post(URL, {"action": "accept", "_selected_action": [e.pk for e in entries]})


def test_the_accept_action_reviews_the_submitted_entries_as_the_review_page_does(admin_client):
    recommendation = make_recommendation()
    submitted = make_assessment(recommendation, make_organisation(), Status.IMPLEMENTED,
                                review_state=Review.SUBMITTED)
    draft = make_assessment(make_recommendation(), make_organisation(), Status.IN_PROGRESS,
                            review_state=Review.DRAFT)
    accept(admin_client, submitted, draft)
    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert (submitted.review_state, submitted.reviewer) == (
        Review.ACCEPTED, User.objects.get(username="admin")
    )
    assert submitted.reviewed_at is not None
    assert draft.review_state == Review.DRAFT
    recommendation.refresh_from_db()
    assert recommendation.status == Status.IMPLEMENTED


def test_an_editor_who_read_the_entry_before_it_was_accepted_is_refused(admin_client):
    entry = make_assessment(make_recommendation(), make_organisation(), Status.IMPLEMENTED,
                            review_state=Review.SUBMITTED)
    read_at = entry.version
    accept(admin_client, entry)
    # FollowUpAssessment.review() claims a new version, as the review page does: a save of
    # what was read before is refused rather than overwriting the decision.
    entry.refresh_from_db()
    assert entry.version == read_at + 1
    entry.summary = "Changed after all."
    assert not entry.save_if_unchanged(read_at)
