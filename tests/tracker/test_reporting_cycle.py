import pytest
from django.db import IntegrityError

from tests.helpers import days, make_cycle, make_milestone, today
from tracker.models import Milestone, ReportingCycle

pytestmark = pytest.mark.django_db


def test_the_next_deadline_is_the_earliest_pending_milestone():
    cycle = make_cycle()
    make_milestone(cycle, Milestone.Kind.LIST_OF_ISSUES_ADOPTED, actual_date=today() - days(100))
    overdue = make_milestone(cycle, Milestone.Kind.REPLIES_DUE, planned_date=today() - days(5))
    make_milestone(cycle, Milestone.Kind.DIALOGUE, planned_date=today() + days(40))

    # An overdue deadline is still the next one to meet.
    assert cycle.next_deadline == overdue


def test_a_cycle_with_everything_done_has_no_next_deadline():
    cycle = make_cycle()
    make_milestone(cycle, Milestone.Kind.REPORT_SUBMITTED, actual_date=today())
    assert cycle.next_deadline is None


def test_the_current_stage_is_the_furthest_step_done():
    cycle = make_cycle()
    make_milestone(cycle, Milestone.Kind.REPORT_SUBMITTED, actual_date=today() - days(300))
    loi = make_milestone(cycle, Milestone.Kind.LIST_OF_ISSUES_ADOPTED, actual_date=today() - days(100))
    make_milestone(cycle, Milestone.Kind.REPLIES_DUE, planned_date=today() + days(5))

    assert cycle.current_stage == loi


def test_a_new_current_cycle_makes_the_previous_one_past():
    old = make_cycle(label="3-4")
    new = make_cycle(label="5-6")
    old.refresh_from_db()
    assert new.is_current and not old.is_current


def test_the_database_refuses_two_current_cycles_for_one_mechanism():
    first = make_cycle(label="3-4")
    second = make_cycle(label="5-6", is_current=False)
    # Bypass save(), which would demote the other cycle, to reach the database's own rule.
    with pytest.raises(IntegrityError):
        ReportingCycle.objects.filter(pk=first.pk).update(is_current=True)
        ReportingCycle.objects.filter(pk=second.pk).update(is_current=True)


def test_a_cycle_label_is_unique_per_country_and_mechanism():
    make_cycle(label="5-6")
    with pytest.raises(IntegrityError):
        make_cycle(label="5-6", is_current=False)
