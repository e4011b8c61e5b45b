"""Parse a State's replies to a list of issues, as text copied or extracted from the PDF.

French or English. Such text is noisy: running headers, job numbers, page and footnote numbers,
footnote URLs; lines wrapped (often with a blank line between every two) and hyphenated; tables
that have lost their column boundaries. parse_replies() turns it into sections (one per heading
such as "Réponse concernant le paragraphe 2 b) de la liste de points"), numbered paragraphs,
statistical tables and warnings that name the line of whatever could not be placed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from .common import ParagraphRef, ParseError, ParseWarning
from .references import parse_references


@dataclass
class TableRow:
    label: str
    cells: list[str]  # each value cell as printed: "1 398", "plus de 13 000", "–"
    values: list[Decimal | None]  # None where a cell holds no figure ("–", empty)


@dataclass
class StatisticalTable:
    caption: str
    columns: list[str]  # the label column's header, then one header per value cell
    rows: list[TableRow]
    line: int


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
    lines = _read_lines(text)
    symbol = _document_symbol(lines)
    lines = _drop_furniture(lines, symbol)

    warnings: list[ParseWarning] = []
    headings = []  # (index of the line, language, references)
    for index, line in enumerate(lines):
        if (found := _heading(line, warnings)) is not None:
            headings.append((index, *found))
    if not headings:
        raise ParseError(_NOT_REPLIES)
    first, language, _ = headings[0]
    title = _read_preamble(lines[:first], warnings)
    reader = _BodyReader(language, _compounds(lines), warnings)
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
        sections=sections,
        warnings=sorted(warnings, key=lambda warning: warning.line),
    )


# Lines and page furniture ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based in the submitted text
    text: str  # whitespace collapsed
    indented: bool  # the PDF indents headings, captions and sub-items, not wrapped lines


_SPACES = re.compile(r"\s+")  # Unicode-aware: also no-break and narrow no-break spaces
_LIGATURES = str.maketrans(
    {"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "\u2010": "-", "\u2011": "-"}
)
_SYMBOL = re.compile(r"\b[A-Z]+(?:/[A-Z0-9][A-Za-z0-9.\-]*){2,}")
_RUNNING_HEADER = re.compile(r"(?:\d{1,4} )?(" + _SYMBOL.pattern + r")(?: \d{1,4})?")
_JOB_NUMBER = re.compile(r"(?:\d{1,4} )?GE\.\d{2}-\d{4,6}(?: ?\([A-Z]\))?(?: \d{1,6})*")
_BARCODE = re.compile(r"\*\d{7,8}\*")
_PAGE_NUMBER = re.compile(r"[1-9]\d{0,2}")  # also a footnote number left alone on its line
_FOOTNOTE_URL = re.compile(r"\d{1,3} https?://\S+")
_BARE_URL = re.compile(r"https?://\S+")
_URL = re.compile(r"https?://[^\s()<>«»\"]+")


def _read_lines(text: str) -> list[_Line]:
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    lines = []
    # Only real line breaks count, so that warnings name the line an editor shows.
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        cleaned = _clean(raw)
        if cleaned:
            lines.append(_Line(number, cleaned, raw[:1] in (" ", "\t", "\u00a0")))
    return lines


def _clean(raw: str) -> str:
    raw = raw.rstrip()
    # A soft hyphen ending a line marks a word broken across lines; elsewhere it is invisible.
    if raw.endswith("\u00ad"):
        raw = raw[:-1] + "-"
    raw = raw.replace("\u00ad", "").translate(_LIGATURES)
    return _SPACES.sub(" ", raw).strip()


def _symbols(text: str) -> list[str]:
    return [match[0].rstrip(".") for match in _SYMBOL.finditer(text)]


def _document_symbol(lines: list[_Line]) -> str:
    """The symbol of the replies, from the running headers (the title names the list, not them)."""
    headers = Counter(
        match[1] for line in lines if (match := _RUNNING_HEADER.fullmatch(line.text))
    )
    if headers:
        return headers.most_common(1)[0][0]
    found = [symbol for line in lines for symbol in _symbols(line.text) if "/RQ/" in symbol]
    return found[0] if found else ""


def _answered_symbol(title: str, lines: list[_Line], symbol: str) -> str:
    """The symbol of the list of issues (…/Q/… or …/QPR/…), best from the title."""
    for text in [title] + [line.text for line in lines]:
        for found in _symbols(text):
            if found != symbol and re.search(r"/(?:Q|QPR)/", found):
                return found
    return ""


def _drop_furniture(lines: list[_Line], symbol: str) -> list[_Line]:
    text = "\n".join(line.text for line in lines if not _BARE_URL.fullmatch(line.text))
    urls = {url.rstrip(".,;:/") for url in _URL.findall(text)}
    kept = []
    for line in lines:
        header = _RUNNING_HEADER.fullmatch(line.text)
        if (
            (header and header[1] == symbol)
            or _JOB_NUMBER.fullmatch(line.text)
            or _BARCODE.fullmatch(line.text)
            or _PAGE_NUMBER.fullmatch(line.text)
            or _FOOTNOTE_URL.fullmatch(line.text)
            or (_BARE_URL.fullmatch(line.text) and _repeats(line.text, urls, text))
        ):
            continue
        kept.append(line)
    return kept


def _repeats(url: str, urls: set[str], text: str) -> bool:
    """Whether a URL alone on a line (a footnote at the page foot) repeats what the text says.

    It repeats the text when the text has the same URL, or names the UN document the URL points
    to (the first page's footnote https://docs.un.org/fr/CRC/C/KAZ/Q/5-6 links the title's symbol).
    Any other URL may be part of a sentence, so it is kept.
    """
    return url.rstrip(".,;:/") in urls or any(symbol in text for symbol in _symbols(url))


# Title and headings ---------------------------------------------------------------------------


_LIST_FR = (
    r"\s+de\s+la\s+liste\s+(?:de|des)\s+points(?:\s+à\s+traiter)?"
    r"(?:\s+établie\s+avant\s+la\s+soumission\s+du\s+rapport)?"
)
_LIST_EN = r"\s+of\s+the\s+list\s+of\s+issues(?:\s+prior\s+to\s+reporting)?"


def _heading_pattern(start: str, tail: str, tail_required: bool) -> re.Pattern[str]:
    # The tail may end with the list's symbol: "… of the list of issues (CCPR/C/FRA/Q/6)".
    optional = "" if tail_required else "?"
    pattern = rf"{start}\s+(?P<refs>.+?)(?P<tail>{tail}(?:\s*\([^()]*\))?){optional}[\s.:]*"
    return re.compile(pattern, re.IGNORECASE)


_HEADINGS = [
    (
        "fr",
        _heading_pattern(
            r"R[ée]ponses?\s+(?:concernant|relatives?\s+aux?|au|aux|à|sur)\s+"
            r"(?:(?:le|les|la)\s+|l['’]\s*)?paragraphes?",
            _LIST_FR,
            tail_required=False,
        ),
    ),
    ("fr", _heading_pattern(r"Paragraphes?", _LIST_FR, tail_required=True)),
    (
        "en",
        _heading_pattern(
            r"(?:Replies|Reply|Responses?|Answers?)\s+"
            r"(?:to|concerning|regarding|on|relating\s+to|in\s+response\s+to)\s+(?:the\s+)?"
            r"(?:(?:issues|questions)\s+raised\s+in\s+)?paragraphs?",
            _LIST_EN,
            tail_required=False,
        ),
    ),
    ("en", _heading_pattern(r"Paragraphs?", _LIST_EN, tail_required=True)),
]
_TITLE = re.compile(
    r"(?:R[ée]ponses?|Replies|Responses?)\b.*\b(?:liste\s+de\s+points|list\s+of\s+issues)\b.*",
    re.IGNORECASE,
)


def _heading(line: _Line, warnings: list[ParseWarning]) -> tuple[str, list[ParagraphRef]] | None:
    """The language and references of a reply heading, or None for any other line."""
    if not line.text[:1].isupper():
        return None
    for language, pattern in _HEADINGS:
        match = pattern.fullmatch(line.text)
        if match is None:
            continue
        try:
            return language, parse_references(match["refs"])
        except ParseError as error:
            # Without "de la liste de points" the line may be a sentence that starts alike.
            if match["tail"] is None:
                return None
            warnings.append(ParseWarning(line.number, error.message))
            return language, []
    return None


def _read_preamble(lines: list[_Line], warnings: list[ParseWarning]) -> str:
    """The title ("Réponses à la liste de points (…)"); warns of anything else before it."""
    title = ""
    stray = []
    for line in lines:
        if not title and _TITLE.fullmatch(line.text):
            title = line.text.rstrip("*").strip()
        else:
            stray.append(line)
    if stray:
        text = " ".join(line.text for line in stray)
        shown = text if len(text) <= 80 else text[:79] + "…"
        warnings.append(
            ParseWarning(stray[0].number, f"text before the first heading was ignored: «{shown}»")
        )
    return title


# Paragraphs and unnumbered text ---------------------------------------------------------------


_PARAGRAPH_START = re.compile(r"(\d{1,4})\.(?!\d)")  # "12. Texte", "12.Texte", not "1.1 Pour"
# A number this far ahead of the expected one ends a sentence ("… en\n2020. Toutefois …").
_MAX_SKIP = 10
_MARKER = re.compile(r"\(?(?:[a-z]|[ivx]{1,5})\)")  # a sub-item marker alone on its line: "ii)"
_SUB_ITEM = re.compile(r"\(?(?:[a-z]|[ivx]{1,5})\)\s")  # "e) Enfants apatrides − 277"
_BULLET = re.compile(r"[•◦▪‣●\uf0b7]")
_LAST_WORD = re.compile(r"\w+$")
_WORD = re.compile(r"\w+")
_COMPOUND = re.compile(r"\w+(?:-\w+)+")
_ANNEX_POINTER = re.compile(
    r"(?:(?:voir|see|cf\.?)\s+)?(?:l['’]\s*|the\s+)?annex(?:e|es)?\s+"
    r"[0-9IVXA-Z]+(?:\s*(?:,|et|and)\s*[0-9IVXA-Z]+)*\.?",
    re.IGNORECASE,
)


def _compounds(lines: list[_Line]) -> set[str]:
    """Hyphenated pairs printed within a line ("bien-être"): their hyphen stays at a line break."""
    pairs = set()
    for line in lines:
        for match in _COMPOUND.finditer(line.text):
            parts = match[0].lower().split("-")
            pairs.update(f"{left}-{right}" for left, right in zip(parts, parts[1:]))
    return pairs


def _reflow(pieces: list[str], compounds: set[str]) -> str:
    """Join wrapped lines into one text; bullet items keep a line of their own."""
    text = ""
    for piece in pieces:
        if not text:
            text = piece
        elif _BULLET.match(piece):
            text += "\n" + piece
        elif text.endswith("-") and text[-2:-1].isalnum() and piece[:1].isalnum():
            text = _join_broken_word(text, piece, compounds)
        else:
            text += " " + piece
    return text


def _join_broken_word(text: str, piece: str, compounds: set[str]) -> str:
    # "néces-|saires" is one word; "Nour-|Soultan", "2026-|2030" and "bien-|être" keep the hyphen.
    # The caller checked that letters or digits stand on both sides of the hyphen.
    left = _LAST_WORD.search(text[:-1].rpartition(" ")[2])[0]  # type: ignore[index]
    right = _WORD.match(piece)[0]  # type: ignore[index]
    pair = f"{left}-{right}".lower()
    keep = not piece[0].islower() or text[-2].isdigit() or pair in compounds
    return (text if keep else text[:-1]) + piece


class _BodyReader:
    """Reads the lines under each heading in turn; paragraph numbers run on across sections."""

    def __init__(self, language: str, compounds: set[str], warnings: list[ParseWarning]) -> None:
        self.numbers = _NUMBER_FORMATS[language]
        self.compounds = compounds
        self.warnings = warnings
        self.expected = 1

    def read(self, section: ReplySection, lines: list[_Line]) -> None:
        self.section = section
        self.paragraph: ReplyParagraph | None = None
        self.pieces: list[str] = []  # the open paragraph's lines
        self.blocks: list[list[_Line]] = []  # unnumbered text, not yet known to be a caption or not
        self.texts: list[str] = []
        self.block_open = False
        tables = _TableReader(lines, self._ends_table, self.numbers)
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

    def _paragraph_number(self, line: _Line) -> int | None:
        match = _PARAGRAPH_START.match(line.text)
        if match and self.expected <= int(match[1]) < self.expected + _MAX_SKIP:
            return int(match[1])
        return None

    def _start_paragraph(self, number: int, line: _Line) -> None:
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
            self.paragraph.text = _reflow(self.pieces, self.compounds)
            self.section.paragraphs.append(self.paragraph)
            self.paragraph = None
        self.block_open = False

    def _add_loose(self, line: _Line) -> None:
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

    def _block_text(self, block: list[_Line]) -> str:
        return _reflow([line.text for line in block], self.compounds)

    def _add_table(self, found: _FoundTable) -> None:
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

    def _ends_table(self, line: _Line) -> bool:
        return (
            self._paragraph_number(line) is not None
            or _is_sub_item(line)
            or _table_layout(line.text) is not None
        )


def _is_sub_item(line: _Line) -> bool:
    return bool(_MARKER.fullmatch(line.text) or _SUB_ITEM.match(line.text))


# Statistical tables ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _NumberFormat:
    word: re.Pattern[str]  # a word that is (part of) a figure
    head: re.Pattern[str]  # the first group of a figure
    group: re.Pattern[str]  # a later group, after a space that separates thousands
    decimal_comma: bool

    def decimal(self, figure: str) -> Decimal | None:
        if not figure:
            return None
        return Decimal(figure.replace(",", ".") if self.decimal_comma else figure.replace(",", ""))


_NUMBER_FORMATS = {
    "fr": _NumberFormat(
        word=re.compile(r"\d+(?:,\d+)?%?"),
        head=re.compile(r"0|[1-9]\d*|\d+,\d+"),
        group=re.compile(r"\d{3}(?:,\d+)?"),
        decimal_comma=True,
    ),
    "en": _NumberFormat(
        word=re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?%?"),
        head=re.compile(r"0|[1-9]\d*|\d+\.\d+|[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?"),
        group=re.compile(r"\d{3}(?:\.\d+)?"),
        decimal_comma=False,
    ),
}
_SHORT_HEAD = re.compile(r"[1-9]\d{0,2}")  # only these take thousands groups: "1 398", "102 862"
_NO_FIGURE = re.compile(r"[-–—−‒]|\.{2,3}|…|n\.d\.|n/a|s\.o\.", re.IGNORECASE)
_QUALIFIERS = [
    qualifier.split()
    for qualifier in (
        "plus de", "moins de", "près de", "environ", "more than", "less than", "fewer than",
        "over", "about", "around", "approximately", "approx.", "nearly", "almost",
    )
]
_YEAR_LABEL = re.compile(r"(?:19|20)\d{2}(?:[-–](?:(?:19|20)\d{2}|\d{2}))?")
_ROW_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,2})*\.?")
_NUMBERED_HEADS = {"No", "No.", "N°", "Nº", "#"}
_YEAR_HEADS = {"Année", "Années", "Year", "Years", "Période", "Period"}
_LABEL_HEADS = {
    "Indicateur", "Indicator", "Catégorie", "Category", "Âge", "Age", "Région", "Region",
    "Sexe", "Sex", "Type",
}
_SENTENCE_END = tuple(".;:!?")
_MAX_HEADER_LINES = 8
_MAX_LABEL_LINES = 4


@dataclass
class _RawRow:
    label: list[str]  # words
    figures: list[str]  # the words of the figures, as printed
    line: int


@dataclass
class _FoundTable:
    table: StatisticalTable
    end: int  # index of the first line after the table
    leftover: list[_Line]  # lines read as a row label that never got figures
    warnings: list[ParseWarning]


def _table_layout(text: str) -> str | None:
    """How rows are labelled, judged from what may be a header line; None when it is not one.

    "yearly": each row starts with a year ("Année Total"); "numbered": with a row number
    ("No Indicateur 2023 2024 2025"); "labelled": with words ("Année 2015 2020 …", "Âge Total").
    """
    first, _, rest = text.partition(" ")
    if text.endswith((*_SENTENCE_END, ",")):
        return None
    if first in _NUMBERED_HEADS:
        return "numbered"
    if first in _YEAR_HEADS and not (rest and all(map(_YEAR_LABEL.fullmatch, rest.split()))):
        return "yearly"
    if (first in _YEAR_HEADS or first in _LABEL_HEADS) and len(_header_parts(text)) > 1:
        return "labelled"
    return None


def _header_parts(header: str) -> list[str]:
    """Splits a header where a column name starts: a capital or a year, outside brackets.

    "Année Nombre d’enfants Garçons Filles" → Année | Nombre d’enfants | Garçons | Filles.
    """
    parts: list[str] = []
    depth = 0
    for word in header.split(" "):
        if parts and (depth > 0 or not (word[:1].isupper() or _YEAR_LABEL.fullmatch(word))):
            parts[-1] += " " + word
        else:
            parts.append(word)
        depth = max(0, depth + word.count("(") - word.count(")"))
    return parts


def _cell_words(figures: list[str]) -> list[tuple[str, str]]:
    """Glues qualifiers and "%" to their figure: ("plus de 13", "13"), ("000", "000"), ("–", "")."""
    words: list[tuple[str, str]] = []
    prefix: list[str] = []
    for word in figures:
        if word == "%" and words and not prefix:
            words[-1] = (words[-1][0] + " %", words[-1][1])
        elif word[:1].isdigit():
            words.append((" ".join([*prefix, word]), word.rstrip("%")))
            prefix = []
        elif _NO_FIGURE.fullmatch(word):
            words.append((word, ""))
        else:
            prefix.append(word)  # a qualifier
    if prefix:
        words.append((" ".join(prefix), ""))
    return words


def _words(lines: list[_Line]) -> list[str]:
    return [word for line in lines for word in line.text.split(" ")]


class _TableReader:
    """Reads statistical tables among a section's lines; text extraction lost their columns."""

    def __init__(
        self, lines: list[_Line], ends_table: Callable[[_Line], bool], numbers: _NumberFormat
    ) -> None:
        self.lines = lines
        self.ends_table = ends_table
        self.numbers = numbers

    def read(self, start: int) -> _FoundTable | None:
        """The table whose header is lines[start]; None when that line is no table header."""
        layout = _table_layout(self.lines[start].text)
        header_end = None if layout is None else self._header_end(start, layout)
        if layout is None or header_end is None:
            return None
        rows, end, leftover = self._rows(header_end, layout)
        if not any(row.figures for row in rows):
            return None

        header_line = self.lines[start].number
        header = " ".join(line.text for line in self.lines[start:header_end])
        parts = _header_parts(header)
        width = self._width(rows, max(1, len(parts) - 1))
        warnings = []
        if len(parts) > width:
            # Surplus names belong to the label column: "No Indicateur | 2023 | 2024 | 2025".
            columns = [" ".join(parts[:-width]), *parts[-width:]]
        else:
            columns = [header] + [""] * width
            message = f"cannot split the table header into {width + 1} columns"
            warnings.append(ParseWarning(header_line, message))
        table = StatisticalTable(caption="", columns=columns, rows=[], line=header_line)
        for raw in rows:
            row = self._row(raw, width, movable_label=layout != "yearly")
            if len(row.cells) != width or (layout == "yearly" and not raw.figures):
                cells = len(row.cells) if raw.figures else 0
                count = f"{cells} cell" if cells == 1 else f"{cells} cells"
                message = f"table row «{row.label}» has {count} where the header has {width}"
                warnings.append(ParseWarning(raw.line, message))
            table.rows.append(row)
        return _FoundTable(table, end, leftover, warnings)

    def _header_end(self, start: int, layout: str) -> int | None:
        """Index of the first row; None when no row follows (the line was prose after all)."""
        if layout == "labelled":
            return start + 1
        for index in range(start + 1, min(start + 1 + _MAX_HEADER_LINES, len(self.lines))):
            line = self.lines[index]
            if layout == "yearly" and self._year_row(line.text) is not None:
                return index
            if layout == "numbered" and self._starts_numbered_row(line.text):
                return index
            if self.ends_table(line) or line.text.endswith(_SENTENCE_END):
                return None
        return None

    def _rows(self, index: int, layout: str) -> tuple[list[_RawRow], int, list[_Line]]:
        rows: list[_RawRow] = []
        pending: list[_Line] = []  # label lines waiting for their figures
        while index < len(self.lines) and not self.ends_table(self.lines[index]):
            line = self.lines[index]
            words = line.text.split(" ")
            if layout == "yearly":
                figures = self._year_row(line.text)
                if figures is None:
                    break
                rows.append(_RawRow([words[0]], figures, line.number))
                index += 1
                continue
            if layout == "numbered":
                starts_row = self._starts_numbered_row(line.text)
                if starts_row and pending:
                    # A row number with no figures, such as "2 Âge", heads the rows below it.
                    rows.append(_RawRow(_words(pending), [], pending[0].number))
                    pending = []
                elif not (starts_row or pending):
                    break
            label, figures = self._split_row(words, 0)
            if figures:
                rows.append(_RawRow(_words(pending) + label, figures, line.number))
                pending = []
            elif layout == "labelled" and (
                line.text.endswith(_SENTENCE_END) or len(pending) == _MAX_LABEL_LINES
            ):
                break  # a sentence, not a row label: the table is over
            else:
                pending.append(line)
            index += 1
        if layout == "numbered" and pending:
            rows.append(_RawRow(_words(pending), [], pending[0].number))
            pending = []
        return rows, index, pending

    def _year_row(self, text: str) -> list[str] | None:
        """The figures of a row labelled with a year ("2023 391 238"), or None."""
        words = text.split(" ")
        if not _YEAR_LABEL.fullmatch(words[0]):
            return None
        label, figures = self._split_row(words, 1)
        return figures if len(label) == 1 else None

    def _starts_numbered_row(self, text: str) -> bool:
        # "2.1 15 ans 0 0 1" starts a row; a line of figures alone ("27 241 …") does not.
        words = text.split(" ")
        label, _ = self._split_row(words, 1)
        return bool(_ROW_NUMBER.fullmatch(words[0])) and len(label) > 1

    def _split_row(self, words: list[str], keep: int) -> tuple[list[str], list[str]]:
        """Splits a row into its label and the figures that end it; `keep` words stay label."""
        start = len(words)
        while start > keep:
            word = words[start - 1]
            if self.numbers.word.fullmatch(word) or word == "%" or _NO_FIGURE.fullmatch(word):
                start -= 1
                continue
            # "plus de", "environ" … belong to the figure that follows them.
            before = [word.lower() for word in words[keep:start]]
            follows_figure = start < len(words) and self.numbers.word.fullmatch(words[start])
            size = next((len(q) for q in _QUALIFIERS if before[-len(q) :] == q), 0)
            if not (follows_figure and size):
                break
            start -= size
        return words[:start], words[start:]

    def _width(self, rows: list[_RawRow], header_width: int) -> int:
        """The number of value cells: what most rows can be read as; the header breaks ties."""
        votes: Counter[int] = Counter()
        for row in rows:
            if row.figures:
                votes.update(self._splits(_cell_words(row.figures)).keys())
        if not votes:
            return header_width
        top = max(votes.values())
        widths = [width for width, count in votes.items() if count == top]
        return header_width if header_width in widths else max(widths)

    def _row(self, raw: _RawRow, width: int, movable_label: bool) -> TableRow:
        words = _cell_words(raw.figures)
        label = raw.label
        cells = None
        if not words:
            cells = [("", "")] * width
        # A label may end with a figure ("2.1 15 ans 0 0 1"): what the width leaves goes to it.
        for cut in range(len(words) if movable_label else min(1, len(words))):
            cells = self._splits(words[cut:]).get(width)
            if cells is not None:
                label = raw.label + [text for text, _ in words[:cut]]
                break
        if cells is None:
            splits = self._splits(words)
            closest = min(splits, key=lambda count: (abs(count - width), -count), default=None)
            cells = words if closest is None else splits[closest]
        return TableRow(
            label=" ".join(label),
            cells=[text for text, _ in cells],
            values=[self.numbers.decimal(figure) for _, figure in cells],
        )

    def _splits(self, words: list[tuple[str, str]]) -> dict[int, list[tuple[str, str]]]:
        """For each possible number of cells, the likeliest reading of `words` as that many.

        Spaces separate both thousands and cells: "1 093 204" may be "1 093" and "204". Readings
        whose figures have fewer groups win, then those with the longer figures first.
        """
        Key = tuple[int, tuple[int, ...]]
        best: list[dict[int, tuple[Key, list[tuple[str, str]]]]] = [{} for _ in [*words, None]]
        best[len(words)][0] = ((0, ()), [])
        for start in range(len(words) - 1, -1, -1):
            for end, cost in self._cell_ends(words, start):
                texts, figures = zip(*words[start:end])
                cell = (" ".join(texts), "".join(figures))
                for count, ((rest_cost, rest_order), rest) in best[end].items():
                    key = (cost + rest_cost, (start - end, *rest_order))
                    current = best[start].get(count + 1)
                    if current is None or key < current[0]:
                        best[start][count + 1] = (key, [cell, *rest])
        return {count: cells for count, (_, cells) in best[0].items()}

    def _cell_ends(self, words: list[tuple[str, str]], start: int) -> list[tuple[int, int]]:
        """Where a cell that starts at `start` may end, with the cost of each reading."""
        text, head = words[start]
        if not head:
            return [(start + 1, 0)]
        if not self.numbers.head.fullmatch(head):
            return []
        ends = [(start + 1, 0)]
        if text.endswith("%") or not _SHORT_HEAD.fullmatch(head):
            return ends
        end = start + 1
        while end < len(words):
            text, group = words[end]
            if text.removesuffix("%").rstrip() != group or not self.numbers.group.fullmatch(group):
                break
            end += 1
            # "815 198" (a three-digit head) is less likely than "1 815" followed by "198".
            ends.append((end, (end - start - 1) ** 2 + (len(head) == 3)))
            if text != group or not group.isdigit():
                break  # a percent sign or decimals end the figure
        return ends
