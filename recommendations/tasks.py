"""Background jobs, run by `manage.py db_worker` (django-tasks, queued in the database).

A recommendation file too large to import while the browser waits is imported here; its ImportJob
tells the admin how far it has got and how it ended.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from recommendations.importing_files import describe_error, import_recommendation_file
from recommendations.models import ImportJob
from tracker.parsing.common import ParseError

# The warnings the job's stored result lists (the admin's preview shows 200 too).
SUMMARY_WARNINGS = 200


@task()
def import_file_in_background(job_id: int) -> None:
    """Import the job's stored file in one transaction, as the admin would, then delete the file
    and tell the user. A refused file fails the job and changes nothing; so does an unexpected
    error, which is raised again for the worker to log."""
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
            job.notify()


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
