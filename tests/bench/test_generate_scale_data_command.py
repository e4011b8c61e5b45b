import hashlib

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.db.models.functions import Length

from bench.scale.vocabulary import SYNTHETIC_WEBSITE, TODAY
from recommendations.models import (
    OVERALL_STATUS_CHOICES, FollowUpAssessment, Recommendation, Status,
)
from tests.helpers import generate_scale_data
from tracker.models import (
    Country, Document, ListOfIssuesParagraph, Mechanism, Milestone, Organisation, ReplyParagraph,
    ReportingCycle, paragraph_sort_key,
)

pytestmark = pytest.mark.django_db


def generate(**options) -> None:
    options = {"recommendations": 2_000, "assessments": 6_000, "verbosity": 0, **options}
    generate_scale_data(**options)


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    # The tests that only read share one data set: committed once for the module (generation
    # takes seconds), removed afterwards. Each test still runs in its own rolled-back transaction.
    with django_db_blocker.unblock():
        generate()
        yield
        generate_scale_data(remove=True, verbosity=0)


def fingerprint() -> str:
    """A digest of the generated content, independent of the ids the database gave it."""
    digest = hashlib.sha256()
    for rows in (
        ReportingCycle.objects.values_list("country__code", "mechanism__code", "label", "is_current"),
        Milestone.objects.values_list("kind", "planned_date", "actual_date"),
        Document.objects.values_list("symbol", "date"),
        Recommendation.objects.values_list("reference", "text", "status", "date", "mechanism__code"),
        Recommendation.themes.through.objects.values_list("recommendation__reference", "theme__code"),
        FollowUpAssessment.objects.values_list(
            "recommendation__reference", "organisation__name", "date", "status", "review_state",
            "grade", "summary",
        ),
    ):
        digest.update(repr(list(rows.order_by("pk"))).encode())
    return digest.hexdigest()


def test_it_generates_exactly_the_requested_numbers(generated):
    assert Recommendation.objects.count() == 2_000
    assert FollowUpAssessment.objects.count() == 6_000
    organisations = Organisation.objects.filter(website__startswith=SYNTHETIC_WEBSITE)
    assert organisations.count() == 300
    assert set(organisations.values_list("kind", flat=True)) == {"ngo", "nhri"}
    # The history comes from many organisations, not a handful.
    assert FollowUpAssessment.objects.values("organisation").distinct().count() > 100


def test_every_status_review_state_and_grade_occurs(generated):
    # The lists' status filter and the review queue need every value to be exercised.
    statuses = {value for value, _ in OVERALL_STATUS_CHOICES}
    assert set(Recommendation.objects.values_list("status", flat=True)) == statuses
    assessments = FollowUpAssessment.objects.all()
    assert set(assessments.values_list("status", flat=True)) == set(Status.values)
    review_states = set(FollowUpAssessment.ReviewState.values)
    assert set(assessments.values_list("review_state", flat=True)) == review_states
    grades = {"", *FollowUpAssessment.Grade.values}
    assert set(assessments.values_list("grade", flat=True)) == grades
    # Some recommendations have a long history (the benchmark opens one).
    longest = Recommendation.objects.annotate(n=Count("assessments")).order_by("-n").first()
    assert longest.assessments.count() >= 20


def test_every_un_member_state_has_cycles_with_one_current_per_mechanism(generated):
    members = set(Country.objects.filter(un_member=True).values_list("pk", flat=True))
    assert members <= set(ReportingCycle.objects.values_list("country", flat=True))
    pairs = ReportingCycle.objects.values("country", "mechanism").annotate(
        cycles=Count("pk"), current=Count("pk", filter=Q(is_current=True))
    )
    assert {pair["current"] for pair in pairs} == {1}
    assert max(pair["cycles"] for pair in pairs) >= 3
    # Every mechanism issues recommendations: reporting ones in cycles, the others as priorities.
    assert set(Recommendation.objects.values_list("mechanism", flat=True)) == set(
        Mechanism.objects.values_list("pk", flat=True)
    )


def test_milestones_are_done_overdue_or_upcoming(generated):
    milestones = Milestone.objects.all()
    assert milestones.filter(actual_date__lte=TODAY).exists()
    assert milestones.overdue(today=TODAY).exists()
    assert milestones.due_within(365, today=TODAY).exists()
    assert not milestones.filter(actual_date__gt=TODAY).exists()


def test_recommendations_have_texts_themes_goals_and_groups(generated):
    lengths = Recommendation.objects.annotate(length=Length("text")).values_list("length", flat=True)
    assert 200 <= min(lengths) and max(lengths) <= 800
    assert Recommendation.objects.filter(text__startswith="Le Comité").exists()
    assert not Recommendation.objects.filter(themes=None).exists()
    assert Recommendation.objects.filter(goals__isnull=False).exists()
    assert Recommendation.objects.filter(affected_groups__isnull=False).exists()
    upr = Recommendation.objects.filter(mechanism__code="UPR")
    incomplete = Q(upr_session=None) | Q(position="") | Q(recommending_states=None)
    assert upr.exists() and not upr.filter(incomplete).exists()
    assert Recommendation.objects.filter(urgent=True).exists()
    assert Recommendation.objects.filter(follow_up=True, follow_up_due__isnull=False).exists()


def test_lists_of_issues_and_replies_hold_what_save_would_compute(generated):
    # Bulk inserts skip save(): labels, sort keys and documents must be right anyway.
    paragraphs = ListOfIssuesParagraph.objects.all()
    assert paragraphs.filter(roman__gt="").exists()
    for paragraph in paragraphs:
        assert paragraph.label == paragraph.ref.label
        assert paragraph.sort_key == paragraph_sort_key(paragraph.ref)
    assert ReplyParagraph.objects.exists()
    assert not ReplyParagraph.objects.exclude(document=F("section__document")).exists()
    assert paragraphs.filter(reply_sections__isnull=False).exists()


def test_it_refuses_to_add_to_earlier_synthetic_data(generated):
    with pytest.raises(CommandError, match="Synthetic data is already present"):
        generate()


def test_the_same_seed_gives_the_same_data(generated):
    first = fingerprint()
    generate(flush=True)
    assert fingerprint() == first
    # The digest does see the content: one changed text changes it.
    Recommendation.objects.filter(pk=Recommendation.objects.last().pk).update(text="Changed.")
    assert fingerprint() != first


def test_remove_deletes_the_synthetic_records_and_nothing_else():
    def snapshot() -> dict[str, int]:
        return {model._meta.label: model.objects.count() for model in apps.get_models()}

    generate_scale_data(remove=True, verbosity=0)
    call_command("load_demo", verbosity=0)
    before = snapshot()
    generate(recommendations=300, assessments=900)
    # The demo's CRC cycle of Kazakhstan stays the only one: its pair gets no synthetic cycles.
    demo_cycle = ReportingCycle.objects.get(country__code="KAZ", mechanism__code="CRC")
    assert demo_cycle.is_current and demo_cycle.label == "5-6"
    generate_scale_data(remove=True, verbosity=0)
    assert snapshot() == before


def test_it_refuses_negative_sizes():
    with pytest.raises(CommandError, match="cannot be negative"):
        generate(recommendations=-1)
