"""Plain-Python parsers for the recommendation data users bring: UHRI exports, UPR Info exports,
OHCHR UPR thematic lists and UPR Working Group reports. Nothing here imports Django.

Each format has an iter_<format>(source, warnings, …) that yields RecommendationRecords as it
reads, appending row-level problems to `warnings`; ParseError means the file cannot be used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .common import (
    NOTED,
    SUPPORTED,
    SUPPORTED_IN_PART,
    ParsedFile,
    ParseError,
    ParseWarning,
    RecommendationRecord,
    SkippedRow,
    Source,
    detect_format,
    normalise_position,
)
from .uhri import UHRI_COLUMNS, iter_uhri, write_uhri_rows
from .upr_info import iter_upr_info
from .upr_matrix import iter_upr_matrix
from .upr_report import iter_upr_report

PARSERS: dict[str, Callable[..., Iterator[RecommendationRecord]]] = {
    "uhri": iter_uhri,
    "upr-info": iter_upr_info,
    "upr-matrix": iter_upr_matrix,
    "upr-report": iter_upr_report,
}


def parse_file(source: Source, format: str, **options: object) -> ParsedFile:
    """All the records and warnings of a file at once, for a preview of a small file.

    `options` go to the format's parser: encoding= (uhri, upr-info, upr-report),
    session= and state= (upr-matrix, upr-report).
    """
    warnings: list[ParseWarning] = []
    records = list(PARSERS[format](source, warnings, **options))
    return ParsedFile(records, warnings)


__all__ = [
    "NOTED",
    "PARSERS",
    "SUPPORTED",
    "SUPPORTED_IN_PART",
    "UHRI_COLUMNS",
    "ParseError",
    "ParseWarning",
    "ParsedFile",
    "RecommendationRecord",
    "SkippedRow",
    "detect_format",
    "iter_uhri",
    "iter_upr_info",
    "iter_upr_matrix",
    "iter_upr_report",
    "normalise_position",
    "parse_file",
    "write_uhri_rows",
]
