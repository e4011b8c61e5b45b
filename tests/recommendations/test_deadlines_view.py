import pytest
from django.urls import reverse

from tests.helpers import (
    days,
    make_cycle,
    make_milestone,
    make_organisation,
    make_recommendation,
    make_user,
    today,
)
from recommendations.deadlines import FOLLOW_UP
from tracker.models import Country, Document, Mechanism, Milestone

pytestmark = pytest.mark.django_db

URL = reverse("recommendations:deadlines")


def listed(response) -> list[str]:
    """The uids of the deadlines on the page, in their order."""
    assert response.status_code == 200
    return [row.record.uid for row in response.context["table"].paginated_rows]


def uid(thing) -> str:
    kind = "milestone" if isinstance(thing, Milestone) else "follow-up"
    return f"{kind}-{thing.pk}"


@pytest.fixture
def deadlines() -> dict:
    crc_kaz = make_cycle("KAZ", "CRC", "5-6")
    ccpr_kgz = make_cycle("KGZ", "CCPR", "3")
    return {
        "done": make_milestone(
            crc_kaz, Milestone.Kind.LIST_OF_ISSUES_ADOPTED, actual_date=today() - days(90)
        ),
        "overdue": make_milestone(
            crc_kaz, Milestone.Kind.REPLIES_DUE, planned_date=today() - days(12)
        ),
        "follow_up_overdue": make_recommendation(
            ccpr_kgz, reference="8", follow_up=True, follow_up_due=today() - days(5)
        ),
        "soon": make_milestone(ccpr_kgz, Milestone.Kind.DIALOGUE, planned_date=today() + days(20)),
        "follow_up_soon": make_recommendation(
            crc_kaz, reference="23 (b)", follow_up=True, follow_up_due=today() + days(25)
        ),
        "later": make_milestone(crc_kaz, Milestone.Kind.DIALOGUE, planned_date=today() + days(200)),
        "not_followed_up": make_recommendation(crc_kaz, follow_up=False),
    }


def uids(deadlines: dict, *names: str) -> list[str]:
    return [uid(deadlines[name]) for name in names]


def test_it_lists_pending_milestones_and_follow_ups_earliest_first(client, deadlines):
    assert listed(client.get(URL)) == uids(
        deadlines, "overdue", "follow_up_overdue", "soon", "follow_up_soon", "later"
    )


def test_it_leaves_out_the_follow_ups_of_a_cycle_whose_follow_up_is_submitted(client, deadlines):
    make_milestone(
        deadlines["follow_up_soon"].cycle,
        Milestone.Kind.FOLLOW_UP_SUBMITTED,
        actual_date=today() - days(1),
    )

    assert uid(deadlines["follow_up_soon"]) not in listed(client.get(URL))


def test_it_leaves_out_the_replies_due_once_the_replies_are_loaded(client, deadlines):
    Document.objects.create(
        cycle=deadlines["overdue"].cycle, kind=Document.Kind.REPLIES, symbol="CRC/C/KAZ/RQ/5-6"
    )
    assert listed(client.get(URL)) == uids(
        deadlines, "follow_up_overdue", "soon", "follow_up_soon", "later"
    )
    assert listed(client.get(URL, {"when": "overdue"})) == uids(deadlines, "follow_up_overdue")


def test_an_overdue_deadline_says_so_in_words(client, deadlines):
    content = client.get(URL).content.decode()
    assert "overdue by 12 days" in content
    assert "overdue by 5 days" in content
    assert "20 days left" in content
    assert "25 days left" in content


def test_overdue_only(client, deadlines):
    assert listed(client.get(URL, {"when": "overdue"})) == uids(
        deadlines, "overdue", "follow_up_overdue"
    )


def test_upcoming_only(client, deadlines):
    assert listed(client.get(URL, {"when": "upcoming"})) == uids(
        deadlines, "soon", "follow_up_soon", "later"
    )


def test_due_within_a_number_of_days_keeps_what_is_overdue(client, deadlines):
    assert listed(client.get(URL, {"within": "22"})) == uids(
        deadlines, "overdue", "follow_up_overdue", "soon"
    )


