"""The admin's import uploads are checked by their content and size before anything is read or
stored: a program or a web page renamed .xlsx, .docx, .csv or .txt is refused with a message."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations.models import Recommendation
from tracker.models import Document

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent.parent / "data"
RECOMMENDATIONS_URL = reverse("admin:recommendations_recommendation_import")
DOCUMENTS_URL = reverse("admin:tracker_document_import")
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256)) * 4
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64
WEB_PAGE = b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>"
SVG = b"\xef\xbb\xbf  <svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"


def zip_of(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def import_recommendations(client, name: str, data: bytes, **fields):
    return client.post(
        RECOMMENDATIONS_URL, {"file": SimpleUploadedFile(name, data), "preview": "Preview", **fields}
    )


def import_document(client, name: str, data: bytes):
    return client.post(
        DOCUMENTS_URL, {"kind": "replies", "file": SimpleUploadedFile(name, data), "preview": "1"}
    )


@pytest.mark.parametrize("name, data", [
    ("export.xlsx", EXECUTABLE), ("export.xlsx", WEB_PAGE), ("export.xlsx", zip_of("payload.exe")),
    ("export.xlsx", zip_of("word/document.xml")), ("list.docx", EXECUTABLE),
    ("list.docx", WEB_PAGE), ("list.docx", zip_of("xl/workbook.xml")),
], ids=["xlsx-executable", "xlsx-web-page", "xlsx-other-zip", "xlsx-word-archive",
        "docx-executable", "docx-web-page", "docx-excel-archive"])
def test_it_refuses_a_recommendation_file_that_is_not_the_office_file_its_name_says(
    admin_client, media_root, name, data
):
    # The explicit format skips detection: only the upload check stands in the way.
    format = "uhri" if name.endswith(".xlsx") else "upr-matrix"
    response = import_recommendations(admin_client, name, data, format=format)

    assert response.status_code == 200
    assert f"{name} is not the kind of file its name says." in response.content.decode()
    assert not (media_root / "imports").exists()
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("name", ["export.csv", "report.txt", "report.md", "no-extension"])
@pytest.mark.parametrize("data", [EXECUTABLE, ELF, WEB_PAGE, SVG, zip_of("xl/workbook.xml")],
                         ids=["executable", "elf", "web-page", "svg", "zip"])
def test_it_refuses_a_recommendation_text_file_that_is_a_program_or_a_web_page(
    admin_client, media_root, name, data
):
    response = import_recommendations(admin_client, name, data, format="uhri")

    assert f"{name} is not a text file: upload the CSV or text file itself." in response.content.decode()
    assert not (media_root / "imports").exists()
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("name", ["export.csv", "export.xlsx"])
def test_it_refuses_a_recommendation_file_over_the_size_limit(admin_client, settings, media_root, name):
    settings.TRACKER_MAX_UPLOAD_BYTES = 100
    data = zip_of("xl/workbook.xml") if name.endswith(".xlsx") else b"Text,Countries concerned\n" * 10

    response = import_recommendations(admin_client, name, data)

    assert f"{name} is larger than 100\xa0bytes." in response.content.decode()
    assert not (media_root / "imports").exists()


def test_it_still_previews_the_real_files(admin_client):
    for path in (DATA / "UPR20_Slovenia_ThematicListRecommendations_E.docx",
                 DATA / "upr-info-export-sessions-01-05.csv",
                 DATA / "A_HRC_28_15_Working_Group_Report_Slovenia.md"):
        response = import_recommendations(admin_client, path.name, path.read_bytes())

        assert b"import-confirm" in response.content, path.name


@pytest.mark.parametrize("data", [EXECUTABLE, ELF, WEB_PAGE, SVG, b"text\x00with a NUL byte"],
                         ids=["executable", "elf", "web-page", "svg", "nul"])
def test_it_refuses_a_document_text_that_is_a_program_or_a_web_page(admin_client, data):
    response = import_document(admin_client, "CRC_C_KAZ_RQ_5-6_fr.txt", data)

    assert "CRC_C_KAZ_RQ_5-6_fr.txt is not a text file" in response.content.decode()
    assert not Document.objects.exists()


def test_it_refuses_a_document_text_over_the_size_limit(admin_client, settings):
    settings.TRACKER_MAX_UPLOAD_BYTES = 10

    response = import_document(admin_client, "replies.txt", b"CRC/C/KAZ/RQ/5-6\n" * 3)

    assert "replies.txt is larger than 10\xa0bytes." in response.content.decode()
    assert not Document.objects.exists()
