import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from recommendations.models import FollowUpAssessment, Status
from tests.helpers import make_assessment, make_cycle, make_organisation, make_recommendation
from tracker.models import ReplyParagraph

pytestmark = pytest.mark.django_db

URL = reverse("recommendations:search")


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def test_it_finds_a_french_reply_paragraph_and_marks_the_words(client, demo):
    response = client.get(URL, {"q": "Indice du bien-être des enfants"})
    assert response.status_code == 200
    found = response.context["replies"].rows
    # Paragraph 47 of CRC/C/KAZ/RQ/5-6: "L’Indice du bien-être des enfants comprend …".
    assert 47 in {paragraph.number for paragraph in found}
    content = response.content.decode()
    assert "<mark>Indice</mark>" in content and "<mark>enfants</mark>" in content
    paragraph = ReplyParagraph.objects.get(document__symbol="CRC/C/KAZ/RQ/5-6", number=47)
    assert f'href="{paragraph.document.cycle.get_absolute_url()}#reply-{paragraph.document_id}-47"' in content


def test_it_finds_a_recommendation(client, demo):
    response = client.get(URL, {"q": "criminal matters"})
    [priority] = response.context["recommendations"].rows
    assert priority.mechanism.code == "CM-COE"
    content = response.content.decode()
    assert "<mark>criminal</mark> <mark>matters</mark>" in content
    assert f'href="{priority.get_absolute_url()}"' in content
    # The full list, past cycles included, holds the same words.
    assert f'href="{reverse("recommendations:list")}?q=criminal+matters&amp;current=0"' in content


def test_it_finds_follow_up_entries_but_never_drafts(client):
    recommendation = make_recommendation(make_cycle())
    make_assessment(recommendation, make_organisation(), Status.IN_PROGRESS,
                    summary="The juvenile justice law was adopted.")
    make_assessment(recommendation, make_organisation(), Status.IN_PROGRESS,
                    summary="Draft note on juvenile justice.",
                    review_state=FollowUpAssessment.ReviewState.DRAFT)
    response = client.get(URL, {"q": "juvenile justice"})
    assert [entry.summary for entry in response.context["entries"].rows] == [
        "The juvenile justice law was adopted."
    ]
    assert "Draft note" not in response.content.decode()


def test_matched_words_are_marked_in_escaped_text(client):
    make_recommendation(make_cycle(), text='Protect children & "orphans" <img src=x onerror=alert(1)>')
    content = client.get(URL, {"q": "children orphans"}).content.decode()
    assert ("<mark>children</mark> &amp; &quot;<mark>orphans</mark>&quot; "
            "&lt;img src=x onerror=alert(1)&gt;") in content
    assert "<img src=x" not in content


def test_a_search_shows_a_limited_number_per_group_and_says_there_are_more(client):
    cycle = make_cycle()
    for _ in range(12):
        make_recommendation(cycle, text="Ratify the convention on torture.")
    response = client.get(URL, {"q": "torture"})
    assert len(response.context["recommendations"].rows) == 10
    assert response.context["recommendations"].more
    assert "All matching recommendations" in response.content.decode()


def test_an_empty_or_overlong_search_shows_the_form(client):
    assert "text" not in client.get(URL).context
    response = client.get(URL, {"q": "x" * 201})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_any_punctuation_is_a_valid_search(client, demo):
    for text in ['"unterminated', "a & | ! ( )", "-", "enfants:*", "'; DROP TABLE"]:
        assert client.get(URL, {"q": text}).status_code == 200


def test_the_header_search_box_has_a_label(client):
    content = client.get(reverse("recommendations:dashboard")).content.decode()
    assert '<label class="visually-hidden" for="site-search">' in content
    assert f'action="{URL}"' in content


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text indexes are PostgreSQL's")
def test_postgresql_uses_the_full_text_indexes(demo):
    from recommendations.models import Recommendation, text_search

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    plans = [
        # Unordered: on tables this small the planner may rather walk an ordering index (or join
        # for the ordering) and filter; what matters is that the search expression matches the index.
        Recommendation.objects.search("criminal").order_by().explain(),
        text_search(ReplyParagraph.objects.all(), ["text"], "enfants").order_by().explain(),
        FollowUpAssessment.objects.search("law").order_by().explain(),
    ]
    assert "rec_text_search_idx" in plans[0]
    assert "reply_paragraph_search_idx" in plans[1]
    assert "assessment_search_idx" in plans[2]


def test_the_number_of_queries_is_one_per_group(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(URL, {"q": "enfants"})


def test_the_most_relevant_recommendation_comes_first(client):
    # Invented texts: the demo has no two recommendations that share words unequally.
    cycle = make_cycle()
    relevant = make_recommendation(
        cycle, text="Establish a juvenile justice system: juvenile courts and juvenile judges."
    )
    # Newer (a higher pk, first in the unranked order), both words but once each and apart.
    passing = make_recommendation(cycle, text="Train judges in the treatment of juvenile offenders.")
    make_recommendation(cycle, text="Ratify the Optional Protocol.")
    # PostgreSQL's ts_rank and SQLite's phrase match both put the first one first.
    assert client.get(URL, {"q": "juvenile judges"}).context["recommendations"].rows == [
        relevant, passing
    ]


def test_each_result_is_labelled_with_mechanism_country_cycle_and_paragraph(client, demo):
    content = client.get(URL, {"q": "Indice du bien-être des enfants"}).content.decode()
    assert '<span class="result-label" title="Mechanism">CRC</span>' in content
    assert '<span class="result-label" title="Country">Kazakhstan</span>' in content
    assert '<span class="result-label" title="Paragraph">¶ 47</span>' in content
