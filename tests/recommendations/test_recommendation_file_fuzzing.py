"""The recommendation file readers and importer, fed mutated files (bytes flipped, cut short,
lines lost or repeated, wrong encodings, broken zips) and random bytes, never crash: they read
the file or refuse it with a ParseError, and a refused import writes nothing."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from recommendations.importing_files import import_recommendation_file
from recommendations.models import Recommendation
from recommendations.parsing import ParseError, RecommendationRecord, parse_file, write_uhri_rows
from tracker.models import Document

DATA = Path(__file__).parent.parent / "data"
FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])


def uhri_rows() -> list[list[object]]:
    records = [
        RecommendationRecord(
            row=0, state_under_review="Kazakhstan", text=f"Adopt law {number}.",
            reference=f"27 ({letter})", recommending_body="CRC", recommending_states=[],
            position="", position_source="", session=None, themes=["Children"],
            affected_groups=["Girls"], sdg_targets=["16.2"], sdg_labels={},
            document_symbol="CRC/C/KAZ/CO/5-6", document_date=datetime.date(2026, 2, 1),
            kind="Concluding observations", external_id=f"id-{number}",
        )
        for number, letter in enumerate("abc")
    ]
    return list(write_uhri_rows(records))


def uhri_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    for row in uhri_rows():
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def uhri_csv() -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(uhri_rows())
    return buffer.getvalue().encode("utf-8-sig")


# (file name, format, the file's bytes): the repository's sample of each format, cut to a size
# that parses fast.
SEEDS = {
    "uhri-xlsx": ("export.xlsx", "uhri", uhri_xlsx()),
    "uhri-csv": ("export.csv", "uhri", uhri_csv()),
    "upr-info": ("upr-info.csv", "upr-info", (DATA / "upr-info-export-sessions-01-05.csv").read_bytes()[:6000]),
    "upr-matrix": ("list.docx", "upr-matrix", (DATA / "UPR20_Slovenia_ThematicListRecommendations_E.docx").read_bytes()),
    "upr-report": ("report.md", "upr-report", (DATA / "A_HRC_28_15_Working_Group_Report_Slovenia.md").read_bytes()[:20000]),
}


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 3))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        operation = draw(st.sampled_from(
            ["flip", "truncate", "delete-lines", "duplicate-lines", "insert", "re-encode"]
        ))
        if operation == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif operation == "truncate":
            del data[at:]
        elif operation in ("delete-lines", "duplicate-lines"):
            lines = bytes(data).splitlines(keepends=True)
            start = draw(st.integers(0, len(lines) - 1))
            end = draw(st.integers(start, min(len(lines), start + 20)))
            lines[start:start] = [] if operation == "delete-lines" else lines[start:end]
            if operation == "delete-lines":
                del lines[start:end]
            data = bytearray(b"".join(lines))
        elif operation == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=20) | st.text(max_size=20).map(str.encode))
        else:
            encoding = draw(st.sampled_from(["utf-16", "utf-16-le", "cp1252", "cp1251", "mac_roman"]))
            data = bytearray(bytes(data).decode("utf-8", "replace").encode(encoding, "replace"))
    return bytes(data)


def read_or_refuse(data: bytes, format: str) -> None:
    try:
        parse_file(io.BytesIO(data), format)
    except ParseError as error:
        assert error.message


@pytest.mark.parametrize("seed", SEEDS)
@FUZZ
@given(data=st.data())
def test_the_readers_read_or_refuse_mutated_files(seed, data):
    _name, format, content = SEEDS[seed]
    read_or_refuse(data.draw(mutated(content)), format)


@pytest.mark.parametrize("format", ["uhri", "upr-info", "upr-matrix", "upr-report"])
@FUZZ
@given(data=st.binary(max_size=600))
@example(data=b"")
@example(data=b"PK\x03\x04")
def test_the_readers_read_or_refuse_random_bytes(format, data):
    read_or_refuse(data, format)


def damaged(content: bytes, part: bytes) -> bytes:
    """The zip with a byte of a compressed part changed: its data no longer inflates."""
    data = bytearray(content)
    data[content.index(part) + len(part) + 20] ^= 0xFF
    return bytes(data)


# Found by the fuzzing above: openpyxl and python-docx raised zlib.error.
@pytest.mark.parametrize("seed, part", [("uhri-xlsx", b"xl/worksheets/sheet1.xml"),
                                        ("uhri-xlsx", b"xl/workbook.xml"),
                                        ("upr-matrix", b"word/document.xml")])
def test_a_damaged_workbook_or_word_document_is_refused_with_a_message(seed, part):
    _name, format, content = SEEDS[seed]

    with pytest.raises(ParseError, match="damaged"):
        parse_file(io.BytesIO(damaged(content, part)), format)


def counts() -> tuple[int, int]:
    return Recommendation.objects.count(), Document.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("seed", SEEDS)
@settings(FUZZ, max_examples=12)
@given(data=st.data(), detect=st.booleans())
def test_an_import_of_a_mutated_file_imports_or_refuses_and_then_writes_nothing(seed, data, detect):
    name, format, content = SEEDS[seed]
    mutation = data.draw(mutated(content))
    before = counts()
    try:
        import_recommendation_file(io.BytesIO(mutation), None if detect else format, file_name=name)
    except ParseError as error:
        assert error.message
        assert counts() == before
