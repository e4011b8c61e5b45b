import pytest
from django.db import IntegrityError

from tests.helpers import days, make_cycle, make_milestone, today
from tracker.models import Document, Milestone, ReportingCycle

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


def make_document(cycle, kind: str, **fields) -> Document:
    return Document.objects.create(cycle=cycle, kind=kind, **fields)


def test_loaded_replies_reach_replies_due_on_their_date():
    cycle = make_cycle()
    due = make_milestone(cycle, Milestone.Kind.REPLIES_DUE, planned_date=today() - days(295))
    make_document(cycle, Document.Kind.REPLIES, symbol="CRC/C/KAZ/RQ/5-6", date=today() - days(280))

    due = Milestone.objects.with_progress().get(pk=due.pk)
    assert due.is_done and not due.is_overdue and due.days_left is None
    assert due.date_reached == today() - days(280)
    assert due.days_late == 15
    assert not Milestone.objects.overdue().exists()


def test_replies_without_a_date_still_reach_the_step_without_a_date():
    # The Kazakh replies of the demo give no date of receipt.
    cycle = make_cycle()
    due = make_milestone(cycle, Milestone.Kind.REPLIES_DUE, planned_date=today() - days(295))
    make_document(cycle, Document.Kind.REPLIES, symbol="CRC/C/KAZ/RQ/5-6")
    # Read without with_progress(): the milestone asks once.
    due.refresh_from_db()
    assert due.is_done and due.date_reached is None and not due.is_overdue


def test_a_later_step_reached_overtakes_the_earlier_pending_ones():
    cycle = make_cycle()
    report = make_milestone(cycle, Milestone.Kind.REPORT_DUE, planned_date=today() - days(900))
    replies = make_milestone(cycle, Milestone.Kind.REPLIES_DUE, planned_date=today() - days(300))
    make_milestone(cycle, Milestone.Kind.CONCLUDING_OBSERVATIONS_ADOPTED,
                   actual_date=today() - days(100))
    follow_up = make_milestone(cycle, Milestone.Kind.FOLLOW_UP_DUE, planned_date=today() - days(1))

    assert list(Milestone.objects.overdue()) == [follow_up]
    report, replies = Milestone.objects.with_progress().filter(pk__in=[report.pk, replies.pk])
    assert report.is_done and replies.is_done
    # Overtaken, not reached on a known date.
    assert report.date_reached is None and replies.date_reached is None


def test_adopted_concluding_observations_overtake_the_dialogue_and_date_their_own_step():
    cycle = make_cycle()
    dialogue = make_milestone(cycle, Milestone.Kind.DIALOGUE, planned_date=today() - days(40))
    adopted = make_milestone(cycle, Milestone.Kind.CONCLUDING_OBSERVATIONS_ADOPTED,
                             planned_date=today() - days(20))
    make_document(cycle, Document.Kind.CONCLUDING_OBSERVATIONS, symbol="CRC/C/KAZ/CO/5-6",
                  date=today() - days(18))

    assert not Milestone.objects.pending().exists()
    adopted.refresh_from_db()
    dialogue.refresh_from_db()
    assert adopted.date_reached == today() - days(18)
    assert dialogue.is_done and dialogue.date_reached is None


def test_an_adopted_list_of_issues_overtakes_nothing():
    # Under the simplified procedure the list of issues comes before the report.
    cycle = make_cycle(procedure=ReportingCycle.Procedure.SIMPLIFIED)
    report = make_milestone(cycle, Milestone.Kind.REPORT_DUE, planned_date=today() - days(3))
    make_milestone(cycle, Milestone.Kind.LIST_OF_ISSUES_ADOPTED, actual_date=today() - days(400))
    make_document(cycle, Document.Kind.LIST_OF_ISSUES_PRIOR, symbol="CRC/C/KAZ/QPR/7")
    assert list(Milestone.objects.overdue()) == [report]


def test_a_step_of_another_cycle_overtakes_nothing():
    make_document(make_cycle(label="3-4"), Document.Kind.REPLIES, symbol="CRC/C/KAZ/RQ/3-4")
    due = make_milestone(make_cycle(), Milestone.Kind.REPLIES_DUE, planned_date=today() - days(2))
    assert list(Milestone.objects.overdue()) == [due]
