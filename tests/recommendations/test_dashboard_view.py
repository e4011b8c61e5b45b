import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations.models import (
    DISPUTED,
    FollowUpAssessment,
    Recommendation,
    Role,
    SavedSearch,
    Status,
)
from recommendations.views import DASHBOARD_ROWS, LATEST_FIRST
from tests.helpers import (
    days,
    make_assessment,
    make_cycle,
    make_milestone,
    make_organisation,
    make_recommendation,
    make_user,
    today,
)
from tracker.models import Country, Milestone

pytestmark = pytest.mark.django_db

URL = reverse("recommendations:dashboard")


@pytest.fixture
def crc():
    return make_cycle("KAZ", "CRC", "5-6")


def test_it_is_the_home_page():
    assert URL == "/"


def test_the_demo_cycle_s_replies_are_in_so_nothing_is_overdue(client):
    call_command("load_demo", verbosity=0)
    content = client.get(URL).content.decode()
    assert "Kazakhstan" in content
    # The replies were due on 15 February 2026 and are loaded: their step is reached, whatever
    # the milestone's own (empty) actual date says.
    assert "Replies due" in content
    assert "overdue by" not in content


def test_an_overdue_deadline_is_said_in_words_and_in_red(client, crc):
    make_milestone(crc, Milestone.Kind.REPLIES_DUE, planned_date=today() - days(3))
    content = client.get(URL).content.decode()
    # Overdue is said in words, not by colour alone.
    assert '<span class="overdue">' in content and "overdue by 3 days" in content


def test_it_shows_days_left_before_a_coming_deadline(client, crc):
    make_milestone(crc, Milestone.Kind.REPLIES_DUE, planned_date=today() + days(12))
    content = client.get(URL).content.decode()
    assert "12 days left" in content
    assert "overdue by" not in content


def test_overdue_milestones_need_attention(client, crc):
    make_milestone(crc, Milestone.Kind.FOLLOW_UP_DUE, planned_date=today() - days(3))
    past = make_cycle("KAZ", "CCPR", "2", is_current=False)
    make_milestone(past, Milestone.Kind.FOLLOW_UP_DUE, planned_date=today() - days(900))
    response = client.get(URL)
    assert [str(milestone.cycle) for milestone in response.context["overdue"]] == [str(crc)]
    assert "overdue by 3 days" in response.content.decode()


def test_it_counts_recommendations_by_status_per_mechanism(client, crc):
    for _ in range(3):
        make_recommendation(crc)
    implemented = make_recommendation(crc)
    make_assessment(implemented, make_organisation(), Status.IMPLEMENTED)
    make_recommendation(make_cycle("KAZ", "CEDAW", "5"))
    make_recommendation(make_cycle("KAZ", "CEDAW", "4", is_current=False))  # a past cycle: not counted
    response = client.get(URL)
    counts = {(row["mechanism__code"], row["status"]): row["count"] for row in response.context["status_counts"]}
    assert counts == {
        ("CEDAW", Status.NO_INFORMATION): 1,
        ("CRC", Status.IMPLEMENTED): 1,
        ("CRC", Status.NO_INFORMATION): 3,
    }
    content = response.content.decode()
    # An SVG chart with a text alternative, and the same figures as a table linking to the list.
    assert '<svg class="status-chart-svg"' in content and "<title" in content
    assert "CRC — Implemented: 1</title>" in content
    assert f'href="{reverse("recommendations:list")}?mechanism=CRC&amp;status=implemented">1</a>' in content


def test_the_status_counts_are_read_from_the_tally_not_counted(client, crc):
    make_assessment(make_recommendation(crc), make_organisation(), Status.IMPLEMENTED)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    # Nothing is aggregated per request but the status bars of the cycles shown (at most
    # DASHBOARD_CYCLES of them, read from the index on cycle and status).
    counted = [query["sql"] for query in queries if "COUNT(" in query["sql"]]
    assert len(counted) == 1 and f'"cycle_id" IN ({crc.pk})' in counted[0], counted
    assert [query["sql"] for query in queries if "statustally" in query["sql"]]
    assert [(row["mechanism__code"], row["status"], row["count"])
            for row in response.context["status_counts"]] == [("CRC", Status.IMPLEMENTED, 1)]


