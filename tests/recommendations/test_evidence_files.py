import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recommendations.models import EvidenceFile, FollowUpAssessment, Role, Status
from tests.helpers import make_organisation, make_recommendation, make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def coalition():
    return make_organisation("Coalition")


@pytest.fixture
def staff(client, coalition):
    user = make_user(organisation=coalition, role=Role.NGO_STAFF)
    client.force_login(user)
    return user


def log(client, recommendation, *files, **fields):
    data = {"status": Status.IN_PROGRESS, "date": "2025-06-01", "summary": "See the report.",
            "files": list(files), "draft": ""}
    data.update(fields)
    return client.post(f"/recommendations/{recommendation.pk}/follow-up/", data)


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_pdf_is_stored_under_media_root_and_served_to_the_organisation(client, staff, settings):
    response = log(client, make_recommendation(),
                   SimpleUploadedFile("report.pdf", PDF, "application/pdf"))
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.name, evidence.content_type, evidence.size) == ("report.pdf", "application/pdf", len(PDF))
    # Stored under a random name inside MEDIA_ROOT/evidence/.
    assert evidence.file.name.startswith("evidence/") and "report" not in evidence.file.name
    assert (settings.MEDIA_ROOT / evidence.file.name).read_bytes() == PDF

    download = client.get(f"/follow-up/files/{evidence.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert 'attachment; filename="report.pdf"' == download["Content-Disposition"]


def test_a_word_file_is_accepted(client, staff):
    log(client, make_recommendation(), SimpleUploadedFile("letter.docx", docx()))
    assert EvidenceFile.objects.get().content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize("name,content", [
    ("report.pdf", EXE),  # an executable renamed .pdf
    ("notes.docx", PDF),  # a PDF renamed .docx
    ("archive.xlsx", docx()),  # a Word file renamed .xlsx
    ("run.exe", EXE),
])
def test_a_file_that_is_not_what_its_name_says_is_refused(client, staff, name, content):
    response = log(client, make_recommendation(), SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert not FollowUpAssessment.objects.exists() and not EvidenceFile.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, staff, settings):
    settings.TRACKER_MAX_UPLOAD_BYTES = 100
    response = log(client, make_recommendation(),
                   SimpleUploadedFile("big.pdf", PDF + b"0" * 100))
    assert response.status_code == 400
    assert "larger than" in response.content.decode()


def test_a_drafts_file_is_refused_to_another_organisation(client, staff):
    log(client, make_recommendation(), SimpleUploadedFile("report.pdf", PDF))
    evidence = EvidenceFile.objects.get()
    client.force_login(make_user(organisation=make_organisation(), role=Role.NGO_STAFF))
    assert client.get(f"/follow-up/files/{evidence.pk}/").status_code == 403
