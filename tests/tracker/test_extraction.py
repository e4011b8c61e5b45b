"""Text extraction from the PDF and Word files the UN publishes (tracker/parsing/extraction.py)."""

import io
import re
import zipfile
from pathlib import Path

import pytest

from tracker.parsing.common import ParseError
from tracker.parsing.extraction import document_text

DATA = Path(__file__).resolve().parents[1] / "data"
REPORT = DATA / "A_HRC_28_15_Working_Group_Report_Slovenia.pdf"
VIEWS = DATA / "A_HRC_28_15_Add.1_Views_of_Slovenia.pdf"
THEMATIC_LIST = DATA / "UPR20_Slovenia_ThematicListRecommendations_E.docx"

# What page furniture looks like once extracted: a running symbol or job number alone, with or
# without its page number, or a page number alone.
FURNITURE = re.compile(r"(?:\d{1,3} )?(?:A/HRC/28/15(?:/Add\.1)?|GE\.\d\d-\d+.*)(?: \d{1,3})?|\d{1,3}")


@pytest.fixture(scope="module")
def report() -> str:
    return document_text(REPORT.read_bytes(), REPORT.name)


@pytest.fixture(scope="module")
def views() -> str:
    return document_text(VIEWS.read_bytes(), VIEWS.name)


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_no_running_header_footer_or_page_number_is_left_in_the_report_or_the_addendum(
    report, views
):
    # The masthead of page 1 keeps the symbol once; every page after it printed it again.
    for text in (report, views):
        furniture = [line for line in lines(text)[1:] if FURNITURE.fullmatch(line)]
        assert furniture == []
    assert "GE.14-23930" not in report
    assert "GE.15-04261" not in views


def test_the_masthead_of_the_first_page_is_kept(report):
    assert lines(report)[0] == "A/HRC/28/15"
    assert "Distr.: General\n 10 December 2014" in report


def test_footnotes_at_page_feet_are_left_out(report, views):
    assert "circulated as received" not in report
    assert "not edited before being sent" not in views
    assert "The serial numbers of recommendations follow the list" not in views
    assert "See Annex 1 to the National Report" not in views


def test_footnote_markers_are_left_out_of_the_paragraph_text(views):
    # "notes 21 recommendations.¹": the superscript 1 is a footnote marker.
    assert "Noted\nrecommendations.\n" in views
    assert "implementation of the Our Rights project.\n" in views


def test_the_report_keeps_its_reading_order_where_the_pdf_draws_a_line_in_pieces(report):
    # The PDF draws "115.40", then "(Israel);", then the text between them.
    assert " 115.40 Implement the 2006–2016 Programme for Children and Youth\n (Israel);" in report
    numbers = [int(match[1]) for match in re.finditer(r"^ ?115\.(\d+) ", report, re.MULTILINE)]
    assert numbers == list(range(1, 164))


def test_a_hyphen_ending_a_line_joins_the_next_one_and_stays_where_it_is_not_a_word_break(
    report, views
):
    assert "effectiveness of its Inter-Ministerial Working Group" in report
    assert "carefully re-examined with a view" in report
    # Ranges of recommendation numbers broken after their dash.
    assert "recommendations 1–5, 14–16, 20–23," in views
    assert "78, 80–93, 104–110," in views


def test_a_word_broken_by_a_hyphen_is_joined_without_it_when_the_document_prints_it_whole():
    # Invented: none of the real documents breaks a word by hyphenation.
    from tracker.parsing.extraction import _join_hyphenated

    text = _join_hyphenated(["the imple-", "mentation of the plan", "and its implementation"])
    assert text.splitlines()[0] == "the implementation of the plan"
    assert _join_hyphenated(["a child-", "friendly court"]).startswith("a child-friendly court")


def test_a_word_document_gives_its_paragraphs_and_table_cells_in_order():
    text = document_text(THEMATIC_LIST.read_bytes(), THEMATIC_LIST.name)
    assert "Source of position: A/HRC/28/15/Add.1 - Para. 3" in text
    assert text.index("115.1 ") < text.index("115.2 ") < text.index("115.163 ")


def test_plain_text_is_decoded_by_the_project_s_decoder():
    text = (DATA / "A_HRC_28_15_Working_Group_Report_Slovenia.md").read_bytes()
    assert document_text(text, "report.md") == text.decode("utf-8")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # Made by Pillow from an image: a page without any text, as a scanner gives it.
        ((DATA / "scanned_page.pdf").read_bytes(), "has no text layer"),
        # The addendum encrypted by pypdf with a user password.
        ((DATA / "encrypted_views.pdf").read_bytes(), "encrypted PDF that needs a password"),
        (REPORT.read_bytes()[:2000], "damaged PDF"),
        (b"%PDF-1.4\n" + bytes(range(256)) * 20, "damaged PDF"),
        (THEMATIC_LIST.read_bytes()[:30000], "damaged Word document"),
        # Invented: the signature of an OLE2 file, which a Word 97–2003 .doc is.
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "Word 97–2003 (.doc)"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_naming_the_file_and_what_to_do(data, message):
    with pytest.raises(ParseError) as error:
        document_text(data, "upload.bin")
    assert message in str(error.value)
    assert "upload.bin" in str(error.value)


def test_a_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ParseError, match="not a Word document"):
        document_text(buffer.getvalue(), "book.xlsx")