def test_the_status_counts_follow_a_cycle_that_becomes_past(client, crc):
    make_assessment(make_recommendation(crc), make_organisation(), Status.IMPLEMENTED)
    make_cycle("KAZ", "CRC", "7")  # now the current one
    assert client.get(URL).context["status_counts"] == []


def test_needs_attention_lists_recommendations_without_follow_up_and_disputed_ones(client, crc):
    silent = make_recommendation(crc, reference="silent")
    drafted = make_recommendation(crc, reference="drafted")
    make_assessment(drafted, make_organisation(), Status.IN_PROGRESS,
                    review_state=FollowUpAssessment.ReviewState.DRAFT)
    disputed = make_recommendation(crc, reference="disputed")
    make_assessment(disputed, make_organisation(), Status.IMPLEMENTED)
    make_assessment(disputed, make_organisation(), Status.NOT_STARTED)
    response = client.get(URL)
    # A draft is not follow-up yet.
    assert {r.reference for r in response.context["without_follow_up"]} == {"silent", "drafted"}
    assert [r.reference for r in response.context["disputed"]] == ["disputed"]
    content = response.content.decode()
    assert silent.get_absolute_url() in content and disputed.get_absolute_url() in content
    assert "?has_follow_up=false" in content and "?status=disputed" in content


def test_the_latest_follow_up_leaves_drafts_out(client, crc):
    recommendation = make_recommendation(crc)
    ngo = make_organisation("Children's rights coalition")
    make_assessment(recommendation, ngo, Status.IN_PROGRESS, summary="Public entry",
                    review_state=FollowUpAssessment.ReviewState.SUBMITTED)
    make_assessment(recommendation, ngo, Status.IMPLEMENTED, summary="Draft entry",
                    review_state=FollowUpAssessment.ReviewState.DRAFT, date=today() + days(1))
    entries = client.get(URL).context["latest_entries"]
    assert [entry.summary for entry in entries] == ["Public entry"]


def test_a_signed_in_user_finds_their_saved_searches(client):
    alice, bob = make_user("alice"), make_user("bob")
    SavedSearch.objects.create(user=alice, name="CRC Kazakhstan", query="mechanism=CRC&country=KAZ")
    SavedSearch.objects.create(user=bob, name="Bob's search", query="kind=recommendation")
    client.force_login(alice)
    content = client.get(URL).content.decode()
    assert '<a href="/recommendations/?mechanism=CRC&amp;country=KAZ">CRC Kazakhstan</a>' in content
    assert "Bob&#x27;s search" not in content


def test_an_anonymous_visitor_is_asked_to_sign_in_for_saved_searches(client):
    assert "to see the searches you saved" in client.get(URL).content.decode()


@pytest.mark.parametrize("count", [2, 30])
def test_the_number_of_queries_does_not_grow_with_the_data(client, count, django_assert_max_num_queries):
    client.force_login(make_user())
    organisation = make_organisation()
    for number in range(count):
        cycle = make_cycle("KAZ", "CRC", f"L{number}", is_current=number == 0)
        make_milestone(cycle, Milestone.Kind.REPLIES_DUE, planned_date=today() - days(number + 1))
        cycle = make_cycle(["KGZ", "TJK", "UZB"][number % 3], ["CCPR", "CAT", "CEDAW"][number % 3],
                           f"L{number}")
        make_milestone(cycle, Milestone.Kind.LIST_OF_ISSUES_ADOPTED, actual_date=today() - days(9))
        make_milestone(cycle, Milestone.Kind.REPLIES_DUE, planned_date=today() - days(number + 1))
        recommendation = make_recommendation(cycle)
        make_assessment(recommendation, organisation, Status.IN_PROGRESS)
        make_assessment(recommendation, make_organisation(), Status.IMPLEMENTED)
        make_recommendation(cycle)
    with django_assert_max_num_queries(15):
        assert client.get(URL).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index is PostgreSQL's")
