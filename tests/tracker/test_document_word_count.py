import pytest

from tests.helpers import make_cycle
from tracker.models import Document, ReplyParagraph, ReplySection, StatisticalTable, count_words

pytestmark = pytest.mark.django_db


def test_a_figure_with_spaces_between_thousands_is_one_word():
    assert count_words("En 2024, 1 580 enfants vivaient en institution.") == 7


def make_replies(word_limit: int = 10_700) -> Document:
    cycle = make_cycle()
    list_of_issues = Document.objects.create(
        cycle=cycle,
        kind=Document.Kind.LIST_OF_ISSUES,
        symbol="CRC/C/KAZ/Q/5-6",
        word_limit=word_limit,
    )
    replies = Document.objects.create(
        cycle=cycle, kind=Document.Kind.REPLIES, symbol="CRC/C/KAZ/RQ/5-6", answers=list_of_issues
    )
    section = ReplySection.objects.create(
        document=replies,
        order=1,
        heading="Réponse concernant le paragraphe 19 b)",  # 6 words
    )
    ReplyParagraph.objects.create(
        section=section, number=1, text="Le Code pénal a été modifié."
    )  # 6
    StatisticalTable.objects.create(
        section=section,
        caption="Enfants en institution",  # 3
        columns=["Année", "Total"],  # 2
        rows=[
            {"label": "2022", "cells": ["1 398"], "values": [1398]},  # 2
            {"label": "2023", "cells": ["–"], "values": [None]},
        ],  # 2: a dash stands for a figure
    )
    return replies


def test_the_replies_count_headings_paragraphs_and_tables():
    assert make_replies().word_count == 6 + 6 + 3 + 2 + 2 + 2


def test_replies_keep_to_the_limit_of_the_list_they_answer():
    replies = make_replies(word_limit=15)
    assert replies.reply_word_limit == 15
    assert replies.words_over_limit == 21 - 15


def test_replies_within_the_limit_are_not_over_it():
    assert make_replies().words_over_limit == 0
