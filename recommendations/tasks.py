"""Background jobs, run by `manage.py db_worker` (django-tasks, queued in the database).

A recommendation file too large to import while the browser waits is imported here; its ImportJob
tells the admin how far it has got and how it ended. So is a download of the recommendations list
too large to write while the browser waits, through its ExportJob.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from recommendations.exports import CHUNK_SIZE, EXPORT_FORMATS, filtered_recommendations
from recommendations.forms import remove_stale_uploads
from recommendations.importing_files import describe_error, import_recommendation_file
from recommendations.models import ExportJob, ImportJob
from tracker.parsing.common import ParseError

# The warnings the job's stored result lists (the admin's preview shows 200 too).
SUMMARY_WARNINGS = 200
# Where finished exports wait under MEDIA_ROOT, a day at most, for their owner to download them.
EXPORT_DIRECTORY = "exports"


@task()
def import_file_in_background(job_id: int, page_url: str = "") -> None:
    """Import the job's stored file in one transaction, as the admin would, then delete the file
    and tell the user, with the address of the job's page. A refused file fails the job and
    changes nothing; so does an unexpected error, which is raised again for the worker to log."""
    job = ImportJob.objects.select_related("user", "country").get(pk=job_id)
    with translation.override(job.language or None):
        job.start()
        try:
            with (
                default_storage.open(job.stored_file) as source,
                progress_recorder(job) as progress,
            ):
                result = import_recommendation_file(
                    source, job.format or None, file_name=job.file_name, country=job.country,
                    encoding=job.encoding or None, session=job.session, progress=progress,
                    user=job.user,
                )
        except FileNotFoundError:
            # Uploads are removed after a day (forms.remove_stale_uploads), even one whose job
            # waited that long for a worker.
            job.fail(_("The uploaded file is no longer here: upload it again."))
        except ParseError as error:
            job.fail(describe_error(error, job.file_name, job.format or None))
        except Exception:
            job.fail(_("The import stopped on an unexpected error; nothing was imported. The "
                       "administrators will find the error in the worker's log."))
            raise
        else:
            job.finish(result.format, result.rows, result.summary(max_warnings=SUMMARY_WARNINGS))
        finally:
            default_storage.delete(job.stored_file)
            job.notify(page_url)


def queue_import(
    user, stored_file: str, data: dict, absolute_uri: Callable[[str], str]
) -> ImportJob:
    """Queue for the worker the import of an upload RecommendationFileImportForm checked (its
    cleaned `data`, the file stored at `stored_file`), as the admin's import page and the API
    do. One transaction, so that no job is left queued with no task to run it; the e-mail names
    the job's page as `absolute_uri` writes it for the request."""
    with transaction.atomic():
        job = ImportJob.objects.create(
            user=user, file_name=data["file_name"], stored_file=stored_file,
            format=data["format"], country=data["country"], session=data["session"],
            encoding=data["encoding"], language=translation.get_language() or "",
        )
        page = reverse("admin:recommendations_importjob_change", args=[job.pk])
        import_file_in_background.enqueue(job.pk, absolute_uri(page))
    return job


@contextmanager
def progress_recorder(job: ImportJob) -> Iterator[Callable[[int], None]]:
    """A progress(rows_read) callback whose counts other connections see at once, although the
    import writes everything else in one transaction that they see only when it commits.

    PostgreSQL: `rows_read` is updated through a second connection (Django's connections are per
    thread, so from a thread of its own), each update committed at once. The import never locks
    the job's row, so neither waits for the other.
    SQLite: the import holds the database's only write lock until it commits, and a second writer
    would wait for it in vain: the count goes to a small file beside the upload instead, which
    ImportJob.progress reads. Either way `rows_read` is saved when the job ends.
    """
    if connection.vendor == "sqlite":

        def record(rows: int) -> None:
            default_storage.delete(job.progress_file)
            default_storage.save(job.progress_file, ContentFile(str(rows).encode()))

        try:
            yield record
        finally:
            default_storage.delete(job.progress_file)
        return

    jobs = ImportJob.objects.filter(pk=job.pk)
    with ThreadPoolExecutor(max_workers=1) as thread:

        def record(rows: int) -> None:
            thread.submit(jobs.update, rows_read=rows).result()

        try:
            yield record
        finally:
            thread.submit(connections.close_all).result()


@task()
def export_in_background(job_id: int, page_url: str = "") -> None:
    """Write the job's export of the list, as its link would have, to a file under MEDIA_ROOT
    that the job's page (at page_url) lets the user download, then tell the user. An unexpected
    error fails the job and is raised again for the worker to log."""
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    export = EXPORT_FORMATS[job.format]
    with translation.override(job.language or None):
        job.start()
        try:
            # The list's filters, read as the list reads them.
            recommendations = filtered_recommendations(QueryDict(job.query))
            if recommendations is None:
                job.fail(_("The list's filters are no longer valid (a country or cycle may have "
                           "been removed): export the list again."))
                return
            ExportJob.objects.filter(pk=job.pk).update(total_rows=recommendations.count())
            rows = counted(export.rows(recommendations), job)
            with tempfile.TemporaryFile() as file:
                export.write(rows, file)
                file.seek(0)
                name = f"{EXPORT_DIRECTORY}/{secrets.token_hex(16)}.{export.extension}"
                stored = default_storage.save(name, File(file))
            job.finish(rows=job.rows_written, stored_file=stored)
        except Exception:
            job.fail(_("The export stopped on an unexpected error. The administrators will find "
                       "the error in the worker's log."))
            raise
        finally:
            job.notify(page_url)
            remove_stale_uploads(EXPORT_DIRECTORY)


def counted(rows: Iterator[list[object]], job: ExportJob) -> Iterator[list[object]]:
    """The rows, the heading row first, recording in the job every CHUNK_SIZE rows how many have
    been written. The export runs in no transaction, so each count is committed at once and the
    job's page sees it (on SQLite too: nothing else holds the write lock)."""
    jobs = ExportJob.objects.filter(pk=job.pk)
    yield next(rows)
    written = 0
    for written, row in enumerate(rows, start=1):
        yield row
        if written % CHUNK_SIZE == 0:
            jobs.update(rows_written=written)
    job.rows_written = written
