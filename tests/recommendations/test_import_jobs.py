import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from recommendations import tasks
from recommendations.models import ImportJob, Recommendation
from tests.helpers import make_user
from tests.recommendations.test_recommendation_import_admin import hidden_fields, preview

DATA = Path(__file__).parent.parent / "data"
UPR_INFO = DATA / "upr-info-export-sessions-01-05.csv"
LIST = DATA / "UPR20_Slovenia_ThematicListRecommendations_E.docx"
URL = reverse("admin:recommendations_recommendation_import")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def background(settings) -> None:
    settings.TRACKER_BACKGROUND_IMPORT_BYTES = 0  # every file is large


def confirm(client, path: Path, data: bytes | None = None):
    """Confirm the import of a file on the admin's import page, as after its preview (which
    stored the file, and which the tests of that page cover)."""
    stored = default_storage.save(
        f"imports/{secrets.token_hex(16)}{path.suffix}",
        ContentFile(path.read_bytes() if data is None else data),
    )
    return client.post(URL, {
        "upload": stored.removeprefix("imports/"), "file_name": path.name, "confirm": "Confirm",
    })


@pytest.fixture
def run_worker(monkeypatch) -> Callable[[], None]:
    """Run the background worker until the queue is empty."""
    # Between tasks the worker closes a connection left in a transaction, as the test's own is
    # (the import's changes are rolled back after the test): on PostgreSQL that would end it.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, verbosity=0
    )


def job_page(job: ImportJob) -> str:
    return reverse("admin:recommendations_importjob_change", args=[job.pk])


@pytest.mark.django_db
def test_confirming_a_large_file_queues_a_job_and_opens_its_page(admin_client, admin_user):
    fields = hidden_fields(preview(admin_client, LIST))

    response = admin_client.post(URL, {**fields, "confirm": "Confirm and import"})

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job_page(job)
    assert job.state == ImportJob.State.QUEUED
    assert (job.user, job.file_name, job.format) == (admin_user, LIST.name, "upr-matrix")
    assert default_storage.exists(job.stored_file)  # the worker reads it
    # The task waits in the database queue for the worker, with the job's id.
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "recommendations.tasks.import_file_in_background"
    assert queued.args_kwargs == {"args": [job.pk, f"http://testserver{job_page(job)}"], "kwargs": {}}
    assert Recommendation.objects.count() == 0


@pytest.mark.django_db
def test_a_small_file_is_still_imported_at_once(admin_client, settings):
    settings.TRACKER_BACKGROUND_IMPORT_BYTES = 2 * 1024 * 1024

    response = confirm(admin_client, LIST)

    assert response["Location"] == reverse("admin:recommendations_recommendation_changelist")
    assert Recommendation.objects.count() == 163
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_the_worker_imports_the_file_marks_the_job_done_and_e_mails_the_user(
    admin_client, admin_user, media_root, mailoutbox, run_worker
):
    confirm(admin_client, UPR_INFO)

    run_worker()

    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.DONE
    assert job.rows_read == 6094
    assert job.started_at <= job.finished_at
    assert "upr-info-export-sessions-01-05.csv (UPR Info database export (.csv)): 6094 rows read." \
        in job.summary
    assert "Recommendations: 6094 created, 0 updated, 0 unchanged." in job.summary
    assert Recommendation.objects.count() == 6094
    assert Recommendation.objects.filter(position="supported").count() == 4087
    assert Recommendation.objects.filter(position="noted").count() == 2007
    assert list((media_root / "imports").iterdir()) == []  # the upload is deleted
    assert DBTaskResult.objects.get(task_path__endswith="import_file_in_background").status == "SUCCESSFUL"
    [mail] = mailoutbox
    assert mail.to == [admin_user.email]
    assert mail.subject == "Your import of upr-info-export-sessions-01-05.csv finished"
    assert "Recommendations: 6094 created" in mail.body
    # The worker knows no address of the site: the request that queued the job gave it.
    assert mail.body.endswith(f"\n\nhttp://testserver{job_page(job)}")


@pytest.mark.django_db
def test_a_malformed_file_fails_the_job_and_imports_nothing(
    admin_client, media_root, mailoutbox, run_worker
):
    data = UPR_INFO.read_bytes().replace(b"\rAfghanistan,", b"\r,", 1)  # row 2 loses its State
    confirm(admin_client, UPR_INFO, data)

    run_worker()

    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.FAILED
    assert job.error == (
        "upr-info-export-sessions-01-05.csv: the file was not imported; 1 row must be corrected "
        "first: row 2: no State under review (To)"
    )
    assert Recommendation.objects.count() == 0
    assert list((media_root / "imports").iterdir()) == []
    [mail] = mailoutbox
    assert mail.subject == "Your import of upr-info-export-sessions-01-05.csv failed"
    assert "row 2: no State under review (To)" in mail.body


