"""The Universal Human Rights Index (UHRI) export layout: reading it (.xlsx or .csv) and
writing it, so recommendations go back out in the layout others read.

A cell with several values has one a line, each prefixed "- " ("- CRC", "- Children\\n- Women").
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import closing
from datetime import date
from typing import BinaryIO

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from .common import (
    NOTED,
    SUPPORTED,
    SUPPORTED_IN_PART,
    ParseError,
    ParseWarning,
    RecommendationRecord,
    SkippedRow,
    Source,
    cell_text,
    csv_rows,
    is_zip,
    normalise_position,
    open_binary,
    parse_date,
    parse_session,
    peek,
    split_lines,
    split_sdg,
    table_records,
    unknown_position,
)

# The export's own headings, misspellings included.
UHRI_COLUMNS = [
    "Text",
    "Countries Concerned",
    "Reccomending Body",
    "Document Symbol",
    "Themes",
    "Affected Persons",
    "Sdgs",
    "Document Publication Date",
    "UPR Reccomending States",
    "UPR Position",
    "Type",
    "OHCHR Annotation Id",
    "UPR Session",
    "Regions Concerned",
    "Recommending Regions",
    "Date of publication on UHRI",
]
REQUIRED_COLUMNS = ["Text", "Countries Concerned", "Reccomending Body"]
# A spreadsheet someone tidied may have the headings spelt right.
_CORRECTED_SPELLINGS = {
    "recommending body": "reccomending body",
    "upr recommending states": "upr reccomending states",
}
_POSITION_LABELS = {SUPPORTED: "Supported", SUPPORTED_IN_PART: "Supported in part", NOTED: "Noted"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc) files

# The paragraph number that begins Text, tried in this order.
_REFERENCES = [
    # UPR: "115.1 Ratify …"
    re.compile(r"\s*(?P<number>\d{1,3}\.\d{1,3})\s"),
    # "23 (b) Take …"
    re.compile(r"\s*(?P<number>\d{1,3})\s*\((?P<letter>[a-z]{1,4})\)"),
    # "23. The Committee …", "23. (b) …", and with the heading the export sometimes glues in
    # front: "Rural women 49.The Committee …" (a heading has no digits or punctuation).
    re.compile(
        r"\s*(?:[^\d.;:,()]{1,60}\s)?(?P<number>\d{1,3})\.(?!\d)\s*(?:\((?P<letter>[a-z]{1,4})\))?"
    ),
]


def iter_uhri(
    source: Source, warnings: list[ParseWarning], *, encoding: str | None = None
) -> Iterator[RecommendationRecord]:
    """Yield the records of a UHRI export (.xlsx, or .csv in the same columns) as it is read.

    The workbook is read in openpyxl's read-only mode, row by row, so a large export is never
    held in memory. Rows without a State or a text are skipped and reported as SkippedRow.
    """
    with open_binary(source) as stream:
        if is_zip(stream):
            rows = _workbook_rows(stream)
        elif peek(stream, 8) == _OLE_MAGIC:
            raise ParseError("old Excel .xls workbooks cannot be read: save it as .xlsx or CSV")
        else:
            rows = csv_rows(stream, encoding)
        with closing(rows):
            yield from table_records(
                rows,
                REQUIRED_COLUMNS,
                UHRI_COLUMNS,
                lambda number, row, columns: _record(number, row, columns, warnings),
                aliases=_CORRECTED_SPELLINGS,
            )


# What openpyxl raises on a damaged workbook: a broken zip, a corrupt compressed part (zlib),
# XML cut short (SyntaxError is the XML parsers' ParseError).
DAMAGED_WORKBOOK = (
    InvalidFileException, zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError, ValueError,
    SyntaxError,
)


def _workbook_rows(stream: BinaryIO) -> Iterator[list[object]]:
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except DAMAGED_WORKBOOK:
        raise ParseError("not an Excel .xlsx workbook, or a damaged one") from None
    number = 0
    try:
        # A read-only workbook reads its sheet while it is iterated: damage may show only here.
        for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1):
            yield list(values)
    except DAMAGED_WORKBOOK:
        raise ParseError("the workbook is damaged after this row", number + 1) from None
    finally:
        workbook.close()  # a read-only workbook keeps its file open until closed


def _record(
    number: int, row: list[object], columns: dict[str, int], warnings: list[ParseWarning]
) -> RecommendationRecord | None:
    def cell(name: str) -> str:
        return cell_text(row, columns, name)

    def first(name: str) -> str:
        values = split_lines(cell(name))
        return values[0] if values else ""

    states, text = split_lines(cell("Countries Concerned")), cell("Text")
    if not states or not text:
        missing = "State (Countries Concerned)" if not states else "text"
        warnings.append(SkippedRow(number, f"no {missing}; row skipped"))
        return None
    if len(states) > 1:
        warnings.append(ParseWarning(number, f"several countries concerned; kept {states[0]!r}"))
    if warning := unknown_position(number, first("UPR Position")):
        warnings.append(warning)
    position = normalise_position(first("UPR Position"))
    sdg_labels = dict(filter(None, map(split_sdg, split_lines(cell("Sdgs")))))

    return RecommendationRecord(
        row=number,
        state_under_review=states[0],
        text=text,
        reference=paragraph_reference(text),
        recommending_body=first("Reccomending Body"),
        recommending_states=split_lines(cell("UPR Reccomending States")),
        position=position,
        position_source="UHRI" if position else "",
        session=parse_session(first("UPR Session")),
        themes=split_lines(cell("Themes")),
        affected_groups=split_lines(cell("Affected Persons")),
        sdg_targets=list(sdg_labels),
        sdg_labels=sdg_labels,
        document_symbol=first("Document Symbol"),
        document_date=_date(number, cell("Document Publication Date"), warnings),
        kind=first("Type"),
        external_id=cell("OHCHR Annotation Id"),
        regions_concerned=split_lines(cell("Regions Concerned")),
        recommending_regions=split_lines(cell("Recommending Regions")),
        published_on_uhri=_date(number, cell("Date of publication on UHRI"), warnings),
    )


def _date(number: int, text: str, warnings: list[ParseWarning]) -> date | None:
    try:
        return parse_date(text)
    except ValueError as error:
        warnings.append(ParseWarning(number, str(error)))
        return None


def paragraph_reference(text: str) -> str:
    """"115.1", "23" or "23 (b)" from the paragraph number that begins a text; "" if none."""
    for pattern in _REFERENCES:
        if match := pattern.match(text):
            letter = match.groupdict().get("letter")
            return f"{match['number']} ({letter})" if letter else match["number"]
    return ""


def write_uhri_rows(records: Iterable[RecommendationRecord]) -> Iterator[list[object]]:
    """The UHRI_COLUMNS heading, then a row for each record, ready for csv.writer.writerow()
    or an openpyxl write-only sheet's append(). Dates stay dates (a date cell in a workbook)."""
    yield list(UHRI_COLUMNS)
    for record in records:
        sdgs = [
            f"{code} - {record.sdg_labels[code]}" if record.sdg_labels.get(code) else code
            for code in record.sdg_targets
        ]
        yield [
            _text_with_reference(record),
            _values([record.state_under_review]),
            _values([record.recommending_body]),
            record.document_symbol,
            _values(record.themes),
            _values(record.affected_groups),
            _values(sdgs),
            record.document_date,
            _values(record.recommending_states),
            _values([_POSITION_LABELS.get(record.position, "")]),
            _values([record.kind]),
            record.external_id,
            record.session,
            _values(record.regions_concerned),
            _values(record.recommending_regions),
            record.published_on_uhri,
        ]


def _values(values: Iterable[str]) -> str:
    return "\n".join(f"- {value}" for value in values if value)


def _text_with_reference(record: RecommendationRecord) -> str:
    """UHRI puts the paragraph number at the head of Text; add it when the text lacks it."""
    if not record.reference or paragraph_reference(record.text) == record.reference:
        return record.text
    if re.fullmatch(r"\d+", record.reference):
        return f"{record.reference}. {record.text}"
    return f"{record.reference} {record.text}"