def test_it_filters_both_kinds_by_country_and_mechanism(client, deadlines):
    kazakhstan = Country.objects.get(code="KAZ")
    ccpr = Mechanism.objects.get(code="CCPR")
    assert listed(client.get(URL, {"country": kazakhstan.pk})) == uids(
        deadlines, "overdue", "follow_up_soon", "later"
    )
    assert listed(client.get(URL, {"mechanism": ccpr.pk})) == uids(
        deadlines, "follow_up_overdue", "soon"
    )


def test_it_filters_by_kind_of_deadline(client, deadlines):
    assert listed(client.get(URL, {"kind": Milestone.Kind.DIALOGUE})) == uids(
        deadlines, "soon", "later"
    )
    assert listed(client.get(URL, {"kind": FOLLOW_UP})) == uids(
        deadlines, "follow_up_overdue", "follow_up_soon"
    )


def test_filters_combine(client, deadlines):
    kazakhstan = Country.objects.get(code="KAZ")
    filters = {"country": kazakhstan.pk, "when": "upcoming", "within": "30"}
    assert listed(client.get(URL, filters)) == uids(deadlines, "follow_up_soon")


def test_a_filter_that_does_not_validate_lists_nothing(client, deadlines):
    assert listed(client.get(URL, {"within": "-1"})) == []


def test_each_deadline_links_to_its_cycle_or_recommendation(client, deadlines):
    content = client.get(URL).content.decode()
    assert f'href="{deadlines["overdue"].cycle.get_absolute_url()}"' in content
    assert f'href="{deadlines["follow_up_soon"].get_absolute_url()}"' in content
    assert "CRC KAZ 23 (b)" in content


def test_pages_merge_both_kinds_in_date_order(client):
    cycle = make_cycle("KAZ", "CRC", "5-6")
    kinds = list(Milestone.Kind)
    # 60 deadlines alternating between the kinds, one a day: two pages of 50.
    expected = []
    for number in range(60):
        if number % 2:
            recommendation = make_recommendation(
                cycle, follow_up=True, follow_up_due=today() + days(number)
            )
            expected.append(uid(recommendation))
        else:
            other = make_cycle("KAZ", "CRC", f"old-{number}", is_current=False)
            milestone = make_milestone(
                other, kinds[number % len(kinds)], planned_date=today() + days(number)
            )
            expected.append(uid(milestone))

    first, second = listed(client.get(URL)), listed(client.get(URL, {"page": "2"}))

    assert first + second == expected
    assert len(first) == 50


def test_it_cannot_be_sorted_by_a_column(client, deadlines):
    # Sorting would have to read every row; the list keeps its date order.
    assert listed(client.get(URL, {"sort": "country"})) == listed(client.get(URL))


@pytest.mark.parametrize("count", [3, 30])
def test_the_number_of_queries_does_not_grow_with_the_list(
    client, count, django_assert_max_num_queries
):
    for number in range(count):
        cycle = make_cycle("KAZ", "CRC", str(number), is_current=False)
        make_milestone(cycle, Milestone.Kind.REPLIES_DUE, planned_date=today() + days(number - 5))
        make_recommendation(cycle, follow_up=True, follow_up_due=today() + days(number))
    # One of them counts the matching milestones and follow-ups (up to EXACT_COUNT_LIMIT each).
    with django_assert_max_num_queries(6):
        assert client.get(URL, {"kind": "", "within": "400"}).status_code == 200


def test_a_signed_in_member_s_page_with_every_filter_stays_within_15_queries(
    client, deadlines, django_assert_max_num_queries
):
    kazakhstan = Country.objects.get(code="KAZ")
    client.force_login(make_user(organisation=make_organisation(country=kazakhstan)))
    filters = {"country": kazakhstan.pk, "mechanism": Mechanism.objects.get(code="CRC").pk,
               "kind": FOLLOW_UP, "when": "upcoming", "within": "30", "page": "1"}

    # The session, the user, the filter form's lists and checks, a page of each kind of
    # deadline, the member's calendar addresses and the navigation.
    with django_assert_max_num_queries(15):
        assert listed(client.get(URL, filters)) == uids(deadlines, "follow_up_soon")
