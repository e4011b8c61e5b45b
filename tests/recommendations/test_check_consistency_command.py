import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from recommendations.management.commands.check_consistency import (
    find_inconsistent_statuses, find_stale_values, find_tally_differences,
)
from recommendations.models import DISPUTED, FollowUpAssessment, Recommendation, Status, StatusTally
from tests.helpers import (
    generate_scale_data, make_assessment, make_organisation, make_recommendation,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 1)


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    # Generated once for the module and removed afterwards; each test's changes are rolled back.
    with django_db_blocker.unblock():
        generate_scale_data(recommendations=2_000, assessments=6_000, verbosity=0)
        yield
        generate_scale_data(remove=True, verbosity=0)


def corrupt(count: int) -> dict[int, str]:
    """Overwrite the stored status of `count` recommendations behind the model's back, as a bulk
    import or raw SQL would; return their true statuses."""
    true = dict(Recommendation.objects.order_by("pk").values_list("pk", "status")[:count])
    for pk, status in true.items():
        wrong = Status.IMPLEMENTED if status != Status.IMPLEMENTED else Status.NOT_STARTED
        Recommendation.objects.filter(pk=pk).update(status=wrong)
    return true


def unsaved_entry(recommendation: Recommendation, organisation, status: str,
                  review_state: str = FollowUpAssessment.ReviewState.ACCEPTED) -> FollowUpAssessment:
    return FollowUpAssessment(
        recommendation=recommendation, organisation=organisation, status=status, date=DAY,
        review_state=review_state, reviewed_at=timezone.now(), summary="Imported.",
    )


def test_it_passes_right_after_generation(generated, capsys):
    call_command("check_consistency")
    assert "Every recommendation's status and other maintained values match" in (
        capsys.readouterr().out
    )


def test_it_fails_naming_a_corrupted_recommendation(generated):
    [(pk, status)] = corrupt(1).items()
    stored = Recommendation.objects.get(pk=pk).status
    message = rf"^1 recommendations .*: #{pk} \({stored}, expected {status}\)\. Run"
    with pytest.raises(CommandError, match=message):
        call_command("check_consistency")


def test_it_names_the_first_ten_of_many(generated):
    corrupt(12)
    with pytest.raises(CommandError, match=r"^12 recommendations .*, …\. Run") as error:
        call_command("check_consistency")
    assert str(error.value).count("#") == 10


def test_fix_repairs_the_corrupted_statuses(generated, capsys):
    true = corrupt(5)
    call_command("check_consistency", fix=True)
    assert "Repaired: 5 recommendations have a status" in capsys.readouterr().out
    assert dict(Recommendation.objects.filter(pk__in=true).values_list("pk", "status")) == true
    call_command("check_consistency")


def test_it_reads_the_history_in_two_queries(generated, django_assert_max_num_queries):
    # Expected statuses, then stored ones: the same two queries whatever the size.
    with django_assert_max_num_queries(2):
        assert find_inconsistent_statuses() == []
    # The other maintained values in one query, the tally in three.
    with django_assert_max_num_queries(1):
        assert find_stale_values() == []
    with django_assert_max_num_queries(3):
        assert find_tally_differences() == {}


def test_it_finds_and_repairs_stale_copies_and_follow_up_flags(generated, capsys):
    first, second, third = Recommendation.objects.exclude(country=None).order_by("pk")[:3]
    truth = {r.pk: (r.in_current_cycle, r.country_name, r.mechanism_code, r.has_follow_up)
             for r in (first, second, third)}
    # Behind the model's back, as raw SQL or a bulk write that forgets them would.
    Recommendation.objects.filter(pk=first.pk).update(
        in_current_cycle=not first.in_current_cycle, country_name="Atlantis"
    )
    Recommendation.objects.filter(pk=second.pk).update(mechanism_code="XYZ")
    Recommendation.objects.filter(pk=third.pk).update(has_follow_up=not third.has_follow_up)
    assert {(value.pk, value.field) for value in find_stale_values()} == {
        (first.pk, "in_current_cycle"), (first.pk, "country_name"),
        (second.pk, "mechanism_code"), (third.pk, "has_follow_up"),
    }
    with pytest.raises(CommandError, match=rf"4 maintained values .*#{first.pk} country_name "
                                           rf"\('Atlantis', expected '{first.country_name}'\)"):
        call_command("check_consistency")
    call_command("check_consistency", fix=True)
    assert "Repaired: 4 maintained values" in capsys.readouterr().out
    assert {
        r.pk: (r.in_current_cycle, r.country_name, r.mechanism_code, r.has_follow_up)
        for r in Recommendation.objects.filter(pk__in=truth)
    } == truth
    # The tally followed the repaired in_current_cycle.
    call_command("check_consistency")


def test_it_finds_and_repairs_a_wrong_tally(generated, capsys):
    tally = StatusTally.objects.filter(count__gt=0).select_related("mechanism").first()
    StatusTally.objects.filter(pk=tally.pk).update(count=tally.count + 2)
    assert find_tally_differences() == {
        (tally.mechanism.code, tally.status): (tally.count + 2, tally.count)
    }
    with pytest.raises(CommandError, match="the tally of statuses differs from a count"):
        call_command("check_consistency")
    call_command("check_consistency", fix=True)
    assert StatusTally.objects.get(mechanism=tally.mechanism, status=tally.status).count == (
        tally.count
    )
    call_command("check_consistency")


def test_it_recomputes_as_the_model_does_from_entries_inserted_without_save():
    recommendation = make_recommendation()
    ngo, ombudsman = make_organisation(), make_organisation()
    make_assessment(recommendation, ngo, Status.IN_PROGRESS, date=DAY)
    # bulk_create skips save(), so the stored status stays "in progress". Same organisation and
    # date: the later entry (higher id) is the latest; an entry not accepted does not count.
    FollowUpAssessment.objects.bulk_create([
        unsaved_entry(recommendation, ngo, Status.IMPLEMENTED),
        unsaved_entry(recommendation, ombudsman, Status.NOT_STARTED,
                      FollowUpAssessment.ReviewState.SUBMITTED),
    ])
    [mismatch] = find_inconsistent_statuses()
    assert (mismatch.stored, mismatch.expected) == (Status.IN_PROGRESS, Status.IMPLEMENTED)
    FollowUpAssessment.objects.bulk_create([
        unsaved_entry(recommendation, ombudsman, Status.NOT_STARTED),
    ])
    [mismatch] = find_inconsistent_statuses()
    assert (mismatch.pk, mismatch.expected) == (recommendation.pk, DISPUTED)
    assert recommendation.compute_status() == DISPUTED
