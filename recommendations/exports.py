"""Downloads of a filtered recommendations list: CSV, XLSX, and CSV in the UHRI layout.

Every matching row is written, not one page, and memory stays bounded however many there are:
rows are read from the database as plain values in chunks (no model instances: at 100,000 rows
building them was most of the time), each chunk's themes, goals, groups and States read with
one query per field, CSV is streamed as it is written, and an XLSX workbook is written row by
row by openpyxl's write-only mode into a temporary file that is then streamed (xlsxwriter's
constant_memory mode, measured against it, took as long). An export too large for that
(TRACKER_BACKGROUND_EXPORT_ROWS) is written to a file by the background worker
(tasks.export_in_background) with the same rows and writers: ExportFormat.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import BinaryIO

import openpyxl
from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from recommendations.filters import RecommendationFilter
from recommendations.models import Recommendation
from recommendations.parsing.common import RecommendationRecord
from recommendations.parsing.uhri import write_uhri_rows

# Rows read from the database at a time; each chunk costs one query per many-to-many field.
CHUNK_SIZE = 2000
# What each row needs of its many-to-many values, in the related objects' own order.
MANY_TO_MANY = {
    "recommending_states": ("name",),
    "themes": ("name",),
    "goals": ("code", "title"),
    "affected_groups": ("name",),
}
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet program runs a cell beginning with one of these as a formula, so a text such
# as "=HYPERLINK(…)" or "-2+3+cmd|…" in the data would run on the reader's machine.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralised(row: list[object]) -> list[object]:
    """The row's CSV cells, none of which can be taken for a formula: a leading apostrophe makes
    such a cell text. (One call a row, not a cell: an export has millions of cells.)"""
    return [
        f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) else value
        for value in row
    ]


class _ManyToMany:
    """A many-to-many field's values for a chunk of recommendations, in one query."""

    def __init__(self, name: str, fields: tuple[str, ...]) -> None:
        field = Recommendation._meta.get_field(name)
        self.through = field.remote_field.through
        source = self.through._meta.get_field(field.m2m_field_name())
        self.source = source.attname
        quote = connection.ops.quote_name
        self.column = f"{quote(self.through._meta.db_table)}.{quote(source.column)}"
        target = field.m2m_reverse_field_name()
        self.fields = [f"{target}__{name}" for name in fields]
        # The related objects' own order, which the cells keep.
        self.order = [f"{target}__{name}" for name in field.related_model._meta.ordering]

    def of(self, recommendations: list[int]) -> dict[int, list[tuple]]:
        values = defaultdict(list)
        for row in (
            self.through.objects.filter(self._among(recommendations))
            .order_by(*self.order)
            .values_list(self.source, *self.fields)
        ):
            values[row[0]].append(row[1:])
        return values

    def _among(self, recommendations: list[int]) -> RawSQL:
        """Rows of these recommendations. Django's `__in` prepares a chunk's thousands of ids one
        by one, and psycopg parses as many placeholders: that was half of these queries' time.
        PostgreSQL takes the ids as one array; SQLite binds a list of them cheaply."""
        if connection.vendor == "postgresql":
            return RawSQL(f"{self.column} = ANY(%s)", [recommendations], BooleanField())
        placeholders = ", ".join(["%s"] * len(recommendations))
        return RawSQL(f"{self.column} IN ({placeholders})", recommendations, BooleanField())


def export_values(recommendations: QuerySet[Recommendation]) -> Iterator[dict]:
    """Each recommendation's for_export() values, with a sequence of value tuples (MANY_TO_MANY)
    for each many-to-many field."""
    related = {name: _ManyToMany(name, fields) for name, fields in MANY_TO_MANY.items()}
    rows = recommendations.for_export().iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        pks = [row["pk"] for row in chunk]
        values = [(name, field.of(pks)) for name, field in related.items()]
        for row in chunk:
            pk = row["pk"]
            for name, of_chunk in values:
                row[name] = of_chunk.get(pk, ())
            yield row


def _labels(field: str) -> dict[str, str]:
    """A choice field's labels in the active language, looked up once rather than per row."""
    return {
        value: str(label) for value, label in Recommendation._meta.get_field(field).flatchoices
    }


def recommendation_rows(recommendations: QuerySet[Recommendation]) -> Iterator[list[object]]:
    """A heading row, then one row per recommendation, in the active language."""
    yield [
        _("Paragraph"), _("Country"), _("Mechanism"), _("Cycle"), _("Source document"),
        _("Kind"), _("Text"), _("Date issued"), _("Current status"), _("Urgent measures"),
        _("Selected for follow-up"), _("Follow-up due"), _("State's position"), _("UPR session"),
        _("Recommending States"), _("Themes"), _("Sustainable Development Goals"),
        _("Affected groups"), _("Identifier"), _("Same recommendation in an earlier cycle"),
    ]
    kinds, statuses, positions = _labels("kind"), _labels("status"), _labels("position")
    for row in export_values(recommendations):
        yield [
            row["reference"],
            row["country__name"] or "",
            row["mechanism__code"],
            row["cycle__label"] or "",
            row["document__symbol"] or "",
            kinds.get(row["kind"], row["kind"]),
            row["text"],
            row["date"],
            statuses.get(row["status"], row["status"]),
            row["urgent"],
            row["follow_up"],
            row["follow_up_due"],
            positions.get(row["position"], row["position"]),
            row["upr_session"],
            "; ".join([name for name, in row["recommending_states"]]),
            "; ".join([name for name, in row["themes"]]),
            "; ".join([code for code, _title in row["goals"]]),
            "; ".join([name for name, in row["affected_groups"]]),
            row["pk"],
            row["previous_id"] or "",  # the earlier recommendation's identifier
        ]


