import html
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.helpers import days, make_cycle, make_milestone, today
from tracker.models import (
    Document,
    ListOfIssuesParagraph,
    Milestone,
    ReplyParagraph,
    ReplySection,
    ReportingCycle,
    StatisticalTable,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_cycle() -> ReportingCycle:
    call_command("load_demo", verbosity=0)
    return ReportingCycle.objects.get(country__code="KAZ", mechanism__code="CRC", label="5-6")


def page(client, cycle: ReportingCycle) -> str:
    response = client.get(reverse("tracker:cycle", args=[cycle.pk]))
    assert response.status_code == 200
    # Compare text as a reader sees it: entities decoded, non-breaking spaces as spaces.
    return re.sub("[\xa0\u202f]", " ", html.unescape(response.content.decode()))


def question(content: str, anchor: str) -> str:
    """The part of the page that shows one list-of-issues paragraph and its answers."""
    start = content.index('<article class="qa-item')
    start = content.index(f'id="{anchor}"', start)
    end = content.find("<article", start)
    return content[start : end if end != -1 else None]


def test_every_reply_section_of_the_seed_shows_once_under_its_questions(client, demo_cycle):
    content = page(client, demo_cycle)
    assert content.count('<section class="reply-section"') == 79
    for section in ReplySection.objects.filter(document__cycle=demo_cycle):
        assert content.count(f'id="section-{section.pk}"') == 1


def test_the_reply_to_19_b_shows_its_table_and_chart_under_19_b(client, demo_cycle):
    answer = question(page(client, demo_cycle), "q-19-b")
    assert "Réponse concernant le paragraphe 19 b) de la liste de points" in answer
    for year, figure in [("2022", "1 398"), ("2023", "1 537"), ("2024", "1 580")]:
        assert (
            f'<th scope="row">{year}</th><td class="text-end text-nowrap">{figure}</td>' in answer
        )
    assert "<svg" in answer and "<title" in answer


def test_the_reply_to_18_a_to_f_is_flagged_as_a_pointer_to_an_annex(client, demo_cycle):
    content = page(client, demo_cycle)
    reply = question(content, "q-18-a")
    assert "Réponse concernant le paragraphe 18 a) à f) de la liste de points" in reply
    assert "Annexe 1." in reply and "Only a pointer to an annex" in reply
    # The other sub-paragraphs it answers point to it rather than repeat it.
    section = ReplySection.objects.get(heading__contains="18 a) à f)")
    assert f'href="#section-{section.pk}"' in question(content, "q-18-f")
    assert "Only a pointer to an annex" in question(content, "q-18-f")
    # The summary at the top lists the flagged questions.
    assert "6 questions are answered only by a pointer to an annex" in content


def test_an_index_links_to_every_paragraph_and_flags_the_unanswered(client, demo_cycle):
    content = page(client, demo_cycle)
    start = content.index('<nav class="qa-index')
    index = content[start : content.index("</nav>", start)]
    paragraphs = ListOfIssuesParagraph.objects.filter(document__cycle=demo_cycle)
    assert paragraphs.count() == 108
    for paragraph in paragraphs:
        assert f'href="#{paragraph.anchor}"' in index
        # Each paragraph's heading links to itself, for sharing.
        assert f'class="qa-anchor" href="#{paragraph.anchor}"' in content
    # 18 (a) to (f) point to an annex only: each is flagged, and 18 with them.
    assert 'href="#q-18" class="qa-index-flagged">18' in index
    assert 'href="#q-18-a" class="qa-index-flagged">(a)' in index
    assert 'href="#q-19-b">(b)' in index


def test_each_numbered_paragraph_folds_with_its_sub_paragraphs(client, demo_cycle):
    content = page(client, demo_cycle)
    # 23 numbered paragraphs, folded until opened; the filters open what they keep.
    assert content.count('<details class="qa-group">') == 23
    group = content[content.index('<details class="qa-group">'):]
    group = group[: group.index("</details>")]
    assert 'id="q-1"' in group and 'id="q-2"' not in group


def test_the_filters_keep_the_unanswered_or_the_annex_only_questions(client, demo_cycle):
    url = reverse("tracker:cycle", args=[demo_cycle.pk])
    annex_only = html.unescape(client.get(url, {"show": "annex_only"}).content.decode())
    shown = re.findall(r'<article class="qa-item[^"]*" id="([^"]+)"', annex_only)
    assert shown == ["q-18-a", "q-18-b", "q-18-c", "q-18-d", "q-18-e", "q-18-f"]
    assert '<details class="qa-group" open>' in annex_only
    assert 'value="annex_only" id="show-annex-' in annex_only and " checked>" in annex_only
    unanswered = client.get(url, {"show": "unanswered"}).content.decode()
    assert "No paragraph of this list matches the filter." in unanswered
    # An unknown value shows everything.
    everything = client.get(url, {"show": "nonsense"}).content.decode()
    assert everything.count('<article class="qa-item') == 108


def test_a_section_answering_two_paragraphs_shows_in_full_under_the_first_only(client, demo_cycle):
    content = page(client, demo_cycle)
    section = ReplySection.objects.get(heading__contains="paragraphes 1 et 2 a)")
    assert f'id="section-{section.pk}"' in question(content, "q-1")
    assert f'href="#section-{section.pk}"' in question(content, "q-2-a")


def test_the_replies_word_count_is_shown_against_the_limit_of_10700(client, demo_cycle):
    replies = Document.objects.get(symbol="CRC/C/KAZ/RQ/5-6")
    content = page(client, demo_cycle)
    assert f"{replies.word_count:,} words" in content
    assert "limit 10,700" in content


def test_the_page_shows_the_stage_and_the_overdue_deadline_in_words(client):
    cycle = make_cycle()
    make_milestone(cycle, Milestone.Kind.LIST_OF_ISSUES_ADOPTED, actual_date=today() - days(100))
    make_milestone(cycle, Milestone.Kind.REPLIES_DUE, planned_date=today() - days(5))
    make_milestone(cycle, Milestone.Kind.DIALOGUE, planned_date=today() + days(40))
    content = page(client, cycle)
    assert "List of issues adopted" in content
    # Red is not the only signal: the text says so.
    assert "overdue by 5 days" in content
    assert "40 days left" in content


def test_the_demo_s_replies_due_is_done_because_the_replies_are_loaded(client, demo_cycle):
    content = page(client, demo_cycle)
    assert "overdue by" not in content
    assert '<li class="milestone is-done">' in content
    assert "Next deadline" in content


def test_a_question_without_a_reply_is_flagged(client):
    cycle, list_of_issues, replies = make_documents()
    answered = ListOfIssuesParagraph.objects.create(document=list_of_issues, number=1)
    ListOfIssuesParagraph.objects.create(document=list_of_issues, number=2)
    make_section(replies, answered)
    content = page(client, cycle)
    assert "No reply section answers this paragraph." in question(content, "q-2")
    assert "1 question received no answer" in content


def test_the_text_of_an_imported_list_shows_beside_its_replies(client):
    cycle, list_of_issues, replies = make_documents()
    paragraph = ListOfIssuesParagraph.objects.create(
        document=list_of_issues,
        number=3,
        text="Indiquer les mesures prises pour lutter contre la violence.",
    )
    make_section(replies, paragraph)
    answer = question(page(client, cycle), "q-3")
    assert "Indiquer les mesures prises" in answer and "Le Code pénal a été modifié" in answer


def make_documents() -> tuple[ReportingCycle, Document, Document]:
    cycle = make_cycle()
    list_of_issues = Document.objects.create(
        cycle=cycle, kind=Document.Kind.LIST_OF_ISSUES, symbol="CRC/C/KAZ/Q/5-6", word_limit=10_700
    )
    replies = Document.objects.create(
        cycle=cycle, kind=Document.Kind.REPLIES, symbol="CRC/C/KAZ/RQ/5-6", answers=list_of_issues
    )
    return cycle, list_of_issues, replies


def make_section(replies: Document, *paragraphs: ListOfIssuesParagraph) -> ReplySection:
    order = replies.reply_sections.count() + 1
    section = ReplySection.objects.create(document=replies, order=order, heading=f"Réponse {order}")
    ReplyParagraph.objects.create(
        section=section, number=order, text="Le Code pénal a été modifié."
    )
    StatisticalTable.objects.create(
        section=section,
        columns=["Année", "Total"],
        rows=[
            {"label": "2023", "cells": ["5"], "values": [5.0]},
            {"label": "2024", "cells": ["7"], "values": [7.0]},
        ],
    )
    section.issue_paragraphs.set(paragraphs)
    return section


def test_the_number_of_queries_does_not_grow_with_the_lists(client):
    cycle, list_of_issues, replies = make_documents()
    make_milestone(cycle, Milestone.Kind.REPLIES_DUE, planned_date=today() + days(10))
    counts = []
    for first, last in [(1, 2), (3, 15)]:
        for number in range(first, last + 1):
            parent = ListOfIssuesParagraph.objects.create(document=list_of_issues, number=number)
            for letter in "abc":
                sub = ListOfIssuesParagraph.objects.create(
                    document=list_of_issues, number=number, letter=letter, parent=parent
                )
                make_section(replies, sub)
            roman = ListOfIssuesParagraph.objects.create(
                document=list_of_issues, number=number, letter="c", roman="i", parent=sub
            )
            make_section(replies, roman)
        # More replies and a second list, which the page loads with the first.
        make_second_list(cycle, f"{first}")
        with CaptureQueriesContext(connection) as queries:
            page(client, cycle)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 15


def make_second_list(cycle: ReportingCycle, suffix: str) -> tuple[Document, Document]:
    list_of_issues = Document.objects.create(
        cycle=cycle, kind=Document.Kind.LIST_OF_ISSUES_PRIOR, symbol=f"CRC/C/KAZ/QPR/{suffix}"
    )
    replies = Document.objects.create(
        cycle=cycle, kind=Document.Kind.REPLIES, symbol=f"CRC/C/KAZ/RQPR/{suffix}",
        answers=list_of_issues,
    )
    return list_of_issues, replies


def test_each_list_of_the_cycle_shows_the_answers_to_its_own_questions(client):
    cycle, first_list, first_replies = make_documents()
    second_list, second_replies = make_second_list(cycle, "7")
    answered = ListOfIssuesParagraph.objects.create(document=first_list, number=1)
    unanswered = ListOfIssuesParagraph.objects.create(document=second_list, number=1)
    parent = ListOfIssuesParagraph.objects.create(document=second_list, number=2)
    sub = ListOfIssuesParagraph.objects.create(
        document=second_list, number=2, letter="a", parent=parent
    )
    answering = make_section(first_replies, answered)
    make_section(second_replies, sub)
    unlinked = make_section(second_replies)
    content = page(client, cycle)
    first, second = content.split('aria-labelledby="qa-')[1:]
    assert f'id="section-{answering.pk}"' in first and f'id="section-{answering.pk}"' not in second
    assert "1 question received no answer" in second and "No answer" not in first
    # The parent counts as answered through its only sub-paragraph, so is not flagged.
    assert "No reply section answers" not in question(second, "q-2")
    assert f'href="#{unanswered.anchor}"' in second
    unlinked_part = second.split("Reply sections that name no paragraph of the list")[1]
    assert f'id="section-{unlinked.pk}"' in unlinked_part


def test_the_word_count_adds_up_headings_paragraphs_and_table_cells(client):
    cycle, list_of_issues, replies = make_documents()
    paragraph = ListOfIssuesParagraph.objects.create(document=list_of_issues, number=1)
    # Each section: “Réponse 1” (2), “Le Code pénal a été modifié.” (6), the table's headers
    # “Année” and “Total”, row labels “2023” and “2024” and the figures 5 and 7 (6).
    make_section(replies, paragraph)
    make_section(replies)
    assert "28 words" in page(client, cycle)


def test_the_page_renders_in_french(client, demo_cycle):
    with translation.override("fr"):
        response = client.get(
            reverse("tracker:cycle", args=[demo_cycle.pk]), HTTP_ACCEPT_LANGUAGE="fr"
        )
    content = html.unescape(response.content.decode())
    assert '<html lang="fr">' in content
    # Dates follow the language: Django's own French month names.
    assert "15 février 2026" in content


def test_an_unknown_cycle_is_not_found(client):
    assert client.get(reverse("tracker:cycle", args=[999])).status_code == 404
