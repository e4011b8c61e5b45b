"""UPR Info database exports (CSV): a row for each recommendation and recommending State."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing

from .common import (
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
    parse_session,
    split_commas,
    table_records,
    unknown_position,
)

REQUIRED_COLUMNS = ["To", "Text", "From", "Response", "Session"]
OPTIONAL_COLUMNS = ["To-Rgrp", "To-Org", "From-Rgrp", "From-Org", "Action", "Issue"]

# The database's placeholder when it does not know who made a recommendation.
UNKNOWN = "(Unknown)"


def iter_upr_info(
    source: Source, warnings: list[ParseWarning], *, encoding: str | None = None
) -> Iterator[RecommendationRecord]:
    """Yield the recommendations of a UPR Info export as the file is read.

    The encoding is detected unless given. Rows without a State under review or a text are
    skipped and reported as SkippedRow in `warnings`; other problems as plain warnings.
    """
    with open_binary(source) as stream:
        if is_zip(stream):
            raise ParseError("this is an Excel or Word file: a UPR Info export is a CSV file")
        with closing(csv_rows(stream, encoding)) as rows:
            yield from table_records(
                rows,
                REQUIRED_COLUMNS,
                OPTIONAL_COLUMNS,
                lambda number, row, columns: _record(number, row, columns, warnings),
            )


def _record(
    number: int, row: list[str], columns: dict[str, int], warnings: list[ParseWarning]
) -> RecommendationRecord | None:
    def cell(name: str) -> str:
        return cell_text(row, columns, name)

    if len(row) <= max(columns.values()):
        message = f"only {len(row)} columns; row skipped (is the file cut short?)"
        warnings.append(SkippedRow(number, message))
        return None

    state, text = cell("To"), cell("Text")
    if not state or not text:
        missing = "State under review (To)" if not state else "text"
        warnings.append(SkippedRow(number, f"no {missing}; row skipped"))
        return None

    recommending_state = cell("From")
    if not _known([recommending_state]):
        warnings.append(ParseWarning(number, "the recommending State is not known"))
    if warning := unknown_position(number, cell("Response")):
        warnings.append(warning)
    session = parse_session(cell("Session"))
    if session is None:
        warnings.append(ParseWarning(number, f"session {cell('Session')!r} is not a number"))

    return RecommendationRecord(
        row=number,
        state_under_review=state,
        text=text,
        recommending_body="UPR",
        recommending_states=_known([recommending_state]),
        position=normalise_position(cell("Response")),
        position_source="UPR Info",
        session=session,
        action_category=_action_category(number, cell("Action"), warnings),
        themes=split_commas(cell("Issue")),
        kind="Recommendation",
        regions_concerned=split_commas(cell("To-Rgrp")),
        organisations_concerned=split_commas(cell("To-Org")),
        recommending_regions=_known(split_commas(cell("From-Rgrp"))),
        recommending_organisations=_known(split_commas(cell("From-Org"))),
    )


def _known(values: list[str]) -> list[str]:
    return [value for value in values if value not in ("", UNKNOWN)]


def _action_category(number: int, text: str, warnings: list[ParseWarning]) -> int | None:
    """UPR Info's scale from 1 (minimal action) to 5 (specific action)."""
    if not text:
        return None
    if text in {"1", "2", "3", "4", "5"}:
        return int(text)
    warnings.append(ParseWarning(number, f"action category {text!r} is not 1 to 5"))
    return None
