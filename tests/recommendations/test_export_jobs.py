import io
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils.http import urlencode
from django_tasks_db.models import DBTaskResult

from recommendations import exports, tasks
from recommendations.models import ExportJob, Role
from tests.helpers import make_cycle, make_recommendation, make_user
from tests.recommendations.test_import_jobs import run_worker  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

CSV_URL = reverse("recommendations:export-csv")
XLSX_URL = reverse("recommendations:export-xlsx")
UHRI_URL = reverse("recommendations:export-uhri")
QUERY = {"mechanism": "CRC"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def background(settings) -> None:
    settings.TRACKER_BACKGROUND_EXPORT_ROWS = 3  # the five CRC recommendations make a large export


@pytest.fixture(autouse=True)
def recommendations(reference_data) -> None:
    crc = make_cycle("KAZ", "CRC", "5-6", is_current=True)
    for number in range(5):
        make_recommendation(crc, reference=f"{number + 1}", text=f"=Recommendation {number}")
    make_recommendation(make_cycle("KAZ", "CAT", "3", is_current=True), reference="other")


@pytest.fixture
def user():
    return make_user("exporter", role=Role.VIEWER, email="exporter@example.org")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def direct(client, settings, url: str) -> bytes:
    """The export as the link gives it when it is small enough."""
    settings.TRACKER_BACKGROUND_EXPORT_ROWS = 0
    response = client.get(url, QUERY)
    return b"".join(response.streaming_content)


def confirm(client, url: str):
    """The confirmation page's POST: to the export's address, with the list's filters."""
    return client.post(f"{url}?{urlencode(QUERY)}")


def xlsx_rows(content: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))


def test_a_large_export_asks_for_confirmation_and_queues_nothing(signed_in):
    response = signed_in.get(UHRI_URL, QUERY)

    page = response.content.decode()
    assert response.status_code == 200
    assert "This list has more than 3 rows: it will be prepared in the background" in page
    assert "Export (CSV in the UHRI layout)" in page
    assert f'<form method="post" action="{UHRI_URL}?mechanism=CRC">' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert f'href="{reverse("recommendations:list")}?mechanism=CRC"' in page
    assert "<script>" not in page and "style=" not in page  # the Content-Security-Policy
    assert not ExportJob.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_confirming_a_large_export_queues_a_job_and_opens_its_page(signed_in, user):
    response = confirm(signed_in, XLSX_URL)

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("recommendations:export-job", args=[job.pk])
    assert (job.user, job.format, job.query, job.state) == (user, "xlsx", "mechanism=CRC", "queued")
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "recommendations.tasks.export_in_background"
    assert queued.args_kwargs == {
        "args": [job.pk, f"http://testserver{job.get_absolute_url()}"], "kwargs": {}
    }


def test_confirming_again_while_the_job_waits_opens_the_same_job(signed_in):
    first = confirm(signed_in, CSV_URL)
    second = confirm(signed_in, CSV_URL)

    assert first["Location"] == second["Location"]
    assert ExportJob.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_the_link_opens_the_waiting_job_rather_than_asking_again(signed_in):
    job_page = confirm(signed_in, CSV_URL)["Location"]

    response = signed_in.get(CSV_URL, QUERY)

    assert response.status_code == 302
    assert response["Location"] == job_page
    assert ExportJob.objects.count() == 1


