"""UPR Working Group reports (A/HRC/…) as text: the numbered recommendations of their
"Conclusions and/or recommendations" section.

The text usually comes out of a PDF: lines are wrapped anywhere and page numbers, running
symbols, job numbers and page-foot footnotes fall between the lines of a recommendation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .common import (
    NOTED,
    SUPPORTED,
    ParseError,
    ParseWarning,
    RecommendationRecord,
    Source,
    open_binary,
    parse_date,
    parse_session,
    read_document,
    source_name,
    split_upr_recommendation,
)

_HEADING = re.compile(
    r"^\W*(?:[IVX]+\.\s*)?Conclusions\s+and(?:/or)?\s+recommendations\W*$", re.IGNORECASE
)
# "115. The recommendations listed below …": the paragraph whose sub-items are recommendations.
_PARAGRAPH = re.compile(r"^\s*(\d{1,3})\.\s+(\S.*)$")
_ITEM = re.compile(r"^\s*(\d{1,3})\.(\d{1,3})\.?(?:\s+(.*))?$")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_PAGE_FURNITURE = re.compile(
    r"^\s*(?:[A-Z]{1,6}(?:/[\w.\-]+){2,}"  # the running symbol: "A/HRC/28/15"
    r"|GE\.\d\d-\d+.*"  # the UN job number: "GE.14-23930 (E)"
    r"|\[\w+ only\])\s*$"
)
_FOOTNOTE_MARK = re.compile(r"^\s*\*+\s*$")
_ANNEX = re.compile(r"^\s*Annex\b")

# Found in the whitespace-collapsed text.
_SYMBOL = re.compile(r"\bA/HRC/\d+/\d+\b(?!/)")
_STATE = re.compile(r"\bThe review of (.+?) was held\b")
_SESSION = re.compile(r"\bheld its (\S+?) session\b")
_DATE = re.compile(r"\bDistr\.:\s*\w+\s+(\d{1,2} \w+ \d{4})")


@dataclass
class _Item:
    line: int
    minor: int
    lines: list[str] = field(default_factory=list)


def iter_upr_report(
    source: Source,
    warnings: list[ParseWarning],
    *,
    session: int | None = None,
    state: str = "",
    encoding: str | None = None,
) -> Iterator[RecommendationRecord]:
    """Yield the recommendations of a Working Group report, in the report's order.

    The State under review, the UPR session, the symbol and the date come from the report
    ("The review of Slovenia was held …", "held its twentieth session"); `state` and
    `session` override them.
    """
    with open_binary(source) as stream:
        text = read_document(stream, source_name(source), encoding)
    if not text.strip():
        raise ParseError("the file is empty")

    flat = " ".join(text.split())
    symbol = _first(_SYMBOL, flat)
    state = state or _first(_STATE, flat, group=1)
    if not state:
        raise ParseError(
            "the State under review was not found (\"The review of … was held\"): give it"
        )
    if session is None:
        session = parse_session(_first(_SESSION, flat, group=1))
        if session is None:
            warnings.append(ParseWarning(1, 'the UPR session was not found ("held its … session")'))
    try:
        issued = parse_date(_first(_DATE, flat, group=1))
    except ValueError:  # a date in another language: the importer can do without it
        issued = None

    lines = text.splitlines()
    for item, position, paragraph in _items(lines, _conclusions_start(lines), warnings):
        recommendation = split_upr_recommendation(" ".join(item.lines))
        if not recommendation.recommending_states:
            warnings.append(
                ParseWarning(item.line, f"{recommendation.reference}: no recommending State found")
            )
        yield RecommendationRecord(
            row=item.line,
            state_under_review=state,
            text=recommendation.text,
            reference=recommendation.reference,
            recommending_body="UPR",
            recommending_states=recommendation.recommending_states,
            position=position,
            position_source=f"{symbol} - Para. {paragraph}" if position else "",
            session=session,
            document_symbol=symbol,
            document_date=issued,
            kind="Recommendation",
        )


def _first(pattern: re.Pattern[str], text: str, group: int = 0) -> str:
    match = pattern.search(text)
    return match.group(group) if match else ""


def has_conclusions(text: str) -> bool:
    """Whether the text has a report's "Conclusions and/or recommendations" heading."""
    return any(_HEADING.match(line) for line in text.splitlines())


def _conclusions_start(lines: list[str]) -> int:
    for index, line in enumerate(lines):
        if _HEADING.match(line):
            return index + 1
    raise ParseError(
        "no \"Conclusions and/or recommendations\" section: is this a UPR Working Group report?"
    )


def _items(
    lines: list[str], start: int, warnings: list[ParseWarning]
) -> Iterator[tuple[_Item, str, int]]:
    """Each numbered recommendation with the position its paragraph gives it and that
    paragraph's number.

    A paragraph ("115. The recommendations listed below …") introduces its numbered items
    (115.1, 115.2 …); the next paragraph number ends them. Only the next number in sequence
    counts, so a wrapped line that happens to begin "2014." or "8.2" stays part of the text.
    """
    paragraph = 0
    intro: list[str] = []
    item: _Item | None = None
    in_footnote = False
    found = False
    for index in range(start, len(lines)):
        line = lines[index]
        if _ANNEX.match(line):
            break
        if _PAGE_NUMBER.match(line):
            in_footnote = False  # a footnote runs to the foot of its page
            continue
        if _PAGE_FURNITURE.match(line) or not line.strip():
            continue
        if _FOOTNOTE_MARK.match(line):
            in_footnote = True
            continue

        item_match = _ITEM.match(line)
        paragraph_match = _PARAGRAPH.match(line)
        if item_match and int(item_match[1]) == paragraph and (
            item is None or int(item_match[2]) > item.minor
        ):
            if item:
                yield item, _position(" ".join(intro)), paragraph
            expected = item.minor + 1 if item else 1
            minor = int(item_match[2])
            if minor != expected:
                message = f"{paragraph}.{minor} follows {paragraph}.{expected - 1}"
                warnings.append(
                    ParseWarning(index + 1, f"{message}: recommendations are missing or unreadable")
                )
            item = _Item(index + 1, minor, [f"{paragraph}.{minor}"])
            _add_line(item.lines, item_match[3] or "")
            found = True
            in_footnote = False
        elif paragraph_match and (not paragraph or int(paragraph_match[1]) == paragraph + 1):
            if item:
                yield item, _position(" ".join(intro)), paragraph
            paragraph, intro, item = int(paragraph_match[1]), [paragraph_match[2]], None
            in_footnote = False
        elif in_footnote:
            continue
        elif item:
            _add_line(item.lines, line)
        else:
            _add_line(intro, line)
    if item:
        yield item, _position(" ".join(intro)), paragraph
    if not found:
        raise ParseError("no numbered recommendations (such as 115.1) in the conclusions section")


def _add_line(lines: list[str], line: str) -> None:
    """Add a wrapped line; one ending in a hyphen ("Inter-") runs on without a space."""
    line = line.strip()
    if lines and re.search(r"\w-$", lines[-1]):
        lines[-1] += line
    elif line:
        lines.append(line)


def _position(intro: str) -> str:
    """The position a paragraph gives its recommendations, if it gives one.

    "… will be examined by Slovenia, which will provide responses in due time" gives none;
    "… have been examined by and enjoy the support of …" and "… will be noted by …" do.
    """
    intro = intro.lower()
    if "did not enjoy the support" in intro or "noted" in intro:
        return NOTED
    if "enjoy the support" in intro or "enjoys the support" in intro:
        return SUPPORTED
    return ""
