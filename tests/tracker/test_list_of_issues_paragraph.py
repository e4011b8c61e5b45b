import pytest

from tests.helpers import make_cycle
from tracker.models import Document, ListOfIssuesParagraph, ReplyParagraph, ReplySection

pytestmark = pytest.mark.django_db

Answer = ListOfIssuesParagraph.Answer


@pytest.fixture
def documents() -> tuple[Document, Document]:
    cycle = make_cycle()
    list_of_issues = Document.objects.create(
        cycle=cycle, kind=Document.Kind.LIST_OF_ISSUES, symbol="CRC/C/KAZ/Q/5-6"
    )
    replies = Document.objects.create(
        cycle=cycle, kind=Document.Kind.REPLIES, symbol="CRC/C/KAZ/RQ/5-6", answers=list_of_issues
    )
    return list_of_issues, replies


def make_paragraph(
    document: Document,
    number: int,
    letter: str = "",
    roman: str = "",
    parent: ListOfIssuesParagraph | None = None,
) -> ListOfIssuesParagraph:
    return ListOfIssuesParagraph.objects.create(
        document=document, number=number, letter=letter, roman=roman, parent=parent
    )


def answer(
    replies: Document, *paragraphs: ListOfIssuesParagraph, text: str = "A law was adopted."
) -> ReplySection:
    order = replies.reply_sections.count() + 1
    section = ReplySection.objects.create(document=replies, order=order, heading=f"Reply {order}")
    ReplyParagraph.objects.create(section=section, number=order, text=text)
    section.issue_paragraphs.set(paragraphs)
    return section


def statuses(document: Document) -> dict[str, str]:
    return {p.label: p.answer_status for p in document.issue_paragraphs.with_answers()}


def test_a_paragraph_with_a_reply_is_answered(documents):
    list_of_issues, replies = documents
    paragraph = make_paragraph(list_of_issues, 3)
    answer(replies, paragraph)
    assert paragraph.is_answered


def test_a_paragraph_nobody_replied_to_has_no_answer(documents):
    list_of_issues, _replies = documents
    paragraph = make_paragraph(list_of_issues, 3)
    assert paragraph.answer_status == Answer.UNANSWERED
    assert not paragraph.is_answered


def test_a_pointer_to_an_annex_is_not_an_answer(documents):
    list_of_issues, replies = documents
    paragraph = make_paragraph(list_of_issues, 18)
    answer(replies, paragraph, text="Annexe 1.")
    assert paragraph.answer_status == Answer.ANNEX_ONLY
    assert paragraph.get_answer_status_display() == "Only a pointer to an annex"


def test_a_parent_whose_sub_paragraphs_are_all_answered_counts_as_answered(documents):
    list_of_issues, replies = documents
    parent = make_paragraph(list_of_issues, 2)
    answer(replies, make_paragraph(list_of_issues, 2, "a", parent=parent))
    answer(replies, make_paragraph(list_of_issues, 2, "b", parent=parent))
    # The parent itself has no reply section: its sub-paragraphs carry the answers.
    assert statuses(list_of_issues)["2"] == Answer.ANSWERED


def test_answers_to_roman_sub_paragraphs_reach_the_numbered_paragraph(documents):
    list_of_issues, replies = documents
    thirteen = make_paragraph(list_of_issues, 13)
    letter_a = make_paragraph(list_of_issues, 13, "a", parent=thirteen)
    romans = [
        make_paragraph(list_of_issues, 13, "a", roman, parent=letter_a) for roman in ("i", "ii")
    ]
    answer(replies, *romans)
    assert statuses(list_of_issues) == {
        "13": Answer.ANSWERED,
        "13 (a)": Answer.ANSWERED,
        "13 (a) (i)": Answer.ANSWERED,
        "13 (a) (ii)": Answer.ANSWERED,
    }


def test_a_parent_with_some_sub_paragraphs_unanswered_is_partly_answered(documents):
    list_of_issues, replies = documents
    parent = make_paragraph(list_of_issues, 5)
    answer(replies, make_paragraph(list_of_issues, 5, "a", parent=parent))
    make_paragraph(list_of_issues, 5, "b", parent=parent)
    assert statuses(list_of_issues) == {
        "5": Answer.PARTLY_ANSWERED,
        "5 (a)": Answer.ANSWERED,
        "5 (b)": Answer.UNANSWERED,
    }


def test_a_parent_whose_sub_paragraphs_only_point_to_an_annex_is_flagged_too(documents):
    list_of_issues, replies = documents
    parent = make_paragraph(list_of_issues, 18)
    subs = [make_paragraph(list_of_issues, 18, letter, parent=parent) for letter in "abc"]
    answer(replies, *subs, text="Annexe 1.")
    assert set(statuses(list_of_issues).values()) == {Answer.ANNEX_ONLY}


def test_depth_and_anchor_follow_the_numbering(documents):
    list_of_issues, _replies = documents
    paragraph = make_paragraph(list_of_issues, 13, "a", "ii")
    assert paragraph.label == "13 (a) (ii)"
    assert paragraph.depth == 2
    assert paragraph.anchor == "q-13-a-ii"
    assert make_paragraph(list_of_issues, 4).anchor == "q-4"


def build_list(list_of_issues: Document, replies: Document, count: int) -> None:
    for number in range(1, count + 1):
        parent = make_paragraph(list_of_issues, number)
        for letter in "ab":
            sub = make_paragraph(list_of_issues, number, letter, parent=parent)
            answer(replies, sub)
            make_paragraph(list_of_issues, number, letter, "i", parent=sub)


@pytest.mark.parametrize("count", [2, 12])
def test_the_answer_status_of_a_whole_list_costs_a_fixed_number_of_queries(
    documents, count, django_assert_max_num_queries
):
    list_of_issues, replies = documents
    build_list(list_of_issues, replies, count)
    # Paragraphs, their sections with paragraphs, tables and the paragraphs they answer, and two
    # levels of sub-paragraphs with their sections: the same for 2 or 12 numbered paragraphs.
    with django_assert_max_num_queries(13):
        for paragraph in list_of_issues.issue_paragraphs.with_answers():
            assert paragraph.answer_status
            for section in paragraph.reply_sections.all():
                assert not section.is_annex_pointer
                assert section.first_issue_paragraph
