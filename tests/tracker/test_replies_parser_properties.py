"""Replies generated from random sections, printed with the noise of PDF text, parse back whole."""

import textwrap
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.parsing.common import ParagraphRef
from tracker.parsing.replies import parse_replies

LETTERS = "abcdefgh"
ROMANS = ["i", "ii", "iii", "iv", "v"]
NOISE = ["CRC/C/KAZ/RQ/5-6", "GE.26-03673 21", "21 GE.26-03673", "14", "3"]

# Lower-case words, so that no wrapped line looks like a heading or a table header, plus words a
# line may start with in real replies: a year ending a sentence, a quote, a bracket, the "000"
# of a figure wrapped at its thousands space.
words = st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàçœ", min_size=1, max_size=12),
    st.sampled_from(["2020.", "2022,", "(MICS)", "l’enfant", "«", "»", "%", "2026-2030", "10 000"]),
)


@dataclass
class Reference:
    french: str
    english: str
    refs: list[ParagraphRef]


@dataclass
class Paragraph:
    number: int
    text: str  # as the parser should give it back
    lines: list[str]  # as printed


@st.composite
def references(draw, number: int) -> Reference:
    a, b = sorted(draw(st.lists(st.sampled_from(LETTERS), min_size=2, max_size=2, unique=True)))
    i, j = sorted(draw(st.lists(st.sampled_from(ROMANS), min_size=2, max_size=2, unique=True)),
                  key=ROMANS.index)
    letters = LETTERS[LETTERS.index(a) : LETTERS.index(b) + 1]
    romans = ROMANS[ROMANS.index(i) : ROMANS.index(j) + 1]
    return draw(st.sampled_from([
        Reference(f"{number}", f"{number}", [ParagraphRef(number)]),
        Reference(f"{number} {a})", f"{number} ({a})", [ParagraphRef(number, a)]),
        Reference(
            f"{number} {a}) et {b})", f"{number} ({a}) and ({b})",
            [ParagraphRef(number, a), ParagraphRef(number, b)],
        ),
        Reference(
            f"{number} {a}) à {b})", f"{number} ({a}) to ({b})",
            [ParagraphRef(number, letter) for letter in letters],
        ),
        Reference(
            f"{number} {a}) {i}) à {j})", f"{number} ({a}) ({i}) to ({j})",
            [ParagraphRef(number, a, roman) for roman in romans],
        ),
        Reference(
            f"{number} et {number + 1} {a})", f"{number} and {number + 1} ({a})",
            [ParagraphRef(number), ParagraphRef(number + 1, a)],
        ),
    ]))


@st.composite
def paragraphs(draw, number: int) -> Paragraph:
    first, *rest = draw(st.lists(words, min_size=1, max_size=50))
    intro = " ".join([first.capitalize(), *rest]) + "."
    items = draw(st.lists(st.lists(words, min_size=1, max_size=12), max_size=2))
    bullets = [" ".join(item) for item in items]
    width = draw(st.integers(min_value=20, max_value=90))
    lines = wrap(f"{number}. {intro}", width)
    for bullet in bullets:
        lines += wrap(f"• {bullet}", width)
    hyphenate(lines, draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines))))
    return Paragraph(number, intro + "".join(f"\n• {bullet}" for bullet in bullets), lines)


def wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)


def hyphenate(lines: list[str], breaks: list[bool]) -> None:
    """Moves the start of a long word to the end of the line before, with a hyphen."""
    for index, broken in enumerate(breaks[:-1]):
        word, _, rest = lines[index + 1].partition(" ")
        if broken and word.isalpha() and word.islower() and len(word) >= 4:
            lines[index] += f" {word[:2]}-"
            lines[index + 1] = f"{word[2:]} {rest}".strip()


def heading(reference: Reference, french: bool) -> str:
    if len(reference.refs) > 1:
        start = "Réponses concernant les paragraphes" if french else "Replies to paragraphs"
    else:
        start = "Réponse concernant le paragraphe" if french else "Reply to paragraph"
    if french:
        return f"{start} {reference.french} de la liste de points"
    return f"{start} {reference.english} of the list of issues"


@st.composite
def replies(draw) -> tuple[str, list[list[ParagraphRef]], list[list[Paragraph]]]:
    french = draw(st.booleans())
    title = "Réponses à la liste de points" if french else "Replies to the list of issues"
    lines = [f"{title} (CRC/C/KAZ/Q/5-6)"]
    expected_refs, expected_paragraphs = [], []
    number = 1
    for index in range(draw(st.integers(min_value=1, max_value=6))):
        reference = draw(references(3 * index + 1))
        indent = draw(st.sampled_from(["", "  "]))  # the seed indents its headings
        lines.append(indent + heading(reference, french))
        section = []
        for _ in range(draw(st.integers(min_value=1, max_value=4))):
            paragraph = draw(paragraphs(number))
            lines += paragraph.lines
            section.append(paragraph)
            number += 1
        expected_refs.append(reference.refs)
        expected_paragraphs.append(section)

    printed = [lines[0]]
    for line in lines[1:]:
        printed += draw(st.lists(st.sampled_from(NOISE), max_size=2))
        printed.append(line + draw(st.sampled_from(["", " "])))
    # The seed has a blank line between every two lines.
    text = ("\n\n" if draw(st.booleans()) else "\n").join(printed) + "\n"
    return text, expected_refs, expected_paragraphs


@settings(max_examples=60, deadline=None)
@given(replies())
def test_it_recovers_the_sections_references_and_paragraphs_of_noisy_replies(generated):
    text, expected_refs, expected_paragraphs = generated
    parsed = parse_replies(text)
    assert [section.references for section in parsed.sections] == expected_refs
    assert [[(p.number, p.text) for p in section.paragraphs] for section in parsed.sections] == [
        [(p.number, p.text) for p in section] for section in expected_paragraphs
    ]
    # Nothing was left over: no unnumbered text, no table, no warning.
    assert all(section.text == "" and section.tables == [] for section in parsed.sections)
    assert parsed.warnings == []