def test_an_anonymous_confirmation_is_sent_to_sign_in_and_queues_nothing(client):
    response = confirm(client, CSV_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not ExportJob.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_confirming_a_small_export_sends_back_to_its_download(signed_in, settings):
    settings.TRACKER_BACKGROUND_EXPORT_ROWS = 5

    response = confirm(signed_in, CSV_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{CSV_URL}?mechanism=CRC"
    assert not ExportJob.objects.exists()


def test_a_small_export_is_still_downloaded_at_once(signed_in, settings):
    settings.TRACKER_BACKGROUND_EXPORT_ROWS = 5

    response = signed_in.get(CSV_URL, QUERY)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert not ExportJob.objects.exists()


def test_an_anonymous_reader_is_asked_to_sign_in_or_narrow_the_filters(client):
    response = client.get(XLSX_URL, QUERY, follow=True)

    assert response.redirect_chain[0][0] == f"{reverse('recommendations:list')}?mechanism=CRC"
    assert (
        "This export has more than 3 rows: sign in to have it prepared in the background, or "
        "narrow the filters." in response.content.decode()
    )
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("url", [CSV_URL, UHRI_URL])
def test_the_worker_writes_the_same_csv_file_as_the_direct_download(
    signed_in, settings, run_worker, url  # noqa: F811
):
    confirm(signed_in, url)

    run_worker()

    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.DONE
    assert (job.rows_written, job.total_rows) == (5, 5)
    assert job.started_at <= job.finished_at
    with default_storage.open(job.stored_file) as file:
        written = file.read()
    assert written == direct(signed_in, settings, url)


def test_the_worker_writes_the_same_workbook_as_the_direct_download(
    signed_in, settings, run_worker  # noqa: F811
):
    confirm(signed_in, XLSX_URL)

    run_worker()

    job = ExportJob.objects.get()
    with default_storage.open(job.stored_file) as file:
        written = xlsx_rows(file.read())
    settings.TRACKER_BACKGROUND_EXPORT_ROWS = 0
    assert written == xlsx_rows(signed_in.get(XLSX_URL, QUERY).getvalue())
    assert len(written) == 6
    assert written[1][6] == "=Recommendation 0"  # text, never a formula


def test_the_job_records_how_many_rows_it_has_written_as_it_goes(
    signed_in, monkeypatch, run_worker  # noqa: F811
):
    confirm(signed_in, CSV_URL)
    monkeypatch.setattr(tasks, "CHUNK_SIZE", 2)
    seen = []
    real_lines = exports.csv_lines

    def watch(rows):
        def watched():
            for row in rows:
                seen.append(ExportJob.objects.get().rows_written)
                yield row

        return real_lines(watched())

    monkeypatch.setattr(exports, "csv_lines", watch)

    run_worker()

    # The heading row, then five rows; the count is saved after every second one.
    assert seen == [0, 0, 0, 2, 2, 4]
    assert ExportJob.objects.get().rows_written == 5


def test_the_job_page_shows_progress_and_refreshes_itself_while_the_job_runs(signed_in):
    confirm(signed_in, CSV_URL)
    job = ExportJob.objects.get()
    job.start()
    ExportJob.objects.filter(pk=job.pk).update(rows_written=2, total_rows=5)

    page = signed_in.get(job.get_absolute_url()).content.decode()

    assert "2 of 5" in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Download" not in page
    assert "<script>" not in page and "style=" not in page  # the Content-Security-Policy


def test_the_owner_is_told_once_and_downloads_the_file(
    signed_in, user, mailoutbox, run_worker  # noqa: F811
):
    confirm(signed_in, XLSX_URL)
    run_worker()
    job = ExportJob.objects.get()

    page = signed_in.get(job.get_absolute_url()).content.decode()
    download = signed_in.get(reverse("recommendations:export-download", args=[job.pk]))

    assert "http-equiv=\"refresh\"" not in page
    assert "Your export is ready: 5 rows." in page
    assert ExportJob.objects.get().announced
    assert "Your export is ready" not in signed_in.get(job.get_absolute_url()).content.decode()
    assert download.status_code == 200
    assert download["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert download["Content-Disposition"].startswith('attachment; filename="recommendations-')
    assert len(xlsx_rows(b"".join(download.streaming_content))) == 6
    [mail] = mailoutbox
    assert mail.to == [user.email]
    assert mail.subject == "Your export is ready"
    assert "Your export of 5 rows is ready." in mail.body
    # The worker knows no address of the site: the request that queued the job gave it.
    assert mail.body.endswith(f"\n\nhttp://testserver{job.get_absolute_url()}")


def test_only_the_owner_sees_the_job_and_its_file(signed_in, client, run_worker):  # noqa: F811
    confirm(signed_in, CSV_URL)
    run_worker()
    job = ExportJob.objects.get()
    download_url = reverse("recommendations:export-download", args=[job.pk])
    client.logout()

    anonymous = client.get(download_url)
    client.force_login(make_user("other", role=Role.VIEWER))
    other_page = client.get(job.get_absolute_url())
    other_download = client.get(download_url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    assert other_page.status_code == 404
    assert other_download.status_code == 404


def test_a_file_removed_after_a_day_is_no_longer_offered(
    signed_in, run_worker, media_root  # noqa: F811
):
    confirm(signed_in, CSV_URL)
    run_worker()
    job = ExportJob.objects.get()
    day_old = time.time() - 25 * 3600
    os.utime(media_root / job.stored_file, (day_old, day_old))

    # The next export that ends removes the files of those before it.
    confirm(signed_in, UHRI_URL)
    run_worker()

    page = signed_in.get(job.get_absolute_url()).content.decode()
    assert not default_storage.exists(job.stored_file)
    assert "The file has been removed" in page
    assert signed_in.get(
        reverse("recommendations:export-download", args=[job.pk])
    ).status_code == 404


def test_an_unexpected_error_fails_the_job_with_a_message_and_tells_the_user(
    signed_in, monkeypatch, mailoutbox, media_root, run_worker  # noqa: F811
):
    confirm(signed_in, CSV_URL)

    def crash(rows):
        raise RuntimeError("disk full")
        yield  # a generator, as csv_lines is

    monkeypatch.setattr(exports, "csv_lines", crash)
    run_worker()

    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.FAILED
    assert "unexpected error" in job.error
    assert "disk full" not in job.error  # the details are for the worker's log
    assert DBTaskResult.objects.get().status == "FAILED"
    assert not (media_root / "exports").exists() or not list((media_root / "exports").iterdir())
    page = signed_in.get(job.get_absolute_url()).content.decode()
    assert "Your export failed: The export stopped on an unexpected error." in page
    [mail] = mailoutbox
    assert mail.subject == "Your export failed"


def test_filters_no_longer_valid_fail_the_job(signed_in, run_worker):  # noqa: F811
    confirm(signed_in, CSV_URL)
    ExportJob.objects.update(query="cycle=not-a-number")

    run_worker()

    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.FAILED
    assert job.error.startswith("The list's filters are no longer valid")


def test_the_export_is_written_in_the_language_of_the_list(signed_in, run_worker):  # noqa: F811
    confirm(signed_in, CSV_URL)
    ExportJob.objects.update(language="fr")  # as when the list was read in French

    run_worker()

    with default_storage.open(ExportJob.objects.get().stored_file) as file:
        assert file.read().decode("utf-8-sig").startswith("Paragraphe,")


def test_the_admin_lists_export_jobs_read_only(admin_client, user):
    job = ExportJob.objects.create(user=user, format="xlsx", query="mechanism=CRC")

    listing = admin_client.get(reverse("admin:recommendations_exportjob_changelist"))
    page = admin_client.get(reverse("admin:recommendations_exportjob_change", args=[job.pk]))

    assert listing.status_code == 200
    assert "exporter" in listing.content.decode()
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.get(reverse("admin:recommendations_exportjob_add")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_from_another_connection_while_the_worker_writes(
    signed_in, monkeypatch
):
    """Outside a test's transaction, as in production: the job's page reads the count while the
    export still reads its rows in chunks."""
    confirm(signed_in, CSV_URL)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    monkeypatch.setattr(tasks, "CHUNK_SIZE", 2)
    seen = []
    real_lines = exports.csv_lines

    def read_progress() -> int:
        try:
            return ExportJob.objects.get().rows_written
        finally:
            connections.close_all()

    def watch(rows):
        def watched():
            for row in rows:
                with ThreadPoolExecutor(max_workers=1) as elsewhere:  # so, another connection
                    seen.append(elsewhere.submit(read_progress).result())
                yield row

        return real_lines(watched())

    monkeypatch.setattr(exports, "csv_lines", watch)
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    assert seen == [0, 0, 0, 2, 2, 4]
    job = ExportJob.objects.get()
    assert (job.state, job.rows_written) == (ExportJob.State.DONE, 5)
