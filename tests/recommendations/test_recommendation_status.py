import pytest

from recommendations.models import DISPUTED, FollowUpAssessment, Recommendation, Status
from tests.helpers import days, make_assessment, make_organisation, make_recommendation, today

pytestmark = pytest.mark.django_db

ACCEPTED = FollowUpAssessment.ReviewState.ACCEPTED
SUBMITTED = FollowUpAssessment.ReviewState.SUBMITTED
DRAFT = FollowUpAssessment.ReviewState.DRAFT


def status_in_database(recommendation: Recommendation) -> str:
    return Recommendation.objects.get(pk=recommendation.pk).status


def test_a_recommendation_without_entries_has_no_information():
    assert status_in_database(make_recommendation()) == Status.NO_INFORMATION


def test_the_latest_accepted_entry_gives_the_status():
    recommendation = make_recommendation()
    ngo = make_organisation()
    make_assessment(recommendation, ngo, Status.NOT_STARTED, date=today() - days(300))
    make_assessment(recommendation, ngo, Status.IN_PROGRESS, date=today() - days(10))
    assert status_in_database(recommendation) == Status.IN_PROGRESS


def test_entries_not_yet_accepted_do_not_change_the_status():
    recommendation = make_recommendation()
    ngo = make_organisation()
    make_assessment(recommendation, ngo, Status.IN_PROGRESS)
    make_assessment(recommendation, ngo, Status.IMPLEMENTED, review_state=SUBMITTED, date=today() + days(1))
    make_assessment(recommendation, ngo, Status.NOT_IMPLEMENTED, review_state=DRAFT, date=today() + days(2))
    assert status_in_database(recommendation) == Status.IN_PROGRESS


def test_organisations_that_disagree_make_the_recommendation_disputed():
    recommendation = make_recommendation()
    make_assessment(recommendation, make_organisation(), Status.IMPLEMENTED)
    make_assessment(recommendation, make_organisation(), Status.PARTIALLY_IMPLEMENTED)
    assert status_in_database(recommendation) == DISPUTED


def test_an_organisation_changing_its_mind_resolves_the_dispute():
    recommendation = make_recommendation()
    ombudsman, ngo = make_organisation(), make_organisation()
    make_assessment(recommendation, ombudsman, Status.IMPLEMENTED, date=today() - days(5))
    make_assessment(recommendation, ngo, Status.IN_PROGRESS, date=today() - days(5))
    make_assessment(recommendation, ngo, Status.IMPLEMENTED, date=today())
    assert status_in_database(recommendation) == Status.IMPLEMENTED


def test_deleting_an_entry_recomputes_the_status():
    recommendation = make_recommendation()
    ngo = make_organisation()
    make_assessment(recommendation, ngo, Status.IN_PROGRESS, date=today() - days(5))
    latest = make_assessment(recommendation, ngo, Status.IMPLEMENTED)
    latest.delete()
    assert status_in_database(recommendation) == Status.IN_PROGRESS


def test_current_assessments_keep_each_organisations_latest_entry_in_one_query(django_assert_num_queries):
    recommendation = make_recommendation()
    first, second = make_organisation("Alpha"), make_organisation("Beta")
    make_assessment(recommendation, first, Status.NOT_STARTED, date=today() - days(40))
    newest_first = make_assessment(recommendation, first, Status.IN_PROGRESS, date=today() - days(4))
    newest_second = make_assessment(recommendation, second, Status.IMPLEMENTED, review_state=SUBMITTED)
    make_assessment(recommendation, second, Status.NOT_STARTED, review_state=DRAFT, date=today() + days(1))

    with django_assert_num_queries(1):
        current = {a.organisation.name: a for a in recommendation.current_assessments()}
    # Drafts are private to their authors: the latest *submitted or reviewed* entry is current.
    assert current == {"Alpha": newest_first, "Beta": newest_second}


def test_current_only_hides_recommendations_of_past_cycles():
    past = make_recommendation()
    assert past.cycle.is_current is False
    current = make_recommendation(cycle=past.cycle.__class__.objects.create(
        country=past.country, mechanism=past.mechanism, label="7"))
    assert list(Recommendation.objects.current()) == [current]


def test_moving_an_entry_to_another_recommendation_recomputes_both():
    first, second = make_recommendation(), make_recommendation()
    entry = make_assessment(first, make_organisation(), Status.IMPLEMENTED)
    entry.recommendation = second
    entry.save()
    assert status_in_database(first) == Status.NO_INFORMATION
    assert status_in_database(second) == Status.IMPLEMENTED


def test_deleting_entries_from_the_admin_list_recomputes_the_status(admin_client):
    from django.urls import reverse

    recommendation = make_recommendation()
    entry = make_assessment(recommendation, make_organisation(), Status.IMPLEMENTED)
    admin_client.post(reverse("admin:recommendations_followupassessment_changelist"), {
        "action": "delete_selected", "_selected_action": [entry.pk], "post": "yes",
    })
    assert not FollowUpAssessment.objects.exists()
    assert status_in_database(recommendation) == Status.NO_INFORMATION
