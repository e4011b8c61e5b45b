"""The maintained Recommendation.status and has_follow_up equal a recomputation from the history,
in_current_cycle one from the cycles, and StatusTally a count, whatever the sequence of entries,
reviews, changes, deletions and changes of current cycle; check_consistency recomputes them the
same way. Each example runs in a transaction rolled back at its end."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommendations.management.commands.check_consistency import (
    find_inconsistent_statuses, find_stale_values, find_tally_differences, repair_statuses,
)
from recommendations.models import DISPUTED, FollowUpAssessment, Recommendation, Status
from tests.helpers import make_cycle, make_organisation, make_recommendation
from tracker.models import ReportingCycle

pytestmark = pytest.mark.django_db

ReviewState = FollowUpAssessment.ReviewState
START = datetime.date(2026, 1, 1)
EXAMPLES = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

recommendation = st.integers(0, 1)
organisation = st.integers(0, 2)
# Few days and mostly accepted entries, so that an organisation's entries often share the latest
# date and the id must break the tie.
day = st.integers(0, 2)
review_state = st.sampled_from([*[ReviewState.ACCEPTED] * 3, *ReviewState.values])
entry = st.integers(0, 100)  # an index into the existing entries, modulo their number
add = st.tuples(st.just("add"), recommendation, organisation, st.sampled_from(Status.values), day,
                review_state)
# Another entry by the same organisation on the same day as an existing one.
again = st.tuples(st.just("again"), entry, st.sampled_from(Status.values), review_state)
review = st.tuples(st.just("review"), entry,
                   st.sampled_from([ReviewState.ACCEPTED, ReviewState.DISPUTED]))
change = st.tuples(st.just("change"), entry, day, st.sampled_from(Status.values))
delete = st.tuples(st.just("delete"), entry)
# Make one of the two cycles the current one (ReportingCycle.save() makes the other past), or a
# third cycle, which makes both past.
current_cycle = st.tuples(st.just("current"), st.integers(0, 2))
operations = st.lists(st.one_of(add, again, review, change, delete, current_cycle), max_size=30)


def expected_status(entries: list[FollowUpAssessment]) -> str:
    """Each organisation's latest accepted entry by (date, id) counts; several different statuses
    make the recommendation disputed."""
    latest: dict[int, FollowUpAssessment] = {}
    for entry in entries:
        if entry.review_state != ReviewState.ACCEPTED:
            continue
        current = latest.get(entry.organisation_id)
        if current is None or (entry.date, entry.pk) > (current.date, current.pk):
            latest[entry.organisation_id] = entry
    statuses = {entry.status for entry in latest.values()}
    if not statuses:
        return Status.NO_INFORMATION
    return statuses.pop() if len(statuses) == 1 else DISPUTED


def expected_statuses(recommendations: list[Recommendation]) -> dict[int, str]:
    return {
        r.pk: expected_status(list(FollowUpAssessment.objects.filter(recommendation=r)))
        for r in recommendations
    }


def stored_statuses(recommendations: list[Recommendation]) -> dict[int, str]:
    return dict(Recommendation.objects.filter(pk__in=[r.pk for r in recommendations])
                .values_list("pk", "status"))


def expected_flags(recommendations: list[Recommendation]) -> dict[int, tuple[bool, bool]]:
    """(has follow-up beyond drafts, in a current cycle) of each recommendation."""
    return {
        r.pk: (
            FollowUpAssessment.objects.filter(recommendation=r).public().exists(),
            ReportingCycle.objects.get(recommendations=r).is_current,
        )
        for r in recommendations
    }


def stored_flags(recommendations: list[Recommendation]) -> dict[int, tuple[bool, bool]]:
    rows = Recommendation.objects.filter(pk__in=[r.pk for r in recommendations])
    return {pk: (logged, current)
            for pk, logged, current in rows.values_list("pk", "has_follow_up", "in_current_cycle")}


def apply(operation: tuple, recommendations: list[Recommendation], organisations: list) -> None:
    kind, *arguments = operation
    if kind == "current":
        cycles = ReportingCycle.objects.filter(label__in=["A", "B", "C"]).order_by("label")
        cycle = next((c for c in cycles if c.label == "ABC"[arguments[0]]), None)
        if cycle is None:
            make_cycle("KAZ", "CRC", "C")
        else:
            cycle.is_current = True
            cycle.save()
        return
    if kind == "add":
        r, o, status, offset, review_state = arguments
        date = START + datetime.timedelta(days=offset)
        add_entry(recommendations[r], organisations[o], status, date, review_state)
        return
    entries = list(FollowUpAssessment.objects.order_by("pk"))
    if not entries:
        return
    entry = entries[arguments[0] % len(entries)]
    if kind == "again":
        add_entry(entry.recommendation, entry.organisation, arguments[1], entry.date, arguments[2])
    elif kind == "review":
        entry.review_state, entry.reviewed_at = arguments[1], timezone.now()
        entry.save()
    elif kind == "change":
        entry.date, entry.status = START + datetime.timedelta(days=arguments[1]), arguments[2]
        entry.save()
    else:
        entry.delete()


def add_entry(recommendation: Recommendation, organisation, status: str, date: datetime.date,
              review_state: str) -> None:
    reviewed = review_state in (ReviewState.ACCEPTED, ReviewState.DISPUTED)
    FollowUpAssessment(
        recommendation=recommendation, organisation=organisation, status=status, date=date,
        review_state=review_state, reviewed_at=timezone.now() if reviewed else None,
        summary="An entry.",
    ).save()


@EXAMPLES
@given(operations=operations)
def test_the_maintained_status_equals_the_history_after_any_operations(operations):
    with transaction.atomic():
        # Two cycles of the same country and mechanism: at most one is current.
        cycles = [make_cycle("KAZ", "CRC", "A"), make_cycle("KAZ", "CRC", "B", is_current=False)]
        recommendations = [make_recommendation(cycles[0]), make_recommendation(cycles[1])]
        organisations = [make_organisation() for _ in range(3)]
        for operation in operations:
            apply(operation, recommendations, organisations)
        assert stored_statuses(recommendations) == expected_statuses(recommendations)
        assert stored_flags(recommendations) == expected_flags(recommendations)
        assert find_inconsistent_statuses() == []
        assert find_stale_values() == []
        assert find_tally_differences() == {}
        transaction.set_rollback(True)


@EXAMPLES
@given(entries=st.lists(st.tuples(recommendation, organisation, st.sampled_from(Status.values), day,
                                  review_state), max_size=30))
def test_check_consistency_finds_and_repairs_entries_inserted_without_save(entries):
    with transaction.atomic():
        recommendations = [make_recommendation(), make_recommendation()]
        organisations = [make_organisation() for _ in range(3)]
        # bulk_create skips save(): the stored statuses stay "no information".
        FollowUpAssessment.objects.bulk_create([
            FollowUpAssessment(
                recommendation=recommendations[r], organisation=organisations[o], status=status,
                date=START + datetime.timedelta(days=offset), review_state=review_state,
                reviewed_at=timezone.now(), summary="An imported entry.",
            )
            for r, o, status, offset, review_state in entries
        ])
        expected = expected_statuses(recommendations)
        mismatches = find_inconsistent_statuses()
        assert {m.pk: m.expected for m in mismatches} == {
            pk: status for pk, status in expected.items() if status != Status.NO_INFORMATION
        }
        repair_statuses(mismatches)
        assert stored_statuses(recommendations) == expected
        transaction.set_rollback(True)
