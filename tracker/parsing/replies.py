"""Parse a State's replies to a list of issues, as text copied or extracted from the PDF.

French or English. Such text is noisy: running headers, job numbers, page and footnote numbers,
footnote URLs; lines wrapped (often with a blank line between every two) and hyphenated; tables
that have lost their column boundaries. parse_replies() turns it into sections (one per heading
such as "Réponse concernant le paragraphe 2 b) de la liste de points"), numbered paragraphs,
statistical tables (read in tables.py) and warnings that name the line of whatever could not be
placed.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from tracker.parsing.common import ParagraphRef, ParseError, ParseWarning
from tracker.parsing.documents import header_date
from tracker.parsing.paragraphs import NUMBERED_RE
from tracker.parsing.reply_headings import heading, read_preamble, received, without_contents
from tracker.parsing.tables import (
    NUMBER_FORMATS,
    FoundTable,
    StatisticalTable,
    TableReader,
    table_layout,
)
from tracker.parsing.text import Line, compounds, drop_furniture, reflow_hyphenated, split_lines


@dataclass
class ReplyParagraph:
    number: int
    text: str
    line: int


@dataclass
class ReplySection:
    order: int
    heading: str
    references: list[ParagraphRef]
    line: int
    paragraphs: list[ReplyParagraph] = field(default_factory=list)
    tables: list[StatisticalTable] = field(default_factory=list)
    # Unnumbered text, one block a line: sub-items without a table ("e) Enfants apatrides − 277"),
    # sub-item markers ("ii)"), notes under a table.
    text: str = ""

    @property
    def is_annex_pointer(self) -> bool:
        texts = [paragraph.text for paragraph in self.paragraphs]
        texts += [self.text] if self.text else []
        return not self.tables and len(texts) == 1 and bool(_ANNEX_POINTER.fullmatch(texts[0]))


@dataclass
class ParsedReplies:
    symbol: str
    answers_symbol: str
    language: str
    title: str
    date: datetime.date | None  # the document's, after "Distr.: General"
    received: datetime.date | None  # when the UN received the replies: "[19 October 2009]"
    sections: list[ReplySection]
    warnings: list[ParseWarning]

    @property
    def all_paragraphs(self) -> list[ReplyParagraph]:
        return [paragraph for section in self.sections for paragraph in section.paragraphs]

    @property
    def all_tables(self) -> list[StatisticalTable]:
        return [table for section in self.sections for table in section.tables]

    @property
    def word_count(self) -> int:
        texts = [section.text for section in self.sections]
        texts += [paragraph.text for paragraph in self.all_paragraphs]
        for table in self.all_tables:
            texts += [table.caption, *table.columns]
            for row in table.rows:
                texts += [row.label, *row.cells]
        # As a word processor counts, but a dash or a bullet alone is no word.
        return sum(1 for text in texts for word in text.split() if _WORD.search(word))


_NOT_REPLIES = (
    "not a reply to a list of issues: no heading such as "
    "'Réponse concernant le paragraphe …' / 'Reply to paragraph …' found"
)


def parse_replies(text: str) -> ParsedReplies:
    """Reads replies to a list of issues; raises ParseError when the text is not such replies."""
    if not text.strip():
        raise ParseError("the text is empty")
    lines = split_lines(text, repair=True)
    symbol = _document_symbol(lines)
    lines = _drop_furniture(lines, symbol)

    warnings: list[ParseWarning] = []
    headings = []  # (index of the line, language, references)
    for index, line in enumerate(lines):
        if (found := heading(line, warnings)) is not None:
            headings.append((index, *found))
    headings = without_contents(lines, headings)
    if not headings:
        raise ParseError(_NOT_REPLIES)
    first, language, _ = headings[0]
    title = read_preamble(lines[:first], warnings)
    reader = _BodyReader(language, compounds(lines), warnings)
    sections = []
    for order, (index, _, references) in enumerate(headings, start=1):
        end = headings[order][0] if order < len(headings) else len(lines)
        section = ReplySection(order, lines[index].text, references, lines[index].number)
        reader.read(section, lines[index + 1 : end])
        sections.append(section)
    if not any(section.paragraphs for section in sections):
        message = "no numbered paragraph (such as '1. …') under the headings"
        raise ParseError(message, line=lines[first].number)
    return ParsedReplies(
        symbol=symbol,
        answers_symbol=_answered_symbol(title, lines, symbol),
        language=language,
        title=title,
        date=header_date(lines[:first]),
        received=received(lines[:first]),
        sections=sections,
        warnings=sorted(warnings, key=lambda warning: warning.line),
    )


# Lines and page furniture ---------------------------------------------------------------------


_SYMBOL = re.compile(r"\b[A-Z]+(?:/[A-Z0-9][A-Za-z0-9.\-]*){2,}")
_RUNNING_HEADER = re.compile(r"(?:\d{1,4} )?(" + _SYMBOL.pattern + r")(?: \d{1,4})?")
_FOOTNOTE_URL = re.compile(r"\d{1,3} https?://\S+")
_BARE_URL = re.compile(r"https?://\S+")
_URL = re.compile(r"https?://[^\s()<>«»\"]+")


def _symbols(text: str) -> list[str]:
    return [match[0].rstrip(".") for match in _SYMBOL.finditer(text)]


def _document_symbol(lines: list[Line]) -> str:
    """The symbol of the replies, from the running headers (the title names the list, not them)."""
    headers = Counter(match[1] for line in lines if (match := _RUNNING_HEADER.fullmatch(line.text)))
    if headers:
        return headers.most_common(1)[0][0]
    found = [symbol for line in lines for symbol in _symbols(line.text) if "/RQ/" in symbol]
    return found[0] if found else ""


def _answered_symbol(title: str, lines: list[Line], symbol: str) -> str:
    """The symbol of the list of issues (…/Q/… or …/QPR/…), best from the title."""
    for text in [title] + [line.text for line in lines]:
        for found in _symbols(text):
            if found != symbol and re.search(r"/(?:Q|QPR)/", found):
                return found
    return ""


def _drop_furniture(lines: list[Line], symbol: str) -> list[Line]:
    """The page furniture of every UN document (see text.drop_furniture), and footnote URLs."""
    return drop_furniture(
        _drop_footnote_urls(lines),
        symbol,
        # Page numbers of up to four digits and barcodes of seven or eight: widths that differ
        # from the defaults by history alone, kept so that no parse changes.
        page_number=r"\d{1,4}",
        barcode=r"\*\d{7,8}\*",
        # A figure may stand alone on its line ("0", the "000" of "10 000" wrapped at its
        # thousands space): only a number that can be a page or footnote number goes.
        lone_number=r"[1-9]\d{0,2}",
    )


def _drop_footnote_urls(lines: list[Line]) -> list[Line]:
    """Footnotes that give an address ("12 https://…"), and addresses alone that repeat the text."""
    # Checked against the whole text, running headers included: this runs before drop_furniture.
    text = "\n".join(line.text for line in lines if not _BARE_URL.fullmatch(line.text))
    urls = {url.rstrip(".,;:/") for url in _URL.findall(text)}
    return [
        line
        for line in lines
        if not (
            _FOOTNOTE_URL.fullmatch(line.text)
            or (_BARE_URL.fullmatch(line.text) and _repeats(line.text, urls, text))
        )
    ]


def _repeats(url: str, urls: set[str], text: str) -> bool:
    """Whether a URL alone on a line (a footnote at the page foot) repeats what the text says.

    It repeats the text when the text has the same URL, or names the UN document the URL points
    to (the first page's footnote https://docs.un.org/fr/CRC/C/KAZ/Q/5-6 links the title's symbol).
    Any other URL may be part of a sentence, so it is kept.
    """
    return url.rstrip(".,;:/") in urls or any(symbol in text for symbol in _symbols(url))


# Paragraphs and unnumbered text ---------------------------------------------------------------


# A number this far ahead of the expected one ends a sentence ("… en\n2020. Toutefois …").
_MAX_SKIP = 10
_WORD = re.compile(r"\w+")
_MARKER = re.compile(r"\(?(?:[a-z]|[ivx]{1,5})\)")  # a sub-item marker alone on its line: "ii)"
_SUB_ITEM = re.compile(r"\(?(?:[a-z]|[ivx]{1,5})\)\s")  # "e) Enfants apatrides − 277"
_ANNEX_POINTER = re.compile(
    r"(?:(?:voir|see|cf\.?)\s+)?(?:l['’]\s*|the\s+)?annex(?:e|es)?\s+"
    r"[0-9IVXA-Z]+(?:\s*(?:,|et|and)\s*[0-9IVXA-Z]+)*\.?",
    re.IGNORECASE,
)


class _BodyReader:
    """Reads the lines under each heading in turn; paragraph numbers run on across sections."""

    def __init__(self, language: str, compounds: set[str], warnings: list[ParseWarning]) -> None:
        self.numbers = NUMBER_FORMATS[language]
        self.compounds = compounds
        self.warnings = warnings
        self.expected = 1

    def read(self, section: ReplySection, lines: list[Line]) -> None:
        self.section = section
        self.paragraph: ReplyParagraph | None = None
        self.pieces: list[str] = []  # the open paragraph's lines
        self.blocks: list[list[Line]] = []  # unnumbered text, not yet known to be a caption or not
        self.texts: list[str] = []
        self.block_open = False
        tables = TableReader(lines, self._ends_table, self.numbers)
        index = 0
        while index < len(lines):
            line = lines[index]
            number = self._paragraph_number(line)
            if number is not None:
                self._start_paragraph(number, line)
                index += 1
                continue
            found = tables.read(index)
            if found is not None:
                self._add_table(found)
                index = found.end
                continue
            if _MARKER.fullmatch(line.text):
                self._close_paragraph()  # "ii)" alone heads the next paragraphs
                self._add_loose(line)
            elif self.paragraph is not None:
                self.pieces.append(line.text)
            else:
                self._add_loose(line)
            index += 1
        self._close_paragraph()
        self._flush_blocks(len(self.blocks))
        section.text = "\n".join(self.texts)
        if not (section.paragraphs or section.tables or section.text):
            self.warnings.append(ParseWarning(section.line, "nothing under this heading"))

    def _paragraph_number(self, line: Line) -> int | None:
        match = NUMBERED_RE.match(line.text)
        if match and self.expected <= int(match["number"]) < self.expected + _MAX_SKIP:
            return int(match["number"])
        return None

    def _start_paragraph(self, number: int, line: Line) -> None:
        if number > self.expected:
            missing = f"{self.expected}"
            if number > self.expected + 1:
                missing += f" to {number - 1}"
            message = f"paragraph {number} follows paragraph {self.expected - 1}: {missing} missing"
            self.warnings.append(ParseWarning(line.number, message))
        self._close_paragraph()
        self._flush_blocks(len(self.blocks))
        self.paragraph = ReplyParagraph(number, "", line.number)
        self.pieces = [line.text.partition(".")[2].strip()]
        self.expected = number + 1

    def _close_paragraph(self) -> None:
        if self.paragraph is not None:
            self.paragraph.text = reflow_hyphenated(self.pieces, self.compounds)
            self.section.paragraphs.append(self.paragraph)
            self.paragraph = None
        self.block_open = False

    def _add_loose(self, line: Line) -> None:
        # Wrapped lines are not indented; a caption or a sub-item starts a new block.
        if not self.block_open or line.indented or _is_sub_item(line):
            self.blocks.append([line])
        else:
            self.blocks[-1].append(line)
        self.block_open = True

    def _flush_blocks(self, count: int) -> None:
        """Moves the first `count` pending blocks to the section's unnumbered text."""
        self.texts += [self._block_text(block) for block in self.blocks[:count]]
        del self.blocks[:count]

    def _block_text(self, block: list[Line]) -> str:
        return reflow_hyphenated([line.text for line in block], self.compounds)

    def _add_table(self, found: FoundTable) -> None:
        self._close_paragraph()
        # The caption runs from the sub-item that introduces the table ("k) Enfants vivant dans
        # la pauvreté"); earlier sub-items had no table ("e) Enfants apatrides − 277").
        starts = [i for i, block in enumerate(self.blocks) if _is_sub_item(block[0])]
        self._flush_blocks(starts[-1] if starts else 0)
        found.table.caption = " — ".join(self._block_text(block) for block in self.blocks)
        self.blocks = []
        self.section.tables.append(found.table)
        self.warnings.extend(found.warnings)
        for line in found.leftover:
            self._add_loose(line)

    def _ends_table(self, line: Line) -> bool:
        return (
            self._paragraph_number(line) is not None
            or _is_sub_item(line)
            or table_layout(line.text) is not None
        )


def _is_sub_item(line: Line) -> bool:
    return bool(_MARKER.fullmatch(line.text) or _SUB_ITEM.match(line.text))
