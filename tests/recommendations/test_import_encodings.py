"""Text exports in the encodings users' spreadsheets save, and bytes no text holds
(tracker.parsing.common's decoder, through the UPR Info import)."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from recommendations.importing_files import import_recommendation_file
from recommendations.models import Recommendation
from tracker.parsing.common import ParseError

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent.parent / "data" / "upr-info-export-sessions-01-05.csv"


def sample_rows(count: int) -> str:
    """The real export's header and first rows, as text."""
    lines = SAMPLE.read_bytes().decode("mac_roman").split("\r")
    return "\r\n".join(lines[: count + 1]) + "\r\n"


def test_a_cp1251_export_with_one_utf8_row_reads_both_right():
    # Invented: Cyrillic rows saved in Windows-1251, and one row pasted in UTF-8.
    header = sample_rows(0)
    cyrillic = ("Kazakhstan,Asia,,Обеспечить права детей и женщин в стране,France,WEOG,EU,"
                "Accepted,4,Women's rights,7\r\n") * 5
    utf8_row = (
        "Kazakhstan,Asia,,Protect the café owners’ rights,Chad,Africa,,Accepted,4,Labour,7\r\n"
    )
    data = header.encode() + cyrillic.encode("cp1251") + utf8_row.encode("utf-8")

    import_recommendation_file(io.BytesIO(data), file_name="mixed.csv")

    texts = set(Recommendation.objects.values_list("text", flat=True))
    assert texts == {"Обеспечить права детей и женщин в стране", "Protect the café owners’ rights"}


@pytest.mark.parametrize("with_bom", [True, False], ids=["bom", "encoding-given"])
def test_a_utf16_export_is_read(with_bom, tmp_path, capsys):
    path = tmp_path / "export.csv"
    text = sample_rows(40)
    path.write_bytes(text.encode("utf-16") if with_bom else text.encode("utf-16-le"))

    options = [] if with_bom else ["--encoding", "utf-16-le"]
    call_command("import_recommendations", str(path), *options)

    assert Recommendation.objects.count() == 40
    assert "40 rows read" in capsys.readouterr().out


def test_a_nul_byte_after_the_first_8_kb_refuses_the_file_at_its_row_and_writes_nothing(tmp_path):
    data = bytearray(SAMPLE.read_bytes())
    at = data.index(b"\r", 20_000) + 10
    data[at:at] = b"\x00"
    path = tmp_path / "export.csv"
    path.write_bytes(bytes(data))
    row = data[:at].count(b"\r") + 1

    with pytest.raises(CommandError, match=rf"export\.csv, row {row}: a NUL byte"):
        call_command("import_recommendations", str(path), verbosity=0)
    assert not Recommendation.objects.exists()


def test_a_nul_byte_in_a_document_s_text_is_refused_at_its_line():
    text = ("A/HRC/28/15\nUniversal Periodic Review\n" + "line\n" * 3000).encode() + b"bad\x00\n"

    with pytest.raises(ParseError, match="a NUL byte") as error:
        import_recommendation_file(io.BytesIO(text), "upr-report", file_name="report.txt")
    assert error.value.line == 3003
