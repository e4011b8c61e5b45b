import pytest
from django.db.models import QuerySet

from recommendations.models import Status, StatusTally
from tests.helpers import make_cycle, make_recommendation

pytestmark = pytest.mark.django_db


def current_recommendation():
    # Only current cycles are tallied (the dashboard's figures).
    return make_recommendation(make_cycle(is_current=True))


def count_of(mechanism, status: str) -> int | None:
    row = StatusTally.objects.filter(mechanism=mechanism, status=status).first()
    return row.count if row else None


def test_it_counts_a_new_recommendation_under_its_status():
    recommendation = current_recommendation()
    assert count_of(recommendation.mechanism, Status.NO_INFORMATION) == 1


def test_it_creates_the_row_of_a_status_not_counted_before():
    recommendation = current_recommendation()
    StatusTally.add({(recommendation.mechanism_id, Status.IMPLEMENTED): 2})
    assert count_of(recommendation.mechanism, Status.IMPLEMENTED) == 2


def test_a_missing_row_and_a_negative_change_do_not_fail_the_write():
    # The tally was already wrong (check_consistency --fix recounts it); the count cannot go below
    # zero, and the user's write goes through.
    recommendation = current_recommendation()
    StatusTally.objects.filter(mechanism=recommendation.mechanism).delete()
    StatusTally.add({(recommendation.mechanism_id, Status.NO_INFORMATION): -1})
    assert count_of(recommendation.mechanism, Status.NO_INFORMATION) == 0


def test_a_row_created_meanwhile_is_added_to(monkeypatch):
    # Another transaction inserted the row between this one's UPDATE (which found none) and its
    # INSERT: the INSERT fails on the unique constraint and the change goes to that row instead.
    recommendation = current_recommendation()
    mechanism = recommendation.mechanism
    StatusTally.objects.update_or_create(
        mechanism=mechanism, status=Status.IMPLEMENTED, defaults={"count": 5}
    )
    update = QuerySet.update
    calls = []

    def miss_the_first_time(queryset, **fields):
        calls.append(fields)
        return 0 if len(calls) == 1 else update(queryset, **fields)

    monkeypatch.setattr(QuerySet, "update", miss_the_first_time)
    StatusTally.add({(mechanism.pk, Status.IMPLEMENTED): 1})
    assert count_of(mechanism, Status.IMPLEMENTED) == 6
