"""What the recommendation parsers share: the record they yield, positions, cells, encodings."""

from __future__ import annotations

import csv
import html
import io
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO, Union

from openpyxl.utils.datetime import from_excel

from tracker.parsing.common import (
    NUL_MESSAGE,
    ParseError,
    ParseWarning,
    decode_text,
    detect_decoding,
    detect_encoding,
)
from tracker.parsing.archives import ArchiveLimits
from tracker.parsing.extraction import document_text

# A path, or a binary file-like object such as an upload.
Source = Union[str, os.PathLike, BinaryIO]

# The values of Recommendation.Position; "" when the source gives none we recognise.
SUPPORTED = "supported"
SUPPORTED_IN_PART = "supported_in_part"
NOTED = "noted"

_POSITIONS = {
    "supported": SUPPORTED,
    "accepted": SUPPORTED,
    "fully supported": SUPPORTED,
    "fully accepted": SUPPORTED,
    "supported in part": SUPPORTED_IN_PART,
    "supported partially": SUPPORTED_IN_PART,
    "partially supported": SUPPORTED_IN_PART,
    "partly supported": SUPPORTED_IN_PART,
    "accepted in part": SUPPORTED_IN_PART,
    "partially accepted": SUPPORTED_IN_PART,
    "partly accepted": SUPPORTED_IN_PART,
    "noted": NOTED,
    "rejected": NOTED,
    "not accepted": NOTED,
    "not supported": NOTED,
    "took note": NOTED,
    # No position yet: known values, so they do not raise a warning.
    "pending": "",
    "no response": "",
    "general response": "",
}


class SkippedRow(ParseWarning):
    """A row left out because it lacks the State under review or the text.

    The importer refuses a file with any of these, so they are told apart from plain warnings.
    """


@dataclass
class RecommendationRecord:
    """One recommendation as a file gives it. Names stay as printed: the importer resolves them."""

    row: int  # the row (header = 1) or line in the source file, for messages
    state_under_review: str  # as printed: "Slovenia"
    text: str
    reference: str = ""  # "115.1", "23 (b)"
    recommending_body: str = ""  # "CRC", "UPR"
    recommending_states: list[str] = field(default_factory=list)  # as printed
    position: str = ""  # SUPPORTED, SUPPORTED_IN_PART, NOTED or ""
    position_source: str = ""  # "A/HRC/28/15/Add.1 - Para. 3", "UPR Info"
    session: int | None = None  # UPR Working Group session
    action_category: int | None = None  # UPR Info: 1 (minimal action) to 5 (specific action)
    themes: list[str] = field(default_factory=list)
    affected_groups: list[str] = field(default_factory=list)
    sdg_targets: list[str] = field(default_factory=list)  # "16" (a goal) or "16.3" (a target)
    sdg_labels: dict[str, str] = field(default_factory=dict)  # code -> label as printed
    document_symbol: str = ""
    document_date: date | None = None
    kind: str = ""  # UHRI "Type": "Recommendation", "Concerns/Observations"
    external_id: str = ""  # UHRI "OHCHR Annotation Id"
    regions_concerned: list[str] = field(default_factory=list)  # "Asia-Pacific", "WEOG"
    organisations_concerned: list[str] = field(default_factory=list)  # UPR Info To-Org
    recommending_regions: list[str] = field(default_factory=list)
    recommending_organisations: list[str] = field(default_factory=list)  # "EU", "OIF"
    published_on_uhri: date | None = None


@dataclass
class ParsedFile:
    records: list[RecommendationRecord]
    warnings: list[ParseWarning]

    @property
    def skipped_rows(self) -> list[int]:
        return [warning.line for warning in self.warnings if isinstance(warning, SkippedRow)]


def normalise_position(text: str) -> str:
    """SUPPORTED, SUPPORTED_IN_PART, NOTED, or "" for no or an unknown position."""
    return _POSITIONS.get(_position_words(text), "")


