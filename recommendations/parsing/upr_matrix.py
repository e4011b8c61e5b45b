"""OHCHR "thematic list of recommendations" of a UPR review (Word .docx): one table, a row for
each recommendation under "Theme: …" heading rows.

Its columns have changed between cycles, so they are found by their headings:
"Recommendation" (number, text, recommending States, then "Source of position: …"),
"Position", the themes ("Full list of themes", "Human rights themes and groups of persons":
themes, then "Affected persons:" or "Groups of persons:", and sometimes "SDGs:") and,
in recent lists, "Relevant SDGs".
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from collections.abc import Iterator

import docx
from docx.document import Document as WordDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table

from .common import (
    ParseError,
    ParseWarning,
    RecommendationRecord,
    SkippedRow,
    Source,
    normalise_position,
    open_binary,
    parse_session,
    source_name,
    split_lines,
    split_sdg,
    split_upr_recommendation,
    unknown_position,
)

# "UPR of Slovenia (2nd Cycle – 20th session)", in the page header.
_REVIEW = re.compile(r"UPR of (?P<state>.+?)\s*\([^)]*?(?P<session>\d+)\w*\s+session\)", re.I)
# "UPR20_Slovenia_ThematicListRecommendations_E.docx", as OHCHR names the files.
_FILE_NAME = re.compile(r"UPR(?P<session>\d+)_(?P<state>.+?)_Thematic", re.I)
_SOURCE_OF_POSITION = re.compile(r"Source of position\s*:\s*(.*)", re.I | re.S)
_SYMBOL = re.compile(r"\b[A-Z]+/[A-Z]+/\d+/\d+")
_THEME_CODE = re.compile(r"^[A-H]\d{1,2}\s+")  # the second cycle's codes: "A12 Acceptance of …"
_GROUPS_LABEL = re.compile(r"^(affected persons|groups of persons)\s*:?$", re.I)
_SDGS_LABEL = re.compile(r"^(relevant )?sdgs?\s*:?$", re.I)


def iter_upr_matrix(
    source: Source,
    warnings: list[ParseWarning],
    *,
    session: int | None = None,
    state: str = "",
) -> Iterator[RecommendationRecord]:
    """Yield the recommendations of a thematic list, in the list's (thematic) order.

    The State under review and the session come from the page header ("UPR of Slovenia
    (2nd Cycle – 20th session)") or else the file name ("UPR20_Slovenia_…"); `state` and
    `session` override them. Rows are numbered from the table's heading row (row 1).
    """
    with open_binary(source) as stream:
        try:
            document = docx.Document(stream)
        # zlib.error: a corrupt compressed part; SyntaxError: the XML parser's, for a part cut short.
        except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, SyntaxError,
                PackageNotFoundError):
            raise ParseError("not a Word .docx document, or a damaged one") from None

    table, columns = _recommendation_table(document)
    review = _review(document, source_name(source))
    state = state or review.get("state", "")
    if not state:
        raise ParseError("the State under review was not found (\"UPR of …\"): give it")
    if session is None and review.get("session"):
        session = parse_session(review["session"])

    for number, row in enumerate(table.rows[1:], start=2):
        cells = [cell.text.strip() for cell in row.cells]
        if cells[0].startswith("Theme:") or not any(cells):
            continue  # a theme heading row, merged across the table, or an empty row
        record = _record(number, cells, columns, state, session, warnings)
        if record:
            yield record


def _review(document: WordDocument, file_name: str) -> dict[str, str]:
    """The State under review and the session, as printed."""
    for section in document.sections:
        for paragraph in section.header.paragraphs:
            if match := _REVIEW.search(paragraph.text):
                return match.groupdict()
    if match := _FILE_NAME.search(os.path.basename(file_name)):
        return {"state": match["state"].replace("_", " "), "session": match["session"]}
    return {}


def _recommendation_table(document: WordDocument) -> tuple[Table, dict[str, int]]:
    """The table whose heading row has "Recommendation" and "Position", and its columns."""
    if not document.tables:
        raise ParseError("the document has no table: it is not an OHCHR thematic list")
    for table in document.tables:
        headings = [cell.text.strip().lower() for cell in table.rows[0].cells] if table.rows else []
        columns = {
            name: index
            for name, word in [("recommendation", "recommendation"), ("position", "position"),
                               ("themes", "theme"), ("sdgs", "sdg")]
            if (index := _first_heading(headings, word)) is not None
        }
        if "recommendation" in columns and "position" in columns:
            return table, columns
    raise ParseError(
        "no table with \"Recommendation\" and \"Position\" columns: "
        "it is not an OHCHR thematic list"
    )


def _first_heading(headings: list[str], word: str) -> int | None:
    return next((index for index, heading in enumerate(headings) if word in heading), None)


def _record(
    number: int,
    cells: list[str],
    columns: dict[str, int],
    state: str,
    session: int | None,
    warnings: list[ParseWarning],
) -> RecommendationRecord | None:
    printed, source = _without_source(cells[columns["recommendation"]])
    position_text, position_source = _without_source(cells[columns["position"]])
    if not printed:
        warnings.append(SkippedRow(number, "no recommendation text; row skipped"))
        return None

    recommendation = split_upr_recommendation(printed)
    if not recommendation.reference:
        warnings.append(ParseWarning(number, "the recommendation has no number (such as 115.1)"))
    if not recommendation.recommending_states:
        warnings.append(ParseWarning(number, "no recommending State found"))
    if warning := unknown_position(number, position_text):
        warnings.append(warning)

    source = source or position_source
    themes, groups, sdgs = _themes(cells[columns["themes"]] if "themes" in columns else "")
    if "sdgs" in columns:
        sdgs += split_lines(cells[columns["sdgs"]])
    sdg_labels = dict(filter(None, map(split_sdg, sdgs)))
    symbol = _SYMBOL.search(source)
    return RecommendationRecord(
        row=number,
        state_under_review=state,
        text=recommendation.text,
        reference=recommendation.reference,
        recommending_body="UPR",
        recommending_states=recommendation.recommending_states,
        position=normalise_position(position_text),
        position_source=source,
        session=session,
        themes=themes,
        affected_groups=groups,
        sdg_targets=list(sdg_labels),
        sdg_labels=sdg_labels,
        # The report the recommendation comes from: "A/HRC/28/15" in "A/HRC/28/15/Add.1 - Para. 3".
        document_symbol=symbol.group() if symbol else "",
        kind="Recommendation",
    )


def _without_source(cell: str) -> tuple[str, str]:
    """A cell's text and the "Source of position: …" printed under it."""
    match = _SOURCE_OF_POSITION.search(cell)
    if not match:
        return cell.strip(), ""
    return cell[: match.start()].strip(), " ".join(match.group(1).split())


def _themes(cell: str) -> tuple[list[str], list[str], list[str]]:
    """Themes, groups of persons and SDGs from the themes cell, split at their labels."""
    lists: dict[str, list[str]] = {"themes": [], "groups": [], "sdgs": []}
    current = lists["themes"]
    for line in cell.splitlines():
        line = line.strip()
        if _GROUPS_LABEL.match(line):
            current = lists["groups"]
        elif _SDGS_LABEL.match(line):
            current = lists["sdgs"]
        else:
            current.extend(split_lines(line))
    # Themes lose the second cycle's codes so they match the names UHRI and later lists use.
    themes = [_THEME_CODE.sub("", theme) for theme in lists["themes"]]
    return themes, lists["groups"], lists["sdgs"]
