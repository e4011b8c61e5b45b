"""Imports through the API: data-entry staff upload a real UPR Info export, the background
worker imports it, the job's endpoint reports its state, progress and result; a file that is not
what its name says is refused with the admin's own message."""

from __future__ import annotations

from pathlib import Path

import pytest

from recommendations.models import ImportJob, Recommendation, Role
from tests.api.helpers import token_client
from tests.helpers import make_user
from tests.recommendations.test_import_jobs import run_worker  # noqa: F401 (a fixture)

UPR_INFO = Path(__file__).parent.parent / "data" / "upr-info-export-sessions-01-05.csv"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_an_import_is_queued_and_its_progress_and_result_reported(db, run_worker):
    client = token_client(make_user(role=Role.DATA_ENTRY))
    with UPR_INFO.open("rb") as upload:
        response = client.post("/api/imports/", {"file": upload})
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["state"] == "queued" and job["file_name"] == UPR_INFO.name
    run_worker()
    job = client.get(job["url"]).json()
    assert job["state"] == "done" and job["progress"] == 6094
    assert "Recommendations: 6094 created" in job["summary"]
    assert Recommendation.objects.count() == 6094
    assert ImportJob.objects.get().user.username.startswith("user")


def test_a_program_renamed_csv_is_refused_before_it_is_stored(db, tmp_path):
    program = tmp_path / "export.csv"
    program.write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    client = token_client(make_user(role=Role.DATA_ENTRY))
    with program.open("rb") as upload:
        response = client.post("/api/imports/", {"file": upload})
    assert response.status_code == 400
    assert response.json()["fields"]["file"] == [
        "export.csv is not a text file: upload the CSV or text file itself."
    ]
    assert not ImportJob.objects.exists()


def test_only_those_who_may_add_recommendations_import(db):
    client = token_client(make_user(role=Role.NGO_STAFF))
    with UPR_INFO.open("rb") as upload:
        assert client.post("/api/imports/", {"file": upload}).status_code == 403
