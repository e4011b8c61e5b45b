"""What a treaty-body document says about itself: its kind, symbol, date, committee and State.

read_document() checks a text is the kind of document expected, reads its UN header block and
title, and hands back the body lines, page furniture removed, for the parser of that kind.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from tracker.parsing.common import ParseError, ParseWarning
from tracker.parsing.text import Line, drop_furniture, split_lines

LIST_OF_ISSUES = "a list of issues"
CONCLUDING_OBSERVATIONS = "concluding observations"
REPLIES = "replies to a list of issues"

# The first line shaped like one of these titles says what a document is. Replies come first:
# their title names the list they answer ("Réponses à la liste de points (CRC/C/KAZ/Q/5-6)").
TITLES = {
    REPLIES: re.compile(r"^(?:R[ée]ponses?\s+(?:à|aux?|concernant)\s|Repl(?:y|ies)\s.*\bto\b)"),
    CONCLUDING_OBSERVATIONS: re.compile(r"^(?:Concluding observations|Observations finales)\b"),
    LIST_OF_ISSUES: re.compile(r"^(?:List of issues|Liste (?:de|des) points)\b"),
}
# Failing a title, the document's own symbol says it: CRC/C/KAZ/Q/5-6, CCPR/C/KAZ/QPR/3 …
# SYMBOL_RE takes any UN symbol, not only what symbols.TREATY_SYMBOL knows: the header may carry
# another series first (A/HRC/…), and a symbol may go on past the report numbers (…/Add.1).
SYMBOL_KINDS = {
    "Q": LIST_OF_ISSUES,
    "QPR": LIST_OF_ISSUES,
    "CO": CONCLUDING_OBSERVATIONS,
    "RQ": REPLIES,
}
SYMBOL_RE = re.compile(r"\b[A-Z][A-Z0-9.]*(?:/[A-Za-z0-9.\-]+){2,}")

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
}  # fmt: skip
# "6 November 2025", "6 novembre 2025", "1er mars 2031"; a string to embed in longer patterns.
DATE = rf"\b(?P<day>\d{{1,2}})(?:er)?\s+(?P<month>{'|'.join(MONTHS)})\s+(?P<year>\d{{4}})\b"
DATE_RE = re.compile(DATE, re.IGNORECASE)

COMMITTEE_RE = re.compile(r"^(?:Committee|Human Rights Committee|Comité)\b")
# A title wrapped after one of these words goes on on the next line.
TITLE_GOES_ON_RE = re.compile(r"(?:\b(?:of|the|and|de|du|des|la|le|et|valant)|\b[ld]['’])$")
STATE_EN_RE = re.compile(r"\breports?\s+of\s+(?:the\s+)?(?P<state>.+)$")
STATE_FR_RE = re.compile(
    r"\brapports?(?:\s+p[ée]riodiques?|\s+initial)?\s+"
    r"(?:du|des|de\s+la|de\s+l['’]|d['’]|de)\s*(?P<state>.+)$"
)

# "* Adopted by the pre-sessional working group at its … session (6–10 October 2025)."
TITLE_FOOTNOTE_RE = re.compile(r"^\*\s*[^\W\d_]")
# The recycling line of page 1 and the rule above the title's footnote.
PAGE_ONE_FOOT_RE = re.compile(r"^(?:Please recycle|Merci de recycler)\b|^[_–—-]{3,}$")


@dataclass
class Document:
    """The header of a treaty-body document and the lines of its body, page furniture removed."""

    symbol: str
    date: datetime.date | None
    committee: str
    state: str
    language: str
    title: str
    body: list[Line]
    warnings: list[ParseWarning]


def read_document(text: str, kind: str) -> Document:
    """Check the text is a document of `kind`, read its header and return its body lines."""
    if not text.strip():
        raise ParseError("the text is empty")
    lines = split_lines(text)
    found = document_kind(lines)
    if found and found != kind:
        raise ParseError(f"looks like {found}, not {kind}")

    warnings = []
    start = next((i for i, line in enumerate(lines) if TITLES[kind].match(line.text)), None)
    if start is None:
        warnings.append(ParseWarning(lines[0].number, "no title found, so the State is not known"))
        # Without a title, the header ends where paragraph 1 begins.
        end = next((i for i, line in enumerate(lines) if re.match(r"1\.(?!\d)", line.text)), 0)
        header, title = lines[:end], ""
    else:
        end = title_end(lines, start)
        header = lines[:start]
        title = " ".join(line.text for line in lines[start:end])

    symbol = find_symbol(lines[:end], kind)
    return Document(
        symbol=symbol,
        date=header_date(header),
        committee=next((line.text for line in header if COMMITTEE_RE.match(line.text)), ""),
        state=state_from_title(title),
        language=detect_language(text),
        title=title,
        body=drop_furniture(drop_page_one_foot(lines[end:]), symbol),
        warnings=warnings,
    )


def document_kind(lines: list[Line]) -> str | None:
    for line in lines:
        for kind, title_re in TITLES.items():
            if title_re.match(line.text):
                return kind
    for line in lines[:20]:
        if match := SYMBOL_RE.search(line.text):
            parts = set(match[0].split("/"))
            return next((kind for code, kind in SYMBOL_KINDS.items() if code in parts), None)
    return None


def find_symbol(lines: list[Line], kind: str) -> str:
    for line in lines:
        for match in SYMBOL_RE.finditer(line.text):
            symbol = match[0].rstrip(".")
            if any(SYMBOL_KINDS.get(part) == kind for part in symbol.split("/")):
                return symbol
    return ""


def find_date(text: str) -> datetime.date | None:
    match = DATE_RE.search(text)
    return date_from(match) if match else None


def date_from(match: re.Match[str]) -> datetime.date | None:
    month = MONTHS[match["month"].lower()]
    try:
        return datetime.date(int(match["year"]), month, int(match["day"]))
    except ValueError:  # "31 juin" in a badly extracted text
        return None


def header_date(header: list[Line]) -> datetime.date | None:
    # The document's date follows "Distr.: General"; session dates come later in the block.
    texts = [line.text for line in header]
    start = next((i for i, text in enumerate(texts) if text.startswith("Distr")), 0)
    return find_date("\n".join(texts[start:]))


def detect_language(text: str) -> str:
    french = len(re.findall(r"\b(?:le|la|les|des|du|et|est|pour|dans|une)\b", text, re.IGNORECASE))
    english = len(re.findall(r"\b(?:the|of|and|is|for|in|with|to)\b", text, re.IGNORECASE))
    return "fr" if french > english else "en"


def title_end(lines: list[Line], start: int) -> int:
    """Index after the title starting at `start`, which may wrap over up to three lines."""
    title = lines[start].text
    end = start + 1
    while end < len(lines) and end - start < 3 and "*" not in title:
        following = lines[end].text
        if not (
            following[0].islower() or following.endswith("*") or TITLE_GOES_ON_RE.search(title)
        ):
            break
        title += " " + following
        end += 1
    return end


def state_from_title(title: str) -> str:
    title = title.replace("*", "").strip()
    match = STATE_EN_RE.search(title) or STATE_FR_RE.search(title)
    if not match:
        return ""
    # Older titles go on: "… of Gabon as adopted by the Committee at its forty-ninth session (…)".
    return re.split(r",|\s+(?:as\s+)?adopted\b|\s+\(", match["state"])[0].strip()


def drop_page_one_foot(lines: list[Line]) -> list[Line]:
    """`lines` without the foot of page 1: the title's footnote, its rule, "Please recycle"."""
    kept = []
    wrapped_footnote = False  # "* Adopted … session (6–10" / "October 2025)."
    for line in lines:
        text = line.text
        if wrapped_footnote or TITLE_FOOTNOTE_RE.match(text):
            wrapped_footnote = not wrapped_footnote and text.count("(") > text.count(")")
        elif not PAGE_ONE_FOOT_RE.match(text):
            kept.append(line)
    return kept
