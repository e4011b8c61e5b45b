"""Downloads of a filtered recommendations list: CSV, XLSX, and CSV in the UHRI layout.

Every matching row is written, not one page, and memory stays bounded however many there are:
rows are read from the database in chunks (each chunk's themes, goals, groups and States
prefetched with it), CSV is streamed as it is written, and an XLSX workbook is written row by
row by openpyxl's write-only mode into a temporary file that is then streamed.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator

import openpyxl
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from recommendations.models import Recommendation
from recommendations.parsing.common import RecommendationRecord
from recommendations.parsing.uhri import write_uhri_rows

# Rows read from the database at a time; each chunk costs one query per many-to-many field.
CHUNK_SIZE = 2000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet program runs a cell beginning with one of these as a formula, so a text such
# as "=HYPERLINK(…)" or "-2+3+cmd|…" in the data would run on the reader's machine.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A CSV cell that cannot be taken for a formula: a leading apostrophe makes it text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return value


def recommendation_rows(recommendations: QuerySet[Recommendation]) -> Iterator[list[object]]:
    """A heading row, then one row per recommendation, in the active language."""
    yield [
        _("Paragraph"), _("Country"), _("Mechanism"), _("Cycle"), _("Source document"),
        _("Kind"), _("Text"), _("Date issued"), _("Current status"), _("Urgent measures"),
        _("Selected for follow-up"), _("Follow-up due"), _("State's position"), _("UPR session"),
        _("Recommending States"), _("Themes"), _("Sustainable Development Goals"),
        _("Affected groups"), _("Identifier"),
    ]
    for recommendation in recommendations.for_export().iterator(chunk_size=CHUNK_SIZE):
        yield [
            recommendation.reference,
            recommendation.country.name if recommendation.country else "",
            recommendation.mechanism.code,
            recommendation.cycle.label if recommendation.cycle else "",
            recommendation.document.symbol if recommendation.document else "",
            recommendation.get_kind_display(),
            recommendation.text,
            recommendation.date,
            recommendation.get_status_display(),
            recommendation.urgent,
            recommendation.follow_up,
            recommendation.follow_up_due,
            recommendation.get_position_display(),
            recommendation.upr_session,
            "; ".join(state.name for state in recommendation.recommending_states.all()),
            "; ".join(theme.name for theme in recommendation.themes.all()),
            "; ".join(goal.code for goal in recommendation.goals.all()),
            "; ".join(group.name for group in recommendation.affected_groups.all()),
            recommendation.pk,
        ]


def uhri_rows(recommendations: QuerySet[Recommendation]) -> Iterator[list[object]]:
    """The rows of the UHRI export layout (English, as UHRI's own exports are)."""
    with translation.override("en"):
        yield from write_uhri_rows(
            uhri_record(recommendation)
            for recommendation in recommendations.for_export().iterator(chunk_size=CHUNK_SIZE)
        )


def uhri_record(recommendation: Recommendation) -> RecommendationRecord:
    document = recommendation.document
    goals = list(recommendation.goals.all())
    return RecommendationRecord(
        row=0,
        state_under_review=recommendation.country.name if recommendation.country else "",
        text=recommendation.text,
        reference=recommendation.reference,
        recommending_body=recommendation.mechanism.code,
        recommending_states=[state.name for state in recommendation.recommending_states.all()],
        position=recommendation.position,
        position_source=recommendation.position_source,
        session=recommendation.upr_session,
        themes=[theme.name for theme in recommendation.themes.all()],
        affected_groups=[group.name for group in recommendation.affected_groups.all()],
        sdg_targets=[goal.code for goal in goals],
        sdg_labels={goal.code: goal.title for goal in goals},
        document_symbol=document.symbol if document else "",
        document_date=(document.date if document else None) or recommendation.date,
        kind=str(recommendation.get_kind_display()),
        external_id=recommendation.external_id,
    )


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer to stream."""

    def write(self, value: str) -> str:
        return value


def csv_response(rows: Iterable[list[object]], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    language = translation.get_language()

    def lines() -> Iterator[str]:
        # The rows are read while the response streams, after the view has returned.
        with translation.override(language):
            yield "\ufeff"  # the byte-order mark tells Excel the file is UTF-8
            for row in rows:
                yield writer.writerow([neutralise(value) for value in row])

    return StreamingHttpResponse(
        lines(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def xlsx_response(rows: Iterable[list[object]], filename: str) -> FileResponse:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    # Deleted when closed, which FileResponse does once it has sent the file.
    file = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename,
                         content_type=XLSX_CONTENT_TYPE)


def _xlsx_cell(sheet, value: object) -> object:
    if not isinstance(value, str):
        return value
    # Control characters left by PDF extraction are not allowed in a workbook.
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith(FORMULA_PREFIXES):
        return value
    # openpyxl would write "=…" as a live formula. A text cell with Excel's "quote prefix" is
    # what Excel itself stores when someone types a leading apostrophe: shown and kept as text.
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def export_filename(extension: str, layout: str = "") -> str:
    stem = "-".join(filter(None, ["recommendations", layout, timezone.localdate().isoformat()]))
    return f"{stem}.{extension}"
