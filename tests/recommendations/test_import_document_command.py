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
