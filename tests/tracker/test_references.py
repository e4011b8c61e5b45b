import pytest

from tracker.parsing.common import ParagraphRef, ParseError
from tracker.parsing.references import parse_references


def labels(text: str) -> list[str]:
    return [ref.label for ref in parse_references(text)]


def test_it_reads_a_plain_paragraph_number():
    assert parse_references("16") == [ParagraphRef(16)]


def test_it_reads_a_lettered_sub_paragraph_in_french_and_english():
    assert parse_references("2 b)") == [ParagraphRef(2, "b")]
    assert parse_references("2 (b)") == [ParagraphRef(2, "b")]


def test_it_reads_a_number_then_a_lettered_sub_paragraph_of_the_next():
    # "1 et 2 a)": the letter refines the number it follows, not paragraph 1.
    assert labels("1 et 2 a)") == ["1", "2 (a)"]
    assert labels("2 and 3 (b)") == ["2", "3 (b)"]


def test_it_expands_a_range_of_letters():
    assert labels("18 a) à f)") == ["18 (a)", "18 (b)", "18 (c)", "18 (d)", "18 (e)", "18 (f)"]
    assert labels("20 a) à c)") == ["20 (a)", "20 (b)", "20 (c)"]
    assert labels("18 (a) to (f)") == labels("18 a) à f)")
    assert labels("5 (a)–(c)") == ["5 (a)", "5 (b)", "5 (c)"]


def test_it_reads_letters_joined_by_and():
    assert labels("19 d) et e)") == ["19 (d)", "19 (e)"]
    assert labels("2 (a) and (b)") == ["2 (a)", "2 (b)"]
    assert labels("2 a), b) et d)") == ["2 (a)", "2 (b)", "2 (d)"]


def test_it_expands_a_range_of_roman_numerals_under_a_letter():
    assert labels("13 a) i) à v)") == [
        "13 (a) (i)", "13 (a) (ii)", "13 (a) (iii)", "13 (a) (iv)", "13 (a) (v)"
    ]
    assert parse_references("13 (a) (ii)") == [ParagraphRef(13, "a", "ii")]


def test_it_reads_i_after_a_letter_and_et_as_the_next_letter():
    # In "10 h) et i)" the i) is a sibling of h), the letter after it, not a roman numeral.
    assert labels("10 h) et i)") == ["10 (h)", "10 (i)"]
    # After a roman numeral, a letter that cannot be one climbs back to the letter level.
    assert labels("13 a) i) et b)") == ["13 (a) (i)", "13 (b)"]


def test_it_reads_paragraph_numbers_joined_by_and_or_a_range():
    assert labels("4 and 5") == ["4", "5"]
    assert labels("4 et 5") == ["4", "5"]
    assert labels("4 à 6") == ["4", "5", "6"]
    assert labels("paragraphs 4, 5 and 7") == ["4", "5", "7"]


def test_it_names_each_paragraph_once():
    assert labels("2 a) et 2 a)") == ["2 (a)"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "a)",  # a letter without its paragraph
        "et 2",
        "2 et",
        "2 à",
        "2 3",  # "et" missing
        "18 f) à a)",  # a backwards range
        "2 a) à 3",  # a range across levels
        "1 à 3 a)",
        "13 a) i) ii)",  # no level below roman numerals
        "2 aa)",
        "4 et a)",
        "1 à 500",
    ],
)
def test_it_refuses_nonsense(text):
    with pytest.raises(ParseError, match="cannot read the paragraph reference"):
        parse_references(text)
