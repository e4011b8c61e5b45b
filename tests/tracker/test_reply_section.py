import pytest

from tests.helpers import make_cycle
from tracker.models import (
    Document,
    ListOfIssuesParagraph,
    ReplyParagraph,
    ReplySection,
    StatisticalTable,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def replies() -> Document:
    return Document.objects.create(
        cycle=make_cycle(), kind=Document.Kind.REPLIES, symbol="CRC/C/KAZ/RQ/5-6"
    )


def make_section(replies: Document, *texts: str, unnumbered: str = "") -> ReplySection:
    section = ReplySection.objects.create(
        document=replies,
        order=replies.reply_sections.count() + 1,
        heading="Réponse",
        text=unnumbered,
    )
    for text in texts:
        ReplyParagraph.objects.create(
            section=section, number=ReplyParagraph.objects.count() + 1, text=text
        )
    return section


@pytest.mark.parametrize(
    "text",
    [
        "Annexe 1.",
        "Annexe 1",
        "annexe II.",
        "Voir l’annexe 3.",
        "Voir les annexes 2 et 3.",
        "See annex 1.",
        "See annexes 2 and 3",
        "Annex IV",
    ],
)
def test_a_section_that_only_names_an_annex_is_a_pointer(replies, text):
    assert make_section(replies, text).is_annex_pointer


def test_the_pointer_may_stand_in_the_unnumbered_text(replies):
    assert make_section(replies, unnumbered="Annexe 1.").is_annex_pointer


@pytest.mark.parametrize(
    "text",
    [
        "Les données figurent à l’annexe 1, qui couvre 2022 à 2024.",
        "Le Code pénal a été modifié en 2024.",
    ],
)
def test_a_section_that_says_more_is_not_a_pointer(replies, text):
    assert not make_section(replies, text).is_annex_pointer


def test_a_pointer_followed_by_a_table_is_an_answer(replies):
    section = make_section(replies, "Annexe 1.")
    StatisticalTable.objects.create(
        section=section,
        columns=["Année", "Total"],
        rows=[{"label": "2024", "cells": ["5"], "values": [5.0]}],
    )
    assert not section.is_annex_pointer


def test_an_empty_section_is_not_a_pointer(replies):
    assert not make_section(replies).is_annex_pointer


def test_the_first_paragraph_answered_is_the_first_in_the_list(replies):
    list_of_issues = Document.objects.create(
        kind=Document.Kind.LIST_OF_ISSUES, symbol="CRC/C/KAZ/Q/5-6"
    )
    two_a = ListOfIssuesParagraph.objects.create(document=list_of_issues, number=2, letter="a")
    one = ListOfIssuesParagraph.objects.create(document=list_of_issues, number=1)
    section = make_section(replies, "Le document stratégique clef…")
    section.issue_paragraphs.set([two_a, one])
    assert section.first_issue_paragraph == one