def unknown_position(row: int, text: str) -> ParseWarning | None:
    """A warning when a position is given but not one normalise_position() knows."""
    words = _position_words(text)
    if not words or words in _POSITIONS:
        return None
    return ParseWarning(row, f"position {text.strip()!r} not recognised; left blank")


def _position_words(text: str) -> str:
    # "Supported-in-part", "- Partially accepted", "NOTED" all reduce to plain lower-case words.
    return " ".join(re.findall(r"[a-z]+", text.lower()))


def detect_format(filename: str, first_bytes: bytes) -> str | None:
    """"uhri", "upr-info", "upr-matrix" or "upr-report" from a file's name and first kilobytes."""
    extension = os.path.splitext(filename)[1].lower()
    if first_bytes.startswith(b"PK\x03\x04"):  # a zip: an Office Open XML file
        return {".xlsx": "uhri", ".docx": "upr-matrix"}.get(extension)
    # Only the header line matters, and latin-1 decodes any byte.
    head = first_bytes.decode("latin-1")
    first_line = head.removeprefix("ï»¿").splitlines()[0] if head.strip() else ""  # less a BOM
    columns = {column.strip().strip('"').lower() for column in first_line.split(",")}
    if {"to", "from", "response"} <= columns:
        return "upr-info"
    if {"text", "countries concerned"} <= columns:
        return "uhri"
    if "Universal Periodic Review" in head or re.search(r"\bA/HRC/\d+/\d+", head):
        return "upr-report"
    return None


# Reading files