def test_postgresql_reads_the_disputed_recommendations_from_their_index(crc):
    for _ in range(3):
        make_recommendation(crc, status=DISPUTED)
    disputed = (
        Recommendation.objects.current().filter(status=DISPUTED)
        .order_by(LATEST_FIRST, "-pk")[:DASHBOARD_ROWS]
    )
    with connection.cursor() as cursor:
        # A few rows are read faster by a scan: what matters is that the index can serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = disputed.explain()
    # In the dashboard's order, undated last, so with no sort of all disputed recommendations.
    assert "rec_disputed_latest_idx" in plan and "Sort" not in plan, plan


def test_a_member_sees_the_countries_of_their_organisation_first(client, crc):
    make_cycle("UZB", "CRC", "5")
    organisation = make_organisation("Kazakh coalition", country=Country.objects.get(code="KAZ"))
    client.force_login(make_user(organisation=organisation, role=Role.NGO_STAFF))
    response = client.get(URL)
    assert [str(cycle) for cycle in response.context["cycles"].rows] == [str(crc)]
    assert "Kazakh coalition · Kazakhstan" in response.content.decode()
    # Any other country, or all of them, on request.
    assert len(client.get(URL, {"country": "all"}).context["cycles"].rows) == 2
    chosen = client.get(URL, {"country": "UZB"}).context["cycles"].rows
    assert [cycle.country.code for cycle in chosen] == ["UZB"]


def test_each_cycle_has_a_status_bar_of_its_recommendations(client, crc):
    make_recommendation(crc)
    make_assessment(make_recommendation(crc), make_organisation(), Status.IMPLEMENTED)
    [cycle] = client.get(URL).context["cycles"].rows
    assert [(segment["status"], segment["count"], segment["width"]) for segment in cycle.status_bar] == [
        (Status.NO_INFORMATION, 1, 50.0), (Status.IMPLEMENTED, 1, 50.0)
    ]


def test_the_cycles_sort_by_next_deadline(client, crc):
    later = make_cycle("UZB", "CRC", "5")
    make_milestone(later, Milestone.Kind.REPLIES_DUE, planned_date=today() + days(40))
    make_milestone(crc, Milestone.Kind.REPLIES_DUE, planned_date=today() + days(80))
    rows = client.get(URL, {"sort": "deadline"}).context["cycles"].rows
    assert [cycle.country.code for cycle in rows] == ["UZB", "KAZ"]


def test_a_reviewer_sees_first_how_many_entries_await_review(client, crc):
    make_assessment(make_recommendation(crc), make_organisation(), Status.IN_PROGRESS,
                    review_state=FollowUpAssessment.ReviewState.SUBMITTED)
    client.force_login(make_user(organisation=make_organisation(kind="nhri"), role=Role.REVIEWER))
    content = client.get(URL).content.decode()
    assert "Needs your attention" in content and "entry awaits your review" in content
    assert content.index("Needs your attention") < content.index("Current reporting cycles")


def test_ngo_staff_see_their_drafts_disputed_entries_and_coming_deadlines(client, crc):
    organisation = make_organisation(country=Country.objects.get(code="KAZ"))
    draft = make_assessment(make_recommendation(crc, reference="12"), organisation,
                            Status.IN_PROGRESS, review_state=FollowUpAssessment.ReviewState.DRAFT)
    make_assessment(make_recommendation(crc, reference="13"), organisation, Status.IMPLEMENTED,
                    review_state=FollowUpAssessment.ReviewState.DISPUTED, review_note="No source.")
    make_milestone(crc, Milestone.Kind.REPLIES_DUE, planned_date=today() + days(20))
    make_milestone(crc, Milestone.Kind.FOLLOW_UP_DUE, planned_date=today() + days(60))
    client.force_login(make_user(organisation=organisation, role=Role.NGO_STAFF))
    response = client.get(URL)
    assert response.context["drafts"] == [draft]
    assert [entry.recommendation.reference for entry in response.context["returned"]] == ["13"]
    assert [deadline.date for deadline in response.context["coming_deadlines"]] == [
        today() + days(20)
    ]
    assert "Entries a reviewer disputed" in response.content.decode()


def test_the_overall_status_is_organisations_disagree_not_disputed(client, crc):
    content = client.get(URL).content.decode()
    assert "Organisations disagree" in content
    assert dict(Recommendation._meta.get_field("status").choices)[DISPUTED] == "Organisations disagree"
