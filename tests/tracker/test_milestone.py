import pytest
from django.db import IntegrityError

from tests.helpers import days, make_cycle, make_milestone, today
from tracker.models import Milestone

pytestmark = pytest.mark.django_db


def test_a_pending_milestone_past_its_planned_date_is_overdue():
    milestone = make_milestone(make_cycle(), Milestone.Kind.REPLIES_DUE, planned_date=today() - days(1))
    assert milestone.is_overdue
    assert milestone.days_left == -1


def test_a_milestone_with_an_actual_date_is_never_overdue():
    milestone = make_milestone(
        make_cycle(), Milestone.Kind.REPLIES_DUE,
        planned_date=today() - days(30), actual_date=today() - days(2),
    )
    assert not milestone.is_overdue
    assert milestone.days_left is None


def test_a_milestone_due_today_is_not_yet_overdue():
    milestone = make_milestone(make_cycle(), Milestone.Kind.REPLIES_DUE, planned_date=today())
    assert not milestone.is_overdue
    assert milestone.days_left == 0


def test_overdue_and_due_within_select_the_right_milestones():
    cycle = make_cycle()
    late = make_milestone(cycle, Milestone.Kind.REPORT_DUE, planned_date=today() - days(3))
    soon = make_milestone(cycle, Milestone.Kind.REPLIES_DUE, planned_date=today() + days(10))
    make_milestone(cycle, Milestone.Kind.DIALOGUE, planned_date=today() + days(60))
    make_milestone(cycle, Milestone.Kind.LIST_OF_ISSUES_ADOPTED, planned_date=today() - days(9),
                   actual_date=today() - days(9))

    assert list(Milestone.objects.overdue()) == [late]
    assert list(Milestone.objects.due_within(30)) == [soon]
    # The two queryset methods chain with each other and with filters.
    assert not Milestone.objects.overdue().due_within(30).exists()


def test_a_milestone_without_any_date_is_refused():
    with pytest.raises(IntegrityError):
        make_milestone(make_cycle(), Milestone.Kind.DIALOGUE)


def test_a_cycle_has_each_kind_of_milestone_once():
    cycle = make_cycle()
    make_milestone(cycle, Milestone.Kind.DIALOGUE, planned_date=today())
    with pytest.raises(IntegrityError):
        make_milestone(cycle, Milestone.Kind.DIALOGUE, planned_date=today() + days(1))


def test_the_model_validation_explains_a_missing_date():
    milestone = Milestone(cycle=make_cycle(), kind=Milestone.Kind.DIALOGUE)
    with pytest.raises(Exception) as error:
        milestone.full_clean()
    assert "A milestone needs a planned or an actual date." in str(error.value)
