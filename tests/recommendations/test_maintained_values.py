"""The values Recommendation keeps for the lists follow every write, through the one write path
(RecommendationQuerySet.refresh_maintained()), and check_consistency finds them right."""

from collections import Counter

import pytest

from recommendations.management.commands.check_consistency import (
    find_inconsistent_statuses, find_stale_values, find_tally_differences,
)
from recommendations.models import Recommendation, Status, StatusTally
from tests.helpers import make_assessment, make_cycle, make_organisation, make_recommendation
from tracker.models import Country, Mechanism

pytestmark = pytest.mark.django_db


def assert_consistent() -> None:
    assert find_inconsistent_statuses() == []
    assert find_stale_values() == []
    assert find_tally_differences() == {}


def test_a_country_renamed_in_tracker_renames_the_copies():
    recommendation = make_recommendation(make_cycle("KAZ", "CRC", "5-6"))
    country = Country.objects.get(code="KAZ")
    country.name = "Qazaqstan"
    country.save()
    recommendation.refresh_from_db()
    assert recommendation.country_name == "Qazaqstan"
    assert_consistent()


def test_a_mechanism_given_another_code_changes_the_copies():
    recommendation = make_recommendation(make_cycle("KAZ", "CRC", "5-6"))
    mechanism = Mechanism.objects.get(code="CRC")
    mechanism.code = "CRC-X"
    mechanism.save()
    recommendation.refresh_from_db()
    assert recommendation.mechanism_code == "CRC-X"
    assert_consistent()


def test_a_recommendation_moved_to_another_mechanism_moves_in_the_tally():
    recommendation = make_recommendation(make_cycle("KAZ", "CRC", "5-6"))
    make_assessment(recommendation, make_organisation(), Status.IMPLEMENTED)
    recommendation.mechanism = Mechanism.objects.get(code="CAT")
    recommendation.cycle = make_cycle("KAZ", "CAT", "4")
    recommendation.save()
    assert (recommendation.mechanism_code, recommendation.status) == ("CAT", Status.IMPLEMENTED)
    assert {(row["mechanism__code"], row["status"]) for row in StatusTally.counts()} == {
        ("CAT", Status.IMPLEMENTED)
    }
    assert_consistent()


def test_bulk_created_recommendations_get_their_values_when_refreshed():
    cycle = make_cycle("KAZ", "CRC", "5-6")
    created = Recommendation.objects.bulk_create(
        Recommendation(cycle=cycle, country=cycle.country, mechanism=cycle.mechanism, text="T.")
        for _ in range(3)
    )
    # bulk_create() is Django's own: the inserted rows are not in the tally until refreshed.
    values = Recommendation.objects.filter(pk__in=[r.pk for r in created]).refresh_maintained(
        Counter()
    )
    assert {row["country_name"] for row in values.values()} == {"Kazakhstan"}
    assert StatusTally.counts() == [
        {"mechanism__code": "CRC", "status": Status.NO_INFORMATION, "count": 3}
    ]
    assert_consistent()


def test_a_deletion_leaves_the_tally():
    recommendation = make_recommendation(make_cycle("KAZ", "CRC", "5-6"))
    recommendation.delete()
    assert StatusTally.counts() == []
    assert_consistent()
