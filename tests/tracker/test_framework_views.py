import html
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from recommendations.models import Recommendation
from tracker.models import CooperationFramework

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework() -> CooperationFramework:
    call_command("load_demo", verbosity=0)
    return CooperationFramework.objects.get(country__code="KAZ")


def text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def timeline(content: str) -> str:
    """The timeline's text, without its tags."""
    start = content.index('<ol class="event-timeline')
    events = content[start : content.index("</ol>", start)]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", events))


def test_the_timeline_shows_adoption_both_extensions_and_the_programme(client, framework):
    events = timeline(text(client.get(framework.get_absolute_url())))
    assert "18 December 2013" in events and "meeting 1187bis" in events
    assert "1 December 2015" in events and "Extended to December 2017" in events
    assert "29 November 2017" in events and "Extended to July 2018 (meeting 1301)" in events
    assert "Programme begins:" in events and "EUR 2,000,000" in events
    # One timeline, in date order.
    assert events.index("2013") < events.index("1 December 2015") < events.index("29 November 2017")


def test_the_page_shows_the_programmes_with_their_budget_and_partners(client, framework):
    content = text(client.get(framework.get_absolute_url()))
    assert "Support to the Kazakh authorities in improving the quality and efficiency" in content
    assert "EUR 2,000,000" in content and "CoE, EU" in content
    assert "Kazakhstan" in content


def test_the_priority_areas_show_their_follow_up_status_and_link_to_the_recommendation(
    client, framework
):
    priority = Recommendation.objects.get(framework=framework)
    content = text(client.get(framework.get_absolute_url()))
    assert "Co-operation activities relating to Council of Europe conventions" in content
    assert priority.get_status_display() in content
    assert f'href="{reverse("recommendations:detail", args=[priority.pk])}"' in content


def test_budgets_and_dates_follow_the_language(client, framework):
    with translation.override("fr"):
        content = text(client.get(framework.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr"))
    assert '<html lang="fr">' in content
    assert "2\xa0000\xa0000" in content
    assert "29 novembre 2017" in content


def test_the_page_costs_a_fixed_number_of_queries(client, framework, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get(framework.get_absolute_url())


def test_the_list_links_to_each_framework_and_filters_by_status(client, framework):
    url = reverse("tracker:frameworks")
    assert f'href="{framework.get_absolute_url()}"' in text(client.get(url))
    assert framework.status == CooperationFramework.Status.COMPLETED
    assert f'href="{framework.get_absolute_url()}"' in text(
        client.get(url, {"status": "completed"})
    )
    assert f'href="{framework.get_absolute_url()}"' not in text(
        client.get(url, {"status": "in_force"})
    )
