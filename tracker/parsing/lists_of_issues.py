"""Parse a treaty body's list of issues (or list of issues prior to reporting), English or French.

Reading the text (header, page furniture, numbered paragraphs and sub-paragraphs) is shared with
concluding observations; this module gives a list of issues its meaning: parts, sub-paragraphs,
the word limit and the deadline for the replies.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from tracker.parsing.common import ParagraphRef, ParseWarning
from tracker.parsing.documents import DATE, LIST_OF_ISSUES, date_from, read_document
from tracker.parsing.paragraphs import (
    ROMANS,  # noqa: F401 -- the tests import it from here
    Block,
    lay_out,
    preamble_warnings,
    split_run_in,
)

# "Part I", "Première partie", "Primera parte", "Parte I", "Часть I".
PART_RE = re.compile(
    r"^(?:(?:Part|Parte|Часть)\s*(?P<numeral>IV|V|I{1,3})"
    r"|(?P<ordinal>Première|Deuxième|Troisième|Quatrième|Primera|Segunda|Tercera|Cuarta)"
    r"\s+part(?:ie|e))$",
    re.IGNORECASE,
)
PRIOR_TO_REPORTING_RE = re.compile(
    r"prior to (?:reporting|(?:the\s+)?submission)|avant (?:la )?(?:soumission|présentation)"
    r"|previa a la presentación|до представления",
    re.IGNORECASE,
)
# "10,700 words", "10 700 mots" (the space may have been a no-break or narrow no-break space).
WORD_LIMIT_RE = re.compile(
    r"\b(?P<words>\d{1,3}(?:[ ,.]\d{3})+|\d+)\s+(?:words|mots|palabras|слов)(?!\w)",
    re.IGNORECASE,
)
DEADLINE_RE = re.compile(
    r"(?:\b(?:by|before|not later than|avant le|d['’]ici (?:au|le)|au plus tard le|antes del?"
    r"|a más tardar el)|(?<!\w)к)\s+(?:the\s+)?"
    + DATE,
    re.IGNORECASE,
)


@dataclass
class ListOfIssuesParagraph:
    """A numbered paragraph or sub-paragraph; a parent's text is its own lead-in only."""

    ref: ParagraphRef
    part: str  # "Part I", "Première partie", or "" in a list without parts
    text: str
    line: int


@dataclass
class ParsedListOfIssues:
    symbol: str
    date: datetime.date | None
    committee: str
    state: str
    language: str  # "en" or "fr"
    prior_to_reporting: bool
    word_limit: int | None
    replies_due: datetime.date | None
    paragraphs: list[ListOfIssuesParagraph]
    warnings: list[ParseWarning]


def part_name(match: re.Match[str]) -> str:
    """The part as the document names it: "Part I", "Première partie", "Parte I", "Часть I"."""
    if match["numeral"]:
        word = match[0][: match.start("numeral") - match.start()].strip()
        return f"{word.capitalize()} {match['numeral'].upper()}"
    return f"{match['ordinal'].capitalize()} {match[0].split()[-1].lower()}"


def with_run_in_items(
    block: Block, part: str, laid_out: set[ParagraphRef]
) -> list[ListOfIssuesParagraph]:
    """A paragraph, and the lettered sub-paragraphs run into its text ("…: (a) …; (b) …")."""
    lead, items = ("", []) if block.ref.letter else split_run_in(block.text)
    if not items or ParagraphRef(block.ref.number, "a") in laid_out:
        return [ListOfIssuesParagraph(block.ref, part, block.text, block.line)]
    number = block.ref.number
    return [ListOfIssuesParagraph(block.ref, part, lead, block.line)] + [
        ListOfIssuesParagraph(ParagraphRef(number, letter), part, text, block.line)
        for letter, text in items
    ]


def parse_list_of_issues(text: str) -> ParsedListOfIssues:
    document = read_document(text, LIST_OF_ISSUES)
    layout = lay_out(document.body, lambda line: bool(PART_RE.match(line)))
    warnings = document.warnings + layout.warnings

    part = ""
    paragraphs = []
    laid_out = {item.ref for item in layout.items if isinstance(item, Block)}
    for item in layout.items:
        if isinstance(item, Block):
            paragraphs += with_run_in_items(item, part, laid_out)
        elif match := PART_RE.match(item.text):
            part = part_name(match)

    # Paragraph 1 asks for the replies; some lists say so in unnumbered text before it instead.
    instructions = [p.text for p in layout.preamble if WORD_LIMIT_RE.search(p.text)]
    instructions += [p.text for p in paragraphs if p.ref.number == 1]
    limit = WORD_LIMIT_RE.search(" ".join(instructions))
    deadline = DEADLINE_RE.search(" ".join(instructions))

    warnings += preamble_warnings(
        [passage for passage in layout.preamble if not WORD_LIMIT_RE.search(passage.text)]
    )
    warnings.sort(key=lambda warning: warning.line)

    return ParsedListOfIssues(
        symbol=document.symbol,
        date=document.date,
        committee=document.committee,
        state=document.state,
        language=document.language,
        prior_to_reporting=(
            "/QPR/" in document.symbol or bool(PRIOR_TO_REPORTING_RE.search(document.title))
        ),
        word_limit=int(re.sub(r"\D", "", limit["words"])) if limit else None,
        replies_due=date_from(deadline) if deadline else None,
        paragraphs=paragraphs,
        warnings=warnings,
    )
