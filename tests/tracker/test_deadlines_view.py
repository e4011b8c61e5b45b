import pytest
from django.urls import reverse

from tests.helpers import days, make_cycle, make_milestone, today
from tracker.models import Country, Mechanism, Milestone

pytestmark = pytest.mark.django_db

URL = reverse("tracker:deadlines")


def listed(response) -> list[Milestone]:
    assert response.status_code == 200
    return [row.record for row in response.context["table"].paginated_rows]


@pytest.fixture
def milestones() -> dict[str, Milestone]:
    crc_kaz = make_cycle("KAZ", "CRC", "5-6")
    ccpr_kgz = make_cycle("KGZ", "CCPR", "3")
    return {
        "done": make_milestone(
            crc_kaz, Milestone.Kind.LIST_OF_ISSUES_ADOPTED, actual_date=today() - days(90)
        ),
        "overdue": make_milestone(
            crc_kaz, Milestone.Kind.REPLIES_DUE, planned_date=today() - days(12)
        ),
        "soon": make_milestone(ccpr_kgz, Milestone.Kind.DIALOGUE, planned_date=today() + days(20)),
        "later": make_milestone(crc_kaz, Milestone.Kind.DIALOGUE, planned_date=today() + days(200)),
    }


def test_it_lists_pending_milestones_earliest_first(client, milestones):
    assert listed(client.get(URL)) == [
        milestones["overdue"],
        milestones["soon"],
        milestones["later"],
    ]


def test_an_overdue_milestone_says_so_in_words(client, milestones):
    content = client.get(URL).content.decode()
    assert "overdue by 12 days" in content
    assert "20 days left" in content


def test_overdue_only(client, milestones):
    assert listed(client.get(URL, {"overdue": "on"})) == [milestones["overdue"]]


def test_due_within_a_number_of_days_keeps_what_is_overdue(client, milestones):
    assert listed(client.get(URL, {"within": "30"})) == [milestones["overdue"], milestones["soon"]]


def test_it_filters_by_country_mechanism_and_step(client, milestones):
    kazakhstan = Country.objects.get(code="KAZ")
    ccpr = Mechanism.objects.get(code="CCPR")
    assert listed(client.get(URL, {"country": kazakhstan.pk})) == [
        milestones["overdue"],
        milestones["later"],
    ]
    assert listed(client.get(URL, {"mechanism": ccpr.pk})) == [milestones["soon"]]
    assert listed(client.get(URL, {"kind": Milestone.Kind.DIALOGUE})) == [
        milestones["soon"],
        milestones["later"],
    ]


def test_a_cycle_links_to_its_page(client, milestones):
    cycle = milestones["overdue"].cycle
    assert f'href="{cycle.get_absolute_url()}"' in client.get(URL).content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_the_number_of_queries_does_not_grow_with_the_list(
    client, count, django_assert_max_num_queries
):
    for number in range(count):
        cycle = make_cycle("KAZ", "CRC", str(number), is_current=False)
        make_milestone(cycle, Milestone.Kind.REPLIES_DUE, planned_date=today() + days(number - 5))
    with django_assert_max_num_queries(4):
        assert client.get(URL).status_code == 200
