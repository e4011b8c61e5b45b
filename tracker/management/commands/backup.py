"""Write the whole database and the uploaded files to one .zip archive that `restore` reads back.

The archive holds:
- data.jsonl: every row of every table of every installed app, one object a line as Django's
  serializers write them (dumpdata --all), each with its primary key;
- media/…: every file under MEDIA_ROOT;
- manifest.json: the format, when and by which Django version it was made, the applied
  migrations per app, and the number of rows per model (a many-to-many table counts as one).
"""

from __future__ import annotations

import datetime
import io
import itertools
import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import django
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connection, models, router, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST_NAME = "manifest.json"
DATA_NAME = "data.jsonl"
MEDIA_PREFIX = "media/"

# Sessions are sign-in tokens, not data: restoring them would bring back sessions that were
# signed out (or stolen and revoked) since the backup. `restore` empties the table instead, so
# everyone signs in again against the restored accounts. Admin log entries are kept: they are
# the record of who changed what.
EXCLUDED_MODELS = {"sessions.session"}

# Rows are read and serialized this many at a time, so memory does not grow with the database.
CHUNK_SIZE = 1000


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder rounds datetimes and times to milliseconds, so `dumpdata` output does not
    restore exactly; keep the microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def backed_up_models() -> list[type[models.Model]]:
    """Every model with a table of its own, the tables of many-to-many fields included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower not in EXCLUDED_MODELS
        and model._meta.managed
        and not model._meta.proxy
        and router.allow_migrate_model(DEFAULT_DB_ALIAS, model)
    ]


def applied_migrations() -> dict[str, list[str]]:
    """The names of the migrations applied to the database, per installed app, in order."""
    installed = {app_config.label for app_config in apps.get_app_configs()}
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        if app_label in installed:
            applied.setdefault(app_label, []).append(name)
    return applied


def write_rows(model: type[models.Model], out: IO[str]) -> int:
    """Serialize every row of the model to `out`, one JSON object a line; return how many."""
    # Many-to-many tables are dumped as models of their own, with their ids; naming only the
    # local fields keeps a row from listing its many-to-many values again (with a query each).
    fields = [field.name for field in model._meta.local_fields]
    # The base manager, because a default manager may hide rows (dumpdata --all).
    rows = model._base_manager.order_by("pk").iterator(chunk_size=CHUNK_SIZE)
    count = 0
    while chunk := list(itertools.islice(rows, CHUNK_SIZE)):
        for data in serializers.serialize("python", chunk, fields=fields):
            out.write(json.dumps(data, cls=ExactJSONEncoder, ensure_ascii=False) + "\n")
        count += len(chunk)
    return count


@contextmanager
def consistent_snapshot() -> Iterator[None]:
    """A transaction in which every table is read as it was at the same moment, so that rows
    written while the backup runs cannot leave it with dangling references."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        # PostgreSQL's default READ COMMITTED gives each query a new snapshot; REPEATABLE READ
        # gives the whole transaction one. (A SQLite transaction already reads one snapshot.)
        # Inside a caller's transaction the isolation level is the caller's.
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def media_files(media_root: Path, skip: set[Path]) -> list[Path]:
    if not media_root.is_dir():
        return []
    found = []
    for directory, _, filenames in os.walk(media_root):
        for filename in filenames:
            path = Path(directory, filename)
            if path.is_file() and path.resolve() not in skip:
                found.append(path)
    return sorted(found)


def summary(manifest: dict[str, Any]) -> str:
    """“1,234 rows of 35 models, 567 many-to-many links and 2 media files (1.2 MB)”."""
    rows = links = tables = 0
    for label, count in manifest["counts"].items():
        # An auto-created model is the table of a many-to-many field.
        if apps.get_model(label)._meta.auto_created:
            links += count
        else:
            rows += count
            tables += 1
    return (
        f"{rows:,} rows of {tables} models, {links:,} many-to-many links and "
        f"{manifest['media_files']:,} media file{'' if manifest['media_files'] == 1 else 's'} "
        f"({human_size(manifest['media_bytes'])})"
    )


def human_size(size: float) -> str:
    if size < 1024:
        return f"{size:,.0f} bytes"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024:
            break
    return f"{size:,.1f} {unit}"


def write_archive(archive_path: Path, skip: set[Path]) -> dict[str, Any]:
    """Write the archive; return its manifest."""
    media_root = Path(settings.MEDIA_ROOT)
    counts: dict[str, int] = {}
    with ZipFile(archive_path, "w", compression=ZIP_DEFLATED, allowZip64=True) as archive:
        with consistent_snapshot():
            migrations = applied_migrations()
            created_at = timezone.now()
            data = ZipInfo(DATA_NAME, date_time=time.localtime()[:6])
            data.compress_type = ZIP_DEFLATED
            # force_zip64: the size of a streamed member is not known in advance.
            with archive.open(data, "w", force_zip64=True) as raw:
                with io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as out:
                    for model in backed_up_models():
                        counts[model._meta.label_lower] = write_rows(model, out)
        # Files are copied after the transaction: on SQLite it holds off writers (this project's
        # transactions BEGIN IMMEDIATE), so they wait only while the rows are read. A file
        # uploaded meanwhile may come along without its row: harmless.
        media_bytes = 0
        files = media_files(media_root, skip)
        for file in files:
            name = MEDIA_PREFIX + file.relative_to(media_root).as_posix()
            archive.write(file, name)
            media_bytes += archive.getinfo(name).file_size
        manifest = {
            "format": FORMAT,
            "created_at": created_at.isoformat(),
            "django_version": django.get_version(),
            "database_vendor": connection.vendor,
            "migrations": migrations,
            "counts": counts,
            "excluded_models": sorted(EXCLUDED_MODELS),
            "media_files": len(files),
            "media_bytes": media_bytes,
        }
        archive.writestr(MANIFEST_NAME, json.dumps(manifest, indent=2))
    return manifest


class Command(BaseCommand):
    help = (
        "Back up every row of every installed app and every file under MEDIA_ROOT to one .zip "
        "archive that `manage.py restore` reads back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The archive to write, e.g. backup.zip.")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        started = time.monotonic()
        path = path.resolve()
        if path.exists():
            raise CommandError(f"{path} already exists; a backup never overwrites a file.")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} is not a directory.")
        # Written under a temporary name and renamed when complete, so an interrupted backup
        # never leaves a truncated archive under the expected name. NamedTemporaryFile creates
        # the file readable by its owner only, which suits a copy of sensitive data.
        with tempfile.NamedTemporaryFile(
            dir=path.parent, prefix=f".{path.name}.", suffix=".partial", delete=False
        ) as partial:
            partial_path = Path(partial.name)
        try:
            manifest = write_archive(partial_path, skip={path, partial_path.resolve()})
            os.replace(partial_path, path)
        except BaseException:
            partial_path.unlink(missing_ok=True)
            raise
        self.report(path, manifest, time.monotonic() - started, options["verbosity"])

    def report(self, path: Path, manifest: dict[str, Any], seconds: float, verbosity: int) -> None:
        if verbosity >= 2:
            for label, count in manifest["counts"].items():
                self.stdout.write(f"  {label}: {count:,}")
        self.stdout.write(self.style.SUCCESS(
            f"Backed up {summary(manifest)} to {path} ({human_size(path.stat().st_size)}) "
            f"in {seconds:.1f} s."
        ))
