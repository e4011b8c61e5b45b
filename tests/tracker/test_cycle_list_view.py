import pytest
from django.urls import reverse

from tests.helpers import days, make_cycle, make_milestone, today
from tracker.models import Country, Mechanism, Milestone

pytestmark = pytest.mark.django_db

URL = reverse("tracker:cycles")


def cycle_links(response) -> set[str]:
    """The cycles the table lists, as the text of their links."""
    return {str(row.record) for row in response.context["table"].paginated_rows}


@pytest.fixture
def cycles():
    return {
        "crc_kaz_old": make_cycle("KAZ", "CRC", "3-4"),
        "crc_kaz": make_cycle("KAZ", "CRC", "5-6"),
        "ccpr_kaz": make_cycle("KAZ", "CCPR", "3"),
        "crc_kgz": make_cycle("KGZ", "CRC", "5-6"),
    }


def test_it_lists_every_cycle_without_filters(client, cycles):
    response = client.get(URL)
    assert response.status_code == 200
    assert cycle_links(response) == {str(cycle) for cycle in cycles.values()}


def test_it_filters_by_country(client, cycles):
    kyrgyzstan = Country.objects.get(code="KGZ")
    assert cycle_links(client.get(URL, {"country": kyrgyzstan.pk})) == {str(cycles["crc_kgz"])}


def test_it_filters_by_mechanism(client, cycles):
    ccpr = Mechanism.objects.get(code="CCPR")
    assert cycle_links(client.get(URL, {"mechanism": ccpr.pk})) == {str(cycles["ccpr_kaz"])}


def test_current_only_hides_past_cycles(client, cycles):
    listed = cycle_links(client.get(URL, {"current": "on"}))
    assert str(cycles["crc_kaz_old"]) not in listed
    assert str(cycles["crc_kaz"]) in listed


def test_the_table_shows_the_stage_and_the_next_deadline(client, cycles):
    cycle = cycles["crc_kaz"]
    make_milestone(cycle, Milestone.Kind.LIST_OF_ISSUES_ADOPTED, actual_date=today() - days(30))
    make_milestone(cycle, Milestone.Kind.REPLIES_DUE, planned_date=today() - days(3))
    content = client.get(
        URL, {"country": cycle.country_id, "mechanism": cycle.mechanism_id}
    ).content.decode()
    assert "List of issues adopted" in content
    assert "Replies due" in content and "overdue by 3 days" in content
    assert f'href="{cycle.get_absolute_url()}"' in content


@pytest.mark.parametrize("count", [3, 25])
def test_the_number_of_queries_does_not_grow_with_the_list(
    client, count, django_assert_max_num_queries
):
    for number in range(count):
        cycle = make_cycle("KAZ", "CRC", f"{number}", is_current=False)
        make_milestone(cycle, Milestone.Kind.REPORT_SUBMITTED, actual_date=today() - days(10))
        make_milestone(cycle, Milestone.Kind.REPLIES_DUE, planned_date=today() + days(number))
    # Cycles, their milestones, and the filter form's two drop-downs; no COUNT(*) of the list.
    with django_assert_max_num_queries(5):
        assert client.get(URL).status_code == 200