@contextmanager
def open_binary(source: Source) -> Iterator[BinaryIO]:
    """The source as a binary stream; a path is opened and closed, a stream left open."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as stream:
            yield stream
    else:
        yield source


def source_name(source: Source) -> str:
    """The file name, if the source has one (an upload does)."""
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return getattr(source, "name", "") or ""


def peek(stream: BinaryIO, size: int) -> bytes:
    """The first bytes of the stream, leaving it where it was."""
    start = stream.tell()
    data = stream.read(size)
    stream.seek(start)
    return data


def is_zip(stream: BinaryIO) -> bool:
    """Whether the stream holds a zip, as .xlsx and .docx files do."""
    return peek(stream, 4) == b"PK\x03\x04"


def csv_rows(stream: BinaryIO, encoding: str | None) -> Iterator[list[str]]:
    """The rows of a CSV file, its encoding detected unless given (tracker.parsing.common's
    decoder: a file mixing UTF-8 rows into a legacy code page is read right, row by row).

    The csv module reads CR, LF and CRLF line endings alike when the text keeps them (newline="").
    A NUL byte, which no text holds and PostgreSQL cannot store, refuses the file at its row.
    """
    encoding, errors = (encoding, "strict") if encoding else detect_decoding(stream)
    try:
        text = io.TextIOWrapper(stream, encoding=encoding, errors=errors, newline="")
    except LookupError:
        raise ParseError(f"unknown text encoding {encoding!r}") from None
    row = 0
    try:
        for row, values in enumerate(csv.reader(text), start=1):
            if "\x00" in "".join(values):
                raise ParseError(NUL_MESSAGE, row)
            yield values
    except UnicodeError as error:
        raise ParseError(
            f"the file is not valid {encoding} text after row {row} ({error}): "
            "choose its encoding",
            row + 1,
        ) from None
    except csv.Error as error:
        raise ParseError(f"not a readable CSV file: {error}", row + 1) from None
    finally:
        text.detach()  # closing the wrapper would close an upload the caller still owns


def is_document(first_bytes: bytes) -> bool:
    """Whether the bytes start a PDF, a Word document (any zip) or a Word 97–2003 file."""
    return first_bytes.lstrip()[:5].startswith(b"%PDF") or first_bytes.startswith(
        (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
    )


def read_document(
    stream: BinaryIO, name: str, encoding: str | None, limits: ArchiveLimits | None = None
) -> str:
    """The text of a UN document given as a PDF, a Word file or text."""
    if is_document(peek(stream, 8)):
        return document_text(stream.read(), name or "the file", limits=limits)
    return read_text(stream, encoding)


def read_text(stream: BinaryIO, encoding: str | None) -> str:
    """The whole of a (small) text file, its encoding detected unless given."""
    encoding, errors = (encoding, "strict") if encoding else detect_decoding(stream)
    return decode_text(stream.read(), os.path.basename(source_name(stream)), encoding, errors)


def table_records(
    rows: Iterator[Sequence[object]],
    required: Sequence[str],
    optional: Sequence[str],
    record: Callable[[int, Sequence[object], dict[str, int]], RecommendationRecord | None],
    aliases: dict[str, str] | None = None,
) -> Iterator[RecommendationRecord]:
    """Records from a spreadsheet's rows: a heading row, then `record(number, row, columns)` for
    each row that is not blank, numbered as a spreadsheet numbers them (heading = 1)."""
    header = next(rows, None)
    if header is None:
        raise ParseError("the file is empty")
    columns = column_indexes(header, required, optional, aliases or {})
    empty = True
    for number, row in enumerate(rows, start=2):
        if any(_text(value) for value in row):
            empty = False
            if made := record(number, row, columns):
                yield made
    if empty:
        raise ParseError("no rows under the heading row")


def column_indexes(
    header: Sequence[object],
    required: Sequence[str],
    optional: Sequence[str],
    aliases: dict[str, str],
) -> dict[str, int]:
    """Where each named column is in the heading row, matched regardless of case and spaces.

    `aliases` maps other headings (lower case) to the names asked for.
    """
    headings = [_text(name).lower() for name in header]
    positions = {aliases.get(name, name).lower(): index for index, name in enumerate(headings)}
    missing = [name for name in required if name.lower() not in positions]
    if missing:
        raise ParseError(
            "missing required columns: " + ", ".join(repr(name) for name in missing), line=1
        )
    return {
        name: positions[name.lower()]
        for name in [*required, *optional]
        if name.lower() in positions
    }


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


# Cells


def cell_text(row: Sequence[object], columns: dict[str, int], name: str) -> str:
    """A cell as text: "" when the column is absent or the row short. Unescapes HTML entities,
    which web exports leave behind ("&#40;Unknown&#41;")."""
    index = columns.get(name)
    if index is None or index >= len(row):
        return ""
    text = html.unescape(_text(row[index]))
    # A spreadsheet export escapes a cell that would read as a formula ("- Theme", "=…") with a
    # leading apostrophe; the value is what follows it.
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


def split_lines(cell: str) -> list[str]:
    """The values of a multi-value cell: one a line, each prefixed "- " (UHRI, thematic lists)."""
    values = (re.sub(r"^[-–•]\s*", "", line.strip()) for line in cell.splitlines())
    return [value for value in values if value]


def split_commas(cell: str) -> list[str]:
    """The values of a comma-joined cell ("EU, OIF", "Justice,Women's rights")."""
    return [value.strip() for value in cell.split(",") if value.strip()]


def split_sdg(value: str) -> tuple[str, str] | None:
    """("16.3", "Promote the rule of law") from "16.3 - Promote the rule of law"; also goals."""
    match = re.match(r"(?:SDG\s*)?(\d{1,2}(?:\.[0-9a-z]{1,2})?)\b\s*[-–:]?\s*(.*)", value, re.I)
    if not match:
        return None
    return match.group(1).lower(), match.group(2).strip()


_ORDINAL_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19,
}
_ORDINAL_TENS = {
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
}


def parse_session(text: str) -> int | None:
    """A session number from "20", "- 20", "20th session" or "twentieth", "twenty-eighth"."""
    if match := re.search(r"\d+", text):
        return int(match.group())
    words = re.findall(r"[a-z]+", text.lower())
    if not words:
        return None
    tens = _ORDINAL_TENS.get(words[0], 0)
    units = _ORDINAL_UNITS.get(words[1] if tens and len(words) > 1 else words[0], 0)
    return (tens + units) or None


def parse_date(value: object) -> date | None:
    """A date from a date cell, an Excel serial number, ISO text or "10 December 2014".

    Raises ValueError on text that is none of these, so the caller can warn with the row.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)):
        return from_excel(value).date()  # a serial number; from_excel knows Excel's 1900 bug
    text = _text(value).lstrip("- ")
    if not text:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return from_excel(float(text)).date()
    if re.match(r"\d{4}-\d{2}-\d{2}", text):  # ISO, perhaps with a time
        return date.fromisoformat(text[:10])
    for pattern in ("%d %B %Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"date {text!r} not recognised")


# UPR recommendations as the Working Group report and the thematic list print them


@dataclass
class UprRecommendation:
    reference: str  # "115.1"
    text: str
    recommending_states: list[str]


_RECOMMENDATION_NUMBER = re.compile(r"\s*(\d{1,3}\.\d{1,3})\.?\s+")


def split_upr_recommendation(printed: str) -> UprRecommendation:
    """Number, text and recommending States of "115.8 Ratify ICRMW (Senegal, Peru);".

    The text loses its number (it is the reference) and the ";" that ends a list item, so the
    report and the thematic list of one review give the same text. The States stay in it:
    a recommendation merged from several ("… (Egypt); continue … (Peru)") needs them to read.
    """
    printed = " ".join(printed.split())
    match = _RECOMMENDATION_NUMBER.match(printed)
    reference = match.group(1) if match else ""
    text = printed[match.end() if match else 0 :].rstrip(" ;")
    return UprRecommendation(reference, text, recommending_states(text))


def recommending_states(text: str) -> list[str]:
    """The States in the brackets that close a recommendation, or each clause of a merged one.

    Printed "(Iran (Islamic Republic of));", "(Senegal, Venezuela (Bolivarian Republic of),Peru)",
    "(Egypt); continue … (Peru);"; recent lists also print "… (Maldives) (Portugal);", so a
    bracket just before the closing one holds States too when it reads like names, not "(ICRMW)".
    """
    states: list[str] = []
    for run in _adjacent_runs(text, _bracket_groups(text)):
        after = text[run[-1][1] :].lstrip(" .")
        if after and not after.startswith(";"):
            continue  # a bracket inside the text: "(ICERD) and …"
        *earlier, last = [text[start + 1 : end - 1] for start, end in run]
        for inside in earlier:
            if _looks_like_states(inside):
                states.extend(_split_states(inside))
        states.extend(_split_states(last))
    return states


def _bracket_groups(text: str) -> list[tuple[int, int]]:
    """(start, end) of each outermost bracket group."""
    groups = []
    depth = start = 0
    for index, char in enumerate(text):
        if char == "(":
            if depth == 0:
                start = index
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, index + 1))
    return groups


def _adjacent_runs(text: str, groups: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Bracket groups separated only by spaces, together: "(Maldives) (Portugal)"."""
    runs: list[list[tuple[int, int]]] = []
    for group in groups:
        if runs and not text[runs[-1][-1][1] : group[0]].strip():
            runs[-1].append(group)
        else:
            runs.append([group])
    return runs


def _split_states(inside: str) -> list[str]:
    """Split on the commas outside nested brackets: "Venezuela (Bolivarian Republic of),Peru"."""
    names, depth, current = [], 0, ""
    for char in inside:
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            names.append(current)
            current = ""
        else:
            current += char
    names.append(current)
    return [name.strip() for name in names if name.strip()]


_NOT_STATE_WORDS = re.compile(
    r"\b(Convention|Covenant|Protocol|Act|Law|Code|Programme|Plan|Strategy|Declaration|"
    r"Principles|Agenda|Committee)\b"
)


def _looks_like_states(inside: str) -> bool:
    return (
        not re.search(r"\d", inside)
        and not inside.isupper()  # an acronym: "(ICRMW)"
        and inside[:1].isupper()
        and not _NOT_STATE_WORDS.search(inside)
    )
