import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tests.helpers import make_cycle
from tracker.models import Document, ListOfIssuesParagraph, ReplyParagraph, ReplySection

pytestmark = pytest.mark.django_db


def make_document(symbol: str = "CRC/C/KAZ/Q/5-6", kind: str = Document.Kind.LIST_OF_ISSUES) -> Document:
    return Document.objects.create(cycle=make_cycle(), kind=kind, symbol=symbol)


def test_two_documents_cannot_share_a_symbol():
    make_document()
    with pytest.raises(IntegrityError):
        Document.objects.create(kind=Document.Kind.LIST_OF_ISSUES, symbol="CRC/C/KAZ/Q/5-6")


def test_documents_without_a_symbol_do_not_clash():
    Document.objects.create(kind=Document.Kind.ALTERNATIVE_REPORT, title="Coalition report")
    Document.objects.create(kind=Document.Kind.ALTERNATIVE_REPORT, title="Another report")
    assert Document.objects.filter(symbol="").count() == 2


def test_the_duplicate_symbol_message_is_clear():
    make_document()
    duplicate = Document(kind=Document.Kind.LIST_OF_ISSUES, symbol="CRC/C/KAZ/Q/5-6",
                         date=datetime.date(2025, 11, 6))
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "A document with this symbol already exists." in str(error.value)


def test_list_paragraphs_get_their_label_and_order():
    document = make_document()
    for number, letter, roman in [(13, "a", "iv"), (2, "", ""), (13, "a", "ii"), (10, "", ""), (2, "b", "")]:
        ListOfIssuesParagraph.objects.create(document=document, number=number, letter=letter, roman=roman)

    labels = list(document.issue_paragraphs.values_list("label", flat=True))
    # Roman numerals sort as numbers (ii before iv) and 10 after 2.
    assert labels == ["2", "2 (b)", "10", "13 (a) (ii)", "13 (a) (iv)"]


def test_a_list_paragraph_number_is_unique_per_document():
    document = make_document()
    ListOfIssuesParagraph.objects.create(document=document, number=2, letter="a")
    with pytest.raises(IntegrityError):
        ListOfIssuesParagraph.objects.create(document=document, number=2, letter="a")


def test_a_roman_sub_paragraph_needs_a_letter():
    with pytest.raises(IntegrityError):
        ListOfIssuesParagraph.objects.create(document=make_document(), number=2, roman="i")


def test_a_reply_paragraph_number_is_unique_per_document_across_sections():
    replies = make_document("CRC/C/KAZ/RQ/5-6", Document.Kind.REPLIES)
    first = ReplySection.objects.create(document=replies, order=1, heading="Réponse 1")
    second = ReplySection.objects.create(document=replies, order=2, heading="Réponse 2")
    ReplyParagraph.objects.create(section=first, number=1, text="Un.")
    with pytest.raises(IntegrityError):
        ReplyParagraph.objects.create(section=second, number=1, text="Encore un.")
