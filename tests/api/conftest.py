import pytest

from recommendations.models import FollowUpAssessment, Role
from tests.helpers import make_assessment, make_organisation, make_recommendation, make_user


@pytest.fixture
def team(db) -> dict:
    """A user of each role (two NGOs, a viewer of the first), a recommendation, a draft and a
    submitted entry of the first NGO's, and an accepted one."""
    first, second = make_organisation("First NGO"), make_organisation("Second NGO")
    recommendation = make_recommendation()
    people = {
        "viewer": make_user("viewer", first, Role.VIEWER),
        "ngo": make_user("ngo", first, Role.NGO_STAFF),
        "other_ngo": make_user("other_ngo", second, Role.NGO_STAFF),
        "reviewer": make_user("reviewer", make_organisation("Ombudsman"), Role.REVIEWER),
        "data_entry": make_user("data_entry", role=Role.DATA_ENTRY),
        "superuser": make_user("root", first, is_superuser=True, is_staff=True),
    }
    draft = make_assessment(recommendation, first, "in_progress",
                            FollowUpAssessment.ReviewState.DRAFT, summary="Draft of the first")
    submitted = make_assessment(recommendation, first, "implemented",
                                FollowUpAssessment.ReviewState.SUBMITTED)
    return {**people, "recommendation": recommendation, "draft": draft, "submitted": submitted,
            "first": first}
