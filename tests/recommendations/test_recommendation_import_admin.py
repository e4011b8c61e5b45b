import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations.models import Recommendation
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent.parent / "data"
REPORT = DATA / "A_HRC_28_15_Working_Group_Report_Slovenia.md"
LIST = DATA / "UPR20_Slovenia_ThematicListRecommendations_E.docx"
URL = reverse("admin:recommendations_recommendation_import")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(path: Path, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes() if data is None else data)


def stored_uploads(media_root: Path) -> list[Path]:
    return sorted((media_root / "imports").glob("*")) if (media_root / "imports").exists() else []


def hidden_fields(response) -> dict[str, str]:
    """The confirmation form's hidden fields, as the browser would send them back."""
    form = response.content.decode().split('class="import-confirm"')[1].split("</form>")[0]
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))


def preview(client, path: Path, **fields):
    return client.post(URL, {"file": upload(path), "preview": "Preview", **fields})


def test_the_changelist_links_to_the_import_page(admin_client):
    response = admin_client.get(reverse("admin:recommendations_recommendation_changelist"))

    assert URL in response.content.decode()
    assert "Import recommendations" in response.content.decode()


def test_the_import_page_opens(admin_client):
    response = admin_client.get(URL)

    assert response.status_code == 200
    assert b'name="file"' in response.content


def test_the_import_page_is_for_staff_who_may_add_recommendations(client):
    user = make_user("staff", is_staff=True)
    client.force_login(user)

    assert client.get(URL).status_code == 403


def test_the_preview_shows_what_would_be_imported_and_creates_nothing(admin_client, media_root):
    response = preview(admin_client, LIST)

    assert response.status_code == 200
    page = response.content.decode()
    assert "nothing has been saved yet" in page
    assert "OHCHR UPR thematic list of recommendations" in page  # detected
    assert "<th scope=\"row\">Recommendations to create</th><td>163</td>" in page
    assert "<th scope=\"row\">Position: Supported</th><td>142</td>" in page
    assert "<th scope=\"row\">Position: Noted</th><td>21</td>" in page
    assert page.count("<td>115.") == 50  # the first 50 records
    assert "Confirm and import" in page
    assert Recommendation.objects.count() == 0
    # The file waits for the confirmation under a random name.
    [stored] = stored_uploads(media_root)
    assert re.fullmatch(r"[0-9a-f]{32}\.docx", stored.name)


def test_confirming_imports_the_previewed_file_and_deletes_it(admin_client, media_root):
    fields = hidden_fields(preview(admin_client, LIST))
    assert fields["format"] == "upr-matrix"

    response = admin_client.post(URL, {**fields, "confirm": "Confirm and import"})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:recommendations_recommendation_changelist")
    assert Recommendation.objects.count() == 163
    assert Recommendation.objects.filter(position="supported").count() == 142
    assert stored_uploads(media_root) == []


def test_a_preview_again_with_other_options_reuses_the_stored_file(admin_client, media_root):
    fields = hidden_fields(preview(admin_client, REPORT))

    response = admin_client.post(URL, {**fields, "format": "upr-report", "session": "21"})

    page = response.content.decode()
    assert '<th scope="row">Recommendations to create</th><td>163</td>' in page
    assert len(stored_uploads(media_root)) == 1


def test_a_bad_file_shows_the_error_and_creates_nothing(admin_client):
    text = REPORT.read_text().replace("II. Conclusions and/or recommendations**", "II. Other")

    response = admin_client.post(URL, {"file": upload(REPORT, text.encode()), "preview": "Preview"})

    assert response.status_code == 200
    assert (
        f"{REPORT.name}: no &quot;Conclusions and/or recommendations&quot; section"
        in response.content.decode()
    )
    assert "Confirm and import" not in response.content.decode()
    assert Recommendation.objects.count() == 0


def test_rows_that_refuse_the_file_are_listed(admin_client):
    data = (DATA / "upr-info-export-sessions-01-05.csv").read_bytes()
    data = data.replace(b"\rAfghanistan,", b"\r,", 1)  # row 2 loses its State

    response = admin_client.post(
        URL, {"file": SimpleUploadedFile("upr-info.csv", data), "preview": "Preview"}
    )

    assert "upr-info.csv: the file was not imported; 1 row must be corrected first: row 2: " \
           "no State under review (To)" in response.content.decode()
    assert Recommendation.objects.count() == 0


@pytest.mark.parametrize("token", ["../../settings.py", "0" * 31 + ".csv", "A" * 32, "f" * 32])
def test_a_forged_or_unknown_upload_token_is_refused(admin_client, token):
    response = admin_client.post(URL, {"upload": token, "format": "upr-report", "confirm": "1"})

    assert response.status_code == 200
    assert "The uploaded file is no longer here: upload it again." in response.content.decode()
    assert Recommendation.objects.count() == 0


def test_an_unknown_encoding_is_refused(admin_client):
    response = preview(admin_client, REPORT, encoding="klingon")

    assert "Unknown text encoding." in response.content.decode()
