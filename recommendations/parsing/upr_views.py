"""The addendum of a UPR Working Group report (A/HRC/NN/NN/Add.1): "Views on conclusions and/or
recommendations, voluntary commitments and replies presented by the State under review".

The State lists the recommendations it supports or notes in numbered paragraphs ("3. The
Government … accepts the recommendations 1–5, 14–16, …") and may then explain some of them
("Rec. 18 We consider …", "140.11-14 The 1961 Convention … was ratified …"). Numbers come with or
without the report's paragraph ("115.3" or "3"), alone or as ranges ("150 – 152", "122.17-18").
The parser only reads: matching the numbers to the report's recommendations is the importer's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.parsing.common import ParseError, ParseWarning
from tracker.parsing.text import split_lines

from .common import NOTED, SUPPORTED, SUPPORTED_IN_PART, Source, open_binary, parse_date
from .common import read_document, source_name

_TITLE = re.compile(r"Views on conclusions and/?or\s+recommendations", re.IGNORECASE)
_SYMBOL = re.compile(r"\b(A/HRC/\d+/\d+)/Add\.\d+\b")
# The title's last words before "Addendum": "… on the Universal Periodic Review* Slovenia".
_STATE = re.compile(
    r"Universal Periodic Review\W*\s+((?:(?!Universal Periodic Review).)+?)\s+Addendum\b",
    re.IGNORECASE,
)
_DATE = re.compile(r"\bDistr\.:\s*\w+\s+(\d{1,2} \w+ \d{4})")

_NUMBER = r"(?:\d{1,3}\.)?\d{1,3}"
_ITEM = rf"{_NUMBER}(?:\s*[-–—]\s*{_NUMBER})?"
_LIST = rf"{_ITEM}(?:\s*(?:,|;|\band\b|&)\s*{_ITEM})*"
# "accepts the recommendations 1–5, 14–16": a list right after the word "recommendation(s)".
_LISTED = re.compile(
    rf"\brecommendations?\s*(?:nos?\.\s*|numbers?\s+|contained in [^:]*?:\s*|:\s*)?({_LIST})\b"
    r"(?![.]\d)",
    re.IGNORECASE,
)
_PARAGRAPH = re.compile(r"(\d{1,3})\.\s+(\S.*)")
_HEADING = re.compile(r"[IVX]+\.\s+(\S.*)")
# "Rec. 18 We consider …", "Recs. 6–13 The …", "140.11-14 The 1961 Convention …".
_EXPLANATION = re.compile(
    rf"(?P<prefix>Rec(?:ommendation)?s?\.?\s+)?(?P<numbers>{_LIST})\s*[:.–-]?\s+(?P<text>\S.*)"
)
_RANGE = re.compile(rf"({_NUMBER})\s*[-–—]\s*({_NUMBER})|({_NUMBER})")
_SENTENCE_END = re.compile(r"[.;:]$")

# What a paragraph's sentence says of the recommendations it lists, tried in this order.
_POSITION_WORDS = [
    (SUPPORTED_IN_PART, re.compile(r"\b(?:partially|partly|in part)\b", re.IGNORECASE)),
    (NOTED, re.compile(
        r"\b(?:notes?|noted|takes? note|does not (?:accept|support)|not accepted|rejects?)\b",
        re.IGNORECASE,
    )),
    (SUPPORTED, re.compile(
        r"\b(?:accepts?|accepted|supports?|supported|enjoys? the support)\b", re.IGNORECASE
    )),
]


@dataclass(frozen=True)
class Number:
    """A recommendation as the addendum names it: 3 (`paragraph` None) or 115.3."""

    paragraph: int | None
    number: int

    def __str__(self) -> str:
        return f"{self.paragraph}.{self.number}" if self.paragraph else str(self.number)


@dataclass
class GivenPosition:
    line: int
    number: Number
    position: str  # SUPPORTED, SUPPORTED_IN_PART or NOTED
    source: str  # "A/HRC/28/15/Add.1 - Para. 3"


@dataclass
class Explanation:
    line: int
    numbers: list[Number]
    text: str


@dataclass
class StateViews:
    symbol: str  # "A/HRC/28/15/Add.1"
    report_symbol: str  # "A/HRC/28/15"
    state: str
    date: date | None
    positions: list[GivenPosition] = field(default_factory=list)
    explanations: list[Explanation] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)


def is_state_views(text: str) -> bool:
    return bool(_TITLE.search(" ".join(text[:5000].split())))


def parse_upr_views(source: Source, *, encoding: str | None = None) -> StateViews:
    with open_binary(source) as stream:
        text = read_document(stream, source_name(source), encoding)
    return parse_upr_views_text(text)


def parse_upr_views_text(text: str) -> StateViews:
    flat = " ".join(text.split())
    symbol = _SYMBOL.search(flat)
    if not _TITLE.search(flat) or symbol is None:
        raise ParseError(
            'not the State\'s views on a UPR report ("Views on conclusions and/or '
            'recommendations …", symbol A/HRC/…/Add.1)'
        )
    state = _STATE.search(flat)
    date_match = _DATE.search(flat)
    try:
        issued = parse_date(date_match[1]) if date_match else None
    except ValueError:
        issued = None
    views = StateViews(symbol[0], symbol[1], state[1] if state else "", issued)
    for block in _blocks(text):
        if block.kind == "paragraph":
            _read_positions(views, block)
        else:
            _read_explanation(views, block)
    if not views.positions:
        raise ParseError("no recommendation numbers with a position were found in the addendum")
    return views


@dataclass
class _Block:
    kind: str  # "paragraph" or "explanation"
    line: int
    label: str  # the paragraph's number, the explanation's numbers
    heading: str  # the section it is in
    lines: list[tuple[int, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(text for _, text in self.lines)


def _blocks(text: str) -> list[_Block]:
    """The numbered paragraphs and explanations, from the first paragraph ("1.") on."""
    blocks: list[_Block] = []
    heading = ""
    paragraph = 0
    previous = ""
    for line in split_lines(text):
        if line.text == "Notes":
            break  # the endnotes of the last page
        if (match := _PARAGRAPH.fullmatch(line.text)) and int(match[1]) == paragraph + 1:
            paragraph += 1
            blocks.append(_Block("paragraph", line.number, match[1], heading))
            blocks[-1].lines.append((line.number, match[2]))
        elif not paragraph:
            pass  # the cover page
        elif match := _HEADING.fullmatch(line.text):
            heading = match[1]
            blocks.append(_Block("heading", line.number, "", heading))
        elif _starts_explanation(line.text, previous):
            match = _EXPLANATION.fullmatch(line.text)
            blocks.append(_Block("explanation", line.number, match["numbers"], heading))
            blocks[-1].lines.append((line.number, match["text"]))
        elif blocks and blocks[-1].kind == "heading" and blocks[-1].lines == []:
            heading += " " + line.text  # a heading wrapped over two lines
            blocks[-1].heading = heading
        elif blocks:
            blocks[-1].lines.append((line.number, line.text))
        previous = line.text
    return [block for block in blocks if block.kind != "heading"]


def _starts_explanation(text: str, previous: str) -> bool:
    """Whether a line opens a State's explanation rather than continuing a wrapped sentence:
    "Rec. 18 …", or a paragraph-prefixed number or range ("140.11-14 The …"), or a number
    after a sentence that ended, followed by a capital."""
    match = _EXPLANATION.fullmatch(text)
    if match is None or not match["text"][:1].isupper():
        return False
    numbers = match["numbers"]
    return bool(
        match["prefix"]
        or "." in numbers
        or re.search(r"[-–—]", numbers)
        or _SENTENCE_END.search(previous)
    )


def _read_positions(views: StateViews, block: _Block) -> None:
    text = block.text
    for match in _LISTED.finditer(text):
        sentence_start = max(text.rfind(". ", 0, match.start()), 0)
        sentence = text[sentence_start : match.start()]
        position = next(
            (value for value, words in _POSITION_WORDS if words.search(sentence)), None
        ) or next((value for value, words in _POSITION_WORDS if words.search(block.heading)), None)
        line = _line_of(block, match.start(1))
        if position is None:
            views.warnings.append(ParseWarning(line, (
                f"paragraph {block.label} lists recommendations {match[1]} without a position "
                "that could be read (accepts, supports, notes …); they were given none"
            )))
            continue
        source = f"{views.symbol} - Para. {block.label}"
        for number, offset in _numbers(match[1], line, views.warnings):
            number_line = _line_of(block, match.start(1) + offset)
            views.positions.append(GivenPosition(number_line, number, position, source))


def _read_explanation(views: StateViews, block: _Block) -> None:
    numbers = [number for number, _ in _numbers(block.label, block.line, views.warnings)]
    if numbers:
        views.explanations.append(Explanation(block.line, numbers, block.text))


def _numbers(
    listed: str, line: int, warnings: list[ParseWarning]
) -> list[tuple[Number, int]]:
    """The recommendations a list names, each with its offset in the list: "1–5, 14" → 1 … 5,
    14; "122.17-18" → 122.17, 122.18."""
    numbers = []
    for match in _RANGE.finditer(listed):
        if match[3]:
            numbers.append((_number(match[3]), match.start()))
            continue
        first, last = _number(match[1]), _number(match[2])
        if last.paragraph is None and first.paragraph is not None:
            last = Number(first.paragraph, last.number)
        if last.paragraph != first.paragraph or not 0 < last.number - first.number <= 500:
            warnings.append(ParseWarning(line, f"the range {match[0]} cannot be read; left out"))
            continue
        numbers += [
            (Number(first.paragraph, n), match.start())
            for n in range(first.number, last.number + 1)
        ]
    return numbers


def _number(text: str) -> Number:
    paragraph, _, number = text.rpartition(".")
    return Number(int(paragraph) if paragraph else None, int(number))


def _line_of(block: _Block, offset: int) -> int:
    """The line of the block on which the character at `offset` of its text stands."""
    position = 0
    for number, text in block.lines:
        position += len(text) + 1
        if offset < position:
            return number
    return block.lines[-1][0]
