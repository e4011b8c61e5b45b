"""Office files are checked for what they unpack to before any parser reads them
(tracker/parsing/archives.py). The bombs are invented: no real export is one."""

import io
import time
import zipfile
from pathlib import Path

import pytest

from recommendations.importing_files import import_recommendation_file
from recommendations.models import Recommendation
from tracker.parsing.archives import ArchiveLimits, check_archive
from tracker.parsing.common import ParseError
from tracker.parsing.extraction import document_text

DATA = Path(__file__).resolve().parents[1] / "data"
LIST = DATA / "UPR20_Slovenia_ThematicListRecommendations_E.docx"


def bomb(parts: dict[str, list[bytes]]) -> bytes:
    """A zip whose parts are written chunk by chunk, as large as asked, compressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, chunks in parts.items():
            with archive.open(name, "w", force_zip64=True) as part:
                for chunk in chunks:
                    part.write(chunk)
    return buffer.getvalue()


def whitespace_sheet(megabytes: int) -> bytes:
    return bomb({
        "[Content_Types].xml": [b"<Types/>"],
        "xl/workbook.xml": [b"<workbook/>"],
        "xl/worksheets/sheet1.xml": [
            b"<worksheet><sheetData>", *[b" " * (1 << 20)] * megabytes, b"</sheetData></worksheet>"
        ],
    })


def test_a_workbook_of_whitespace_is_refused_at_once_without_reading_it():
    data = whitespace_sheet(300)
    assert len(data) < 1 << 20  # 300 MB in under a megabyte

    started = time.monotonic()
    with pytest.raises(ParseError, match="bomb.xlsx was refused before reading: one of its texts"):
        check_archive(io.BytesIO(data), "bomb.xlsx")
    assert time.monotonic() - started < 2


def test_one_huge_shared_string_is_refused():
    text = [b"<sst><si><t>", *[b"a" * (1 << 20)] * 3, b"</t></si></sst>"]
    data = bomb({"xl/sharedStrings.xml": text})

    with pytest.raises(ParseError, match="longer than 1,048,576 bytes"):
        check_archive(io.BytesIO(data), "strings.xlsx")


def test_a_file_unpacking_to_more_than_the_limit_is_refused():
    with pytest.raises(ParseError, match=r"it unpacks to 1 MB \(at most 10,000 bytes\)"):
        limits = ArchiveLimits(uncompressed_bytes=10_000)
        check_archive(io.BytesIO(LIST.read_bytes()), LIST.name, limits)


def test_too_many_parts_or_cells_are_refused():
    many = bomb({f"part{n}.xml": [b"<a/>"] for n in range(50)})
    with pytest.raises(ParseError, match="it holds 50 parts \\(at most 10\\)"):
        check_archive(io.BytesIO(many), "many.xlsx", ArchiveLimits(entries=10))
    row = b"<row>" + b'<c r="A1"><v>1</v></c>' * 2000 + b"</row>"
    cells = bomb({"xl/worksheets/sheet1.xml": [row]})
    with pytest.raises(ParseError, match="more than 1,000 cells"):
        check_archive(io.BytesIO(cells), "cells.xlsx", ArchiveLimits(cells=1000))
    check_archive(io.BytesIO(cells), "cells.xlsx", ArchiveLimits(cells=2000))


def test_the_real_thematic_list_passes_the_default_limits():
    check_archive(io.BytesIO(LIST.read_bytes()), LIST.name)


def test_a_word_bomb_is_refused_before_its_text_is_read():
    text = [b"<w:document><w:body><w:p><w:r><w:t>", *[b"x" * (1 << 20)] * 50,
            b"</w:t></w:r></w:p></w:body></w:document>"]
    data = bomb({"word/document.xml": text})

    with pytest.raises(ParseError, match="bomb.docx was refused before reading"):
        document_text(data, "bomb.docx")


@pytest.mark.django_db
def test_an_import_checks_the_limits_in_settings_and_changes_nothing(settings):
    settings.TRACKER_OFFICE_MAX_UNCOMPRESSED_BYTES = 10_000

    with pytest.raises(ParseError, match="was refused before reading: it unpacks to"):
        import_recommendation_file(LIST)
    assert not Recommendation.objects.exists()