def uhri_rows(recommendations: QuerySet[Recommendation]) -> Iterator[list[object]]:
    """The rows of the UHRI export layout (English, as UHRI's own exports are)."""
    with translation.override("en"):
        kinds = _labels("kind")
        yield from write_uhri_rows(
            uhri_record(row, kinds) for row in export_values(recommendations)
        )


def uhri_record(row: dict, kinds: dict[str, str]) -> RecommendationRecord:
    return RecommendationRecord(
        row=0,
        state_under_review=row["country__name"] or "",
        text=row["text"],
        reference=row["reference"],
        recommending_body=row["mechanism__code"],
        recommending_states=[name for name, in row["recommending_states"]],
        position=row["position"],
        position_source=row["position_source"],
        session=row["upr_session"],
        themes=[name for name, in row["themes"]],
        affected_groups=[name for name, in row["affected_groups"]],
        sdg_targets=[code for code, _title in row["goals"]],
        sdg_labels=dict(row["goals"]),
        document_symbol=row["document__symbol"] or "",
        document_date=row["document__date"] or row["date"],
        kind=kinds.get(row["kind"], row["kind"]),
        external_id=row["external_id"],
    )


# Lines written to the response at a time: one write per line would be a system call each.
LINES_PER_WRITE = 500


def csv_lines(rows: Iterable[list[object]]) -> Iterator[str]:
    """The CSV text of the rows, in pieces of LINES_PER_WRITE lines."""
    rows = iter(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"  # the byte-order mark tells Excel the file is UTF-8
    while lines := list(islice(rows, LINES_PER_WRITE)):
        writer.writerows(map(neutralised, lines))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def csv_response(rows: Iterable[list[object]], filename: str) -> StreamingHttpResponse:
    language = translation.get_language()

    def lines() -> Iterator[str]:
        # The rows are read while the response streams, after the view has returned.
        with translation.override(language):
            yield from csv_lines(rows)

    return StreamingHttpResponse(
        lines(),
        content_type=CSV_CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def write_xlsx(rows: Iterable[list[object]], file: BinaryIO) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(_xlsx_cells(sheet, row))
    workbook.save(file)


def _xlsx_cells(sheet, row: list[object]) -> list[object]:
    """The row's cells for a write-only sheet, none of them a formula (one call a row, not a
    cell: an export has millions of cells)."""
    cells = []
    for value in row:
        if isinstance(value, str):
            # Control characters left by PDF extraction are not allowed in a workbook.
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if value.startswith(FORMULA_PREFIXES):
                # openpyxl would write "=…" as a live formula. A text cell with Excel's "quote
                # prefix" is what Excel itself stores when someone types a leading apostrophe:
                # shown and kept as text.
                value = WriteOnlyCell(sheet, value)
                value.data_type = "s"
                value.quotePrefix = True
        cells.append(value)
    return cells


def xlsx_response(rows: Iterable[list[object]], filename: str) -> FileResponse:
    # Deleted when closed, which FileResponse does once it has sent the file.
    file = tempfile.TemporaryFile(suffix=".xlsx")
    write_xlsx(rows, file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename,
                         content_type=XLSX_CONTENT_TYPE)


@dataclass(frozen=True)
class ExportFormat:
    """What an export link (and a background export job, ExportJob.Format) writes."""

    rows: Callable[[QuerySet[Recommendation]], Iterator[list[object]]]
    extension: str
    layout: str = ""

    @property
    def content_type(self) -> str:
        return XLSX_CONTENT_TYPE if self.extension == "xlsx" else CSV_CONTENT_TYPE

    def filename(self) -> str:
        return export_filename(self.extension, self.layout)

    def response(self, recommendations: QuerySet[Recommendation]) -> HttpResponseBase:
        respond = xlsx_response if self.extension == "xlsx" else csv_response
        return respond(self.rows(recommendations), self.filename())

    def write(self, rows: Iterable[list[object]], file: BinaryIO) -> None:
        """Write the rows (self.rows' or some derived from them) to a binary file."""
        if self.extension == "xlsx":
            write_xlsx(rows, file)
        else:
            for lines in csv_lines(rows):
                file.write(lines.encode())


EXPORT_FORMATS = {
    "csv": ExportFormat(recommendation_rows, "csv"),
    "xlsx": ExportFormat(recommendation_rows, "xlsx"),
    "uhri": ExportFormat(uhri_rows, "csv", layout="uhri"),
}


def filtered_recommendations(query: Mapping[str, str]) -> QuerySet[Recommendation] | None:
    """The recommendations the list shows for these query parameters; None if they are
    invalid."""
    filterset = RecommendationFilter(query, queryset=Recommendation.objects.all())
    return filterset.qs if filterset.is_valid() else None


def export_filename(extension: str, layout: str = "") -> str:
    stem = "-".join(filter(None, ["recommendations", layout, timezone.localdate().isoformat()]))
    return f"{stem}.{extension}"