@pytest.mark.django_db
def test_an_unexpected_error_fails_the_job_and_the_task(
    admin_client, monkeypatch, mailoutbox, run_worker
):
    confirm(admin_client, LIST)

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(tasks, "import_recommendation_file", crash)
    run_worker()

    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.FAILED
    assert "unexpected error; nothing was imported" in job.error
    assert "disk full" not in job.error  # the details are for the worker's log, not the user
    # Raised again, so that the worker logs it and the queue records the task as failed.
    assert DBTaskResult.objects.get().status == "FAILED"
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_job_whose_upload_is_gone_fails_with_a_message(admin_client, run_worker):
    confirm(admin_client, LIST)
    default_storage.delete(ImportJob.objects.get().stored_file)

    run_worker()

    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.FAILED
    assert job.error == "The uploaded file is no longer here: upload it again."


@pytest.mark.django_db
def test_the_job_page_shows_progress_and_refreshes_itself_while_the_job_runs(admin_client):
    confirm(admin_client, LIST)
    job = ImportJob.objects.get()
    job.start()
    ImportJob.objects.filter(pk=job.pk).update(rows_read=1500)

    page = admin_client.get(job_page(job)).content.decode()

    assert "Importing: 1500 rows read so far." in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "<script>" not in page  # nothing inline: the coming Content-Security-Policy


@pytest.mark.django_db
def test_the_job_page_shows_the_result_and_says_once_that_the_job_ended(admin_client, run_worker):
    confirm(admin_client, LIST)
    run_worker()
    job = ImportJob.objects.get()

    page = admin_client.get(job_page(job)).content.decode()

    assert "http-equiv=\"refresh\"" not in page
    assert "Recommendations: 163 created, 0 updated, 0 unchanged." in page
    assert (
        "Your import of UPR20_Slovenia_ThematicListRecommendations_E.docx finished: "
        "UPR20_Slovenia_ThematicListRecommendations_E.docx (OHCHR UPR thematic list of "
        "recommendations (.docx)): 163 rows read." in page
    )
    # Told once: the list, opened next, no longer says it.
    listing = admin_client.get(reverse("admin:recommendations_importjob_changelist"))
    assert "Your import of" not in listing.content.decode()
    assert ImportJob.objects.get().announced


@pytest.mark.django_db
def test_the_job_list_shows_state_and_progress_and_refreshes_while_a_job_is_unfinished(
    admin_client,
):
    confirm(admin_client, LIST)

    page = admin_client.get(reverse("admin:recommendations_importjob_changelist"))

    assert '<td class="field-state">queued</td>' in page.content.decode()
    assert '<td class="field-progress">0</td>' in page.content.decode()
    assert '<meta http-equiv="refresh" content="5">' in page.content.decode()


@pytest.mark.django_db
def test_an_importer_sees_only_their_own_jobs(client, admin_client, django_user_model):
    confirm(admin_client, LIST)
    job = ImportJob.objects.get()
    importer = make_user("importer", is_staff=True)
    importer.user_permissions.add(
        *importer.user_permissions.model.objects.filter(codename="add_recommendation")
    )
    client.force_login(importer)

    listing = client.get(reverse("admin:recommendations_importjob_changelist"))
    other = client.get(job_page(job))

    assert listing.status_code == 200
    assert LIST.name not in listing.content.decode()
    assert other.status_code == 302  # "does not exist", back to the admin's index


@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_outside_the_import_transaction_while_it_runs(
    reference_data, admin_client, monkeypatch
):
    """What another connection (the admin's job page) sees of the job during the import."""
    confirm(admin_client, UPR_INFO)
    job = ImportJob.objects.get()
    seen = []
    real_import = tasks.import_recommendation_file

    def read_progress() -> int:
        try:
            return ImportJob.objects.get(pk=job.pk).progress
        finally:
            connections.close_all()

    def import_and_watch(*args, progress, **kwargs):
        def watch(rows: int) -> None:
            progress(rows)
            with ThreadPoolExecutor(max_workers=1) as elsewhere:  # so, another connection
                seen.append(elsewhere.submit(read_progress).result())

        return real_import(*args, progress=watch, **kwargs)

    monkeypatch.setattr(tasks, "import_recommendation_file", import_and_watch)
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    assert seen[0] == 500
    assert seen == sorted(seen)
    assert seen[-1] == 6094
    assert ImportJob.objects.get().rows_read == 6094
