from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tracker.models import Document, ReplyParagraph

pytestmark = pytest.mark.django_db

SEED = settings.BASE_DIR / "fixtures" / "seeds" / "CRC_C_KAZ_RQ_5-6_fr.txt"


def test_it_imports_the_replies_and_prints_a_summary(capsys):
    call_command("import_document", str(SEED), "--kind", "replies")
    output = capsys.readouterr().out
    assert ("CRC/C/KAZ/RQ/5-6: created 1 documents, 79 sections, 108 list-of-issues paragraphs, "
            "274 paragraphs, 26 tables; updated nothing; removed nothing; 0 warnings.") in output
    assert ReplyParagraph.objects.count() == 274


def test_a_dry_run_saves_nothing(capsys):
    call_command("import_document", str(SEED), "--kind", "replies", "--dry-run")
    assert "Dry run: nothing was saved." in capsys.readouterr().out
    assert not Document.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_naming_the_file(tmp_path: Path):
    latin = tmp_path / "replies-latin1.txt"
    latin.write_bytes(SEED.read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    with pytest.raises(CommandError, match="replies-latin1.txt is not UTF-8 text"):
        call_command("import_document", str(latin), "--kind", "replies")
    assert not Document.objects.exists()


def test_the_wrong_kind_of_document_is_refused(tmp_path: Path):
    with pytest.raises(CommandError, match="CRC_C_KAZ_RQ_5-6_fr.txt: .*replies"):
        call_command("import_document", str(SEED), "--kind", "list-of-issues")
    assert not Document.objects.exists()


def test_an_unknown_cycle_is_refused():
    with pytest.raises(CommandError, match="no reporting cycle with id 999"):
        call_command("import_document", str(SEED), "--kind", "replies", "--cycle", "999")


DATA = settings.BASE_DIR / "tests" / "data"


def test_a_word_file_of_the_replies_imports_as_its_text(tmp_path: Path, capsys):
    import docx

    document = docx.Document()
    for line in SEED.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "CRC_C_KAZ_RQ_5-6_fr.docx"
    document.save(path)
    call_command("import_document", str(path), "--kind", "replies")
    assert ReplyParagraph.objects.count() == 274
    assert Document.objects.get(symbol="CRC/C/KAZ/RQ/5-6").source_name == "CRC_C_KAZ_RQ_5-6_fr.docx"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("scanned_page.pdf", r"scanned_page.pdf .*no text"),
        ("encrypted_views.pdf", r"encrypted_views.pdf .*(?:encrypted|password)"),
    ],
)
def test_a_pdf_without_readable_text_is_refused_and_nothing_saved(name, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_document", str(DATA / name), "--kind", "concluding-observations")
    assert not Document.objects.exists()


def test_a_pdf_of_another_kind_of_document_is_refused_naming_the_file():
    # The real Working Group report of Slovenia is no set of concluding observations.
    path = DATA / "A_HRC_28_15_Working_Group_Report_Slovenia.pdf"
    with pytest.raises(CommandError, match=r"A_HRC_28_15_Working_Group_Report_Slovenia.pdf: "):
        call_command("import_document", str(path), "--kind", "concluding-observations")
    assert not Document.objects.exists()


def test_the_wrong_kind_says_which_kind_to_choose(tmp_path: Path):
    path = settings.BASE_DIR / "tests" / "tracker" / "documents" / "loi_crc_en.txt"
    with pytest.raises(CommandError, match="choose the kind “list-of-issues” for this file"):
        call_command("import_document", str(path), "--kind", "concluding-observations")
    assert not Document.objects.exists()
