import html

import pytest
from django.core.management import call_command
from django.urls import reverse

from tracker.models import Country, FieldOffice

pytestmark = pytest.mark.django_db


@pytest.fixture
def office() -> FieldOffice:
    call_command("load_demo", verbosity=0)
    return FieldOffice.objects.get(name="OHCHR Regional Office for Central Asia")


def text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_page_shows_the_seat_the_year_and_the_countries_covered(client, office):
    content = text(client.get(office.get_absolute_url()))
    assert "Bishkek (Kyrgyzstan)" in content
    assert "2008" in content
    assert "Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan" in content


def test_the_page_shows_the_four_presences(client, office):
    content = text(client.get(office.get_absolute_url()))
    for presence in [
        "Osh (Kyrgyzstan)",
        "Dushanbe (Tajikistan)",
        "Nur-Sultan (Kazakhstan)",
        "Tashkent (Uzbekistan)",
    ]:
        assert presence in content


def test_the_page_shows_the_six_priorities_of_the_programming_cycle_with_their_status(
    client, office
):
    content = text(client.get(office.get_absolute_url()))
    assert "Programming cycle 2018-2021" in content
    priorities = office.programming_cycles.get().priorities.all()
    assert len(priorities) == 6
    for priority in priorities:
        assert priority.text in content
        assert f'href="{reverse("recommendations:detail", args=[priority.pk])}"' in content
    assert content.count("No information") >= 6


def test_the_page_shows_the_achievements(client, office):
    content = text(client.get(office.get_absolute_url()))
    assert "“B” status accreditation of several national human rights institutions" in content


def test_the_page_costs_a_fixed_number_of_queries(client, office, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get(office.get_absolute_url())


def test_the_list_filters_by_country_covered(client, office):
    url = reverse("tracker:offices")
    link = f'href="{office.get_absolute_url()}"'
    assert link in text(client.get(url))
    assert link in text(client.get(url, {"country": Country.objects.get(code="TJK").pk}))
    # A country the office does not cover is not in the drop-down: the form rejects it.
    assert link not in text(client.get(url, {"country": Country.objects.get(code="FRA").pk}))
