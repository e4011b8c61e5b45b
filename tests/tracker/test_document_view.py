import html
import re

import pytest
from django.core.management import call_command

from tracker.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("load_demo", verbosity=0)


def text(response) -> str:
    assert response.status_code == 200
    return re.sub("[\xa0\u202f]", " ", html.unescape(response.content.decode()))


def test_the_replies_page_shows_their_sections_paragraphs_and_tables(client, demo):
    replies = Document.objects.get(symbol="CRC/C/KAZ/RQ/5-6")
    content = text(client.get(replies.get_absolute_url()))
    assert "Replies to the list of issues" in content
    assert content.count('<section class="reply-section"') == 79
    assert '<li value="274"' in content
    assert '<th scope="row">2024</th><td class="text-end text-nowrap">1 580</td>' in content
    assert "limit 10,700" in content


def test_the_list_page_shows_its_paragraphs_and_where_they_are_answered(client, demo):
    list_of_issues = Document.objects.get(symbol="CRC/C/KAZ/Q/5-6")
    content = text(client.get(list_of_issues.get_absolute_url()))
    assert "6 November 2025" in content and "10,700" in content
    assert '<th scope="row" class="text-nowrap">19 (b)</th>' in content
    assert "Réponse concernant le paragraphe 19 b) de la liste de points" in content


def test_the_page_costs_a_fixed_number_of_queries(client, demo, django_assert_max_num_queries):
    for document in Document.objects.all():
        with django_assert_max_num_queries(20):
            client.get(document.get_absolute_url())
