"""Statistical tables in replies to a list of issues, left without columns by text extraction.

A table reaches us as a header line ("Année Nombre d’enfants Garçons Filles") and rows of words
and figures where spaces separate both the cells and the thousands ("2023 1 398 702 696").
TableReader finds where a table starts and ends among a section's lines, splits its header into
columns and reads each row as the likeliest cells for the number of columns.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from tracker.parsing.common import ParseWarning
from tracker.parsing.text import Line


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


@dataclass(frozen=True)
class NumberFormat:
    word: re.Pattern[str]  # a word that is (part of) a figure
    head: re.Pattern[str]  # the first group of a figure
    group: re.Pattern[str]  # a later group, after a space that separates thousands
    decimal_comma: bool

    def decimal(self, figure: str) -> Decimal | None:
        if not figure:
            return None
        return Decimal(figure.replace(",", ".") if self.decimal_comma else figure.replace(",", ""))


NUMBER_FORMATS = {
    "fr": NumberFormat(
        word=re.compile(r"\d+(?:,\d+)?%?"),
        head=re.compile(r"0|[1-9]\d*|\d+,\d+"),
        group=re.compile(r"\d{3}(?:,\d+)?"),
        decimal_comma=True,
    ),
    "en": NumberFormat(
        word=re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?%?"),
        head=re.compile(r"0|[1-9]\d*|\d+\.\d+|[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?"),
        group=re.compile(r"\d{3}(?:\.\d+)?"),
        decimal_comma=False,
    ),
}
# Spanish and Russian documents write figures as French ones do: a decimal comma, thousands apart.
NUMBER_FORMATS["es"] = NUMBER_FORMATS["ru"] = NUMBER_FORMATS["fr"]
_SHORT_HEAD = re.compile(r"[1-9]\d{0,2}")  # only these take thousands groups: "1 398", "102 862"
_NO_FIGURE = re.compile(r"[-–—−‒]|\.{2,3}|…|n\.d\.|n/a|s\.o\.", re.IGNORECASE)
_QUALIFIERS = [
    qualifier.split()
    for qualifier in (
        "plus de", "moins de", "près de", "environ", "more than", "less than", "fewer than",
        "over", "about", "around", "approximately", "approx.", "nearly", "almost",
    )
]  # fmt: skip
_YEAR_LABEL = re.compile(r"(?:19|20)\d{2}(?:[-–](?:(?:19|20)\d{2}|\d{2}))?")
_ROW_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,2})*\.?")
_NUMBERED_HEADS = {"No", "No.", "N°", "Nº", "#"}
_YEAR_HEADS = {"Année", "Années", "Year", "Years", "Période", "Period"}
_LABEL_HEADS = {
    "Indicateur", "Indicator", "Catégorie", "Category", "Âge", "Age", "Région", "Region",
    "Sexe", "Sex", "Type",
}  # fmt: skip
_SENTENCE_END = tuple(".;:!?")
_MAX_HEADER_LINES = 8
_MAX_LABEL_LINES = 4


@dataclass
class _RawRow:
    label: list[str]  # words
    figures: list[str]  # the words of the figures, as printed
    line: int


@dataclass
class FoundTable:
    table: StatisticalTable
    end: int  # index of the first line after the table
    leftover: list[Line]  # lines read as a row label that never got figures
    warnings: list[ParseWarning]


def table_layout(text: str) -> str | None:
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


def _words(lines: list[Line]) -> list[str]:
    return [word for line in lines for word in line.text.split(" ")]


class TableReader:
    """Reads statistical tables among a section's lines; text extraction lost their columns."""

    def __init__(
        self, lines: list[Line], ends_table: Callable[[Line], bool], numbers: NumberFormat
    ) -> None:
        self.lines = lines
        self.ends_table = ends_table
        self.numbers = numbers

    def read(self, start: int) -> FoundTable | None:
        """The table whose header is lines[start]; None when that line is no table header."""
        layout = table_layout(self.lines[start].text)
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
        return FoundTable(table, end, leftover, warnings)

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

    def _rows(self, index: int, layout: str) -> tuple[list[_RawRow], int, list[Line]]:
        rows: list[_RawRow] = []
        pending: list[Line] = []  # label lines waiting for their figures
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
