import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tracker.models import Document, ReplySection

pytestmark = pytest.mark.django_db

SEED = (settings.BASE_DIR / "fixtures" / "seeds" / "CRC_C_KAZ_RQ_5-6_fr.txt").read_bytes()
URL = reverse("admin:tracker_document_import")


def test_the_changelist_links_to_the_import_page(admin_client):
    response = admin_client.get(reverse("admin:tracker_document_changelist"))
    assert URL in response.content.decode()


def test_the_preview_shows_sections_links_tables_and_warnings_and_creates_nothing(admin_client):
    upload = SimpleUploadedFile("replies.txt", SEED, content_type="text/plain")
    response = admin_client.post(URL, {"kind": "replies", "file": upload, "preview": "1"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview — nothing has been saved yet" in page
    assert "79 sections" in page
    assert "Réponse concernant le paragraphe 19 b) de la liste de points" in page
    assert "18 (a), 18 (b), 18 (c), 18 (d), 18 (e), 18 (f)" in page
    assert "Enfants vivant en institution (3 rows)" in page
    assert not Document.objects.exists()


def test_confirming_imports_exactly_the_previewed_text(admin_client):
    upload = SimpleUploadedFile("replies.txt", SEED, content_type="text/plain")
    preview = admin_client.post(URL, {"kind": "replies", "file": upload, "preview": "1"})
    form = preview.context["form"]
    # The preview carries the text forward in the form; confirming posts it back.
    response = admin_client.post(URL, {
        "kind": "replies", "text": form.initial["text"], "source_name": "replies.txt", "confirm": "1",
    })

    document = Document.objects.get(symbol="CRC/C/KAZ/RQ/5-6")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:tracker_document_change", args=[document.pk])
    assert ReplySection.objects.count() == 79
    assert document.source_name == "replies.txt"


def test_bad_input_is_shown_on_the_form_and_changes_nothing(admin_client):
    upload = SimpleUploadedFile("notes.txt", "Quelques notes sans titre.".encode(), content_type="text/plain")
    response = admin_client.post(URL, {"kind": "replies", "file": upload, "preview": "1"})
    assert response.status_code == 200
    assert "no heading" in response.content.decode()
    assert not Document.objects.exists()


def test_an_empty_form_asks_for_a_file_or_text(admin_client):
    response = admin_client.post(URL, {"kind": "replies", "preview": "1"})
    assert "Upload a text file or paste the document" in response.content.decode()


DATA = settings.BASE_DIR / "tests" / "data"


def docx_of(text: str) -> bytes:
    import io

    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def preview_upload(client, kind: str, name: str, data: bytes) -> str:
    upload = SimpleUploadedFile(name, data)
    return client.post(URL, {"kind": kind, "file": upload, "preview": "1"}).content.decode()


def test_a_word_file_is_previewed_like_its_text(admin_client):
    # Named .txt on purpose: the format is read from the content, not the name.
    page = preview_upload(admin_client, "replies", "replies.txt", docx_of(SEED.decode("utf-8")))
    assert "Preview — nothing has been saved yet" in page
    assert "79 sections" in page
    assert not Document.objects.exists()


def test_a_scanned_pdf_is_refused_on_the_form_naming_the_file(admin_client):
    data = (DATA / "scanned_page.pdf").read_bytes()
    page = preview_upload(admin_client, "concluding-observations", "scan.pdf", data)
    assert "scan.pdf" in page and "Preview — nothing has been saved yet" not in page
    assert not Document.objects.exists()


def test_the_wrong_kind_is_refused_naming_the_file_and_the_kind_to_choose(admin_client):
    text = (DATA.parent / "tracker" / "documents" / "loi_crc_en.txt").read_bytes()
    page = preview_upload(admin_client, "concluding-observations", "loi.txt", text)
    assert "loi.txt: looks like a list of issues, not concluding observations" in page
    assert "choose the kind “list-of-issues” for this file" in page
    assert not Document.objects.exists()


def test_the_preview_groups_warnings_by_kind(admin_client):
    # The invented CRC observations with paragraph 20 numbered 21: one skip warning.
    text = (DATA.parent / "tracker" / "documents" / "co_crc_en.txt").read_text(encoding="utf-8")
    text = text.replace("\n20.", "\n21.", 1)
    response = admin_client.post(URL, {"kind": "concluding-observations", "text": text, "preview": "1"})
    page = response.content.decode()
    assert "1 × paragraph numbering jumps to …: no paragraph …" in page
    assert "Line 241: paragraph numbering jumps to 21: no paragraph 20" in page
