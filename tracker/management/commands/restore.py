"""Replace the whole database and MEDIA_ROOT with an archive written by `manage.py backup`.

All of it or nothing: the archive is checked, its media files extracted beside MEDIA_ROOT, then in
one transaction every table is emptied and the rows loaded, counted and checked; only then are the
files swapped in. Any failure before that leaves the database and MEDIA_ROOT as they were.
"""

from __future__ import annotations

import io
import itertools
import json
import shutil
import sys
import time
import uuid
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from zipfile import BadZipFile, ZipFile, ZipInfo

import django
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.utils import timezone

from tracker.management.commands.backup import (
    CHUNK_SIZE,
    DATA_NAME,
    FORMAT,
    MANIFEST_NAME,
    MEDIA_PREFIX,
    applied_migrations,
    summary,
)

# What reading a damaged member of a zip archive raises: a bad checksum, a broken compressed
# stream, a stream cut short, bytes that are not UTF-8.
DAMAGED = (BadZipFile, zlib.error, EOFError, UnicodeDecodeError)


def open_archive(path: Path) -> ZipFile:
    try:
        return ZipFile(path)
    except FileNotFoundError:
        raise CommandError(f"{path} does not exist.") from None
    except (BadZipFile, OSError) as exc:
        raise CommandError(
            f"{path} is not a backup archive, or it is truncated or damaged ({exc})."
        ) from exc


def read_manifest(archive: ZipFile, path: Path) -> dict[str, Any]:
    names = set(archive.namelist())
    for name in (MANIFEST_NAME, DATA_NAME):
        if name not in names:
            raise CommandError(f"{path} has no {name}: it was not written by manage.py backup.")
    try:
        manifest = json.loads(archive.read(MANIFEST_NAME))
    except (*DAMAGED, ValueError) as exc:
        raise CommandError(f"{path}: {MANIFEST_NAME} is damaged ({exc}).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise CommandError(f"{path}: {MANIFEST_NAME} is not a manifest of backup format {FORMAT}.")
    for key in ("created_at", "django_version", "migrations", "counts", "media_files",
                "media_bytes"):
        if key not in manifest:
            raise CommandError(f"{path}: {MANIFEST_NAME} lacks “{key}”.")
    return manifest


def check_migrations(manifest: dict[str, Any]) -> None:
    """Rows fit only the tables of the migrations they were dumped from."""
    ours = applied_migrations()
    theirs: dict[str, list[str]] = manifest["migrations"]
    differences = []
    for app_label in sorted(set(ours) | set(theirs)):
        backup, database = theirs.get(app_label, []), ours.get(app_label, [])
        if backup == database:
            continue
        if backup[-1:] != database[-1:]:
            differences.append(
                f"the backup was made at migration {latest(app_label, backup)}, "
                f"this database is at {latest(app_label, database)}"
            )
        else:
            differences.append(
                f"the backup and this database have applied different {app_label} migrations "
                f"(only in the backup: {', '.join(sorted(set(backup) - set(database))) or '-'}; "
                f"only in the database: {', '.join(sorted(set(database) - set(backup))) or '-'})"
            )
    if differences:
        raise CommandError(
            "The backup does not fit this database: " + "; ".join(differences) + ". Migrate "
            "first (manage.py migrate APP MIGRATION) so that both are at the same migrations."
        )


def latest(app_label: str, names: list[str]) -> str:
    return f"{app_label}.{names[-1]}" if names else f"no migration of {app_label}"


def expected_counts(manifest: dict[str, Any], path: Path) -> dict[type[models.Model], int]:
    counts = {}
    for label, count in manifest["counts"].items():
        try:
            counts[apps.get_model(label)] = count
        except LookupError:
            raise CommandError(
                f"{path} has rows of {label}, which this project does not have."
            ) from None
    return counts


def stage_media(archive: ZipFile, path: Path, media_root: Path, expected: int) -> Path:
    """Extract the archive's media files to a new directory beside MEDIA_ROOT (the same file
    system, so that it can be renamed into place) and return that directory."""
    staging = media_root.with_name(f".{media_root.name}.restoring-{uuid.uuid4().hex}")
    staging.mkdir(parents=True)
    try:
        extracted = sum(
            extract_media_file(archive, path, info, staging) for info in archive.infolist()
        )
        if extracted != expected:
            raise CommandError(
                f"{path} holds {extracted:,} media files where its manifest lists {expected:,}."
            )
    except BaseException:
        shutil.rmtree(staging)
        raise
    return staging


def extract_media_file(archive: ZipFile, path: Path, info: ZipInfo, staging: Path) -> bool:
    """Copy the member to `staging` if it is a media file; say whether it was."""
    if not info.filename.startswith(MEDIA_PREFIX) or info.is_dir():
        return False
    relative = PurePosixPath(info.filename.removeprefix(MEDIA_PREFIX))
    # A crafted archive must not write outside MEDIA_ROOT ("zip slip").
    if relative.is_absolute() or ".." in relative.parts:
        raise CommandError(f"{path}: refusing {info.filename!r}, which points outside MEDIA_ROOT.")
    target = staging.joinpath(*relative.parts)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out)
    except DAMAGED as exc:
        raise CommandError(f"{path}: {info.filename} is damaged ({exc}).") from exc
    except OSError as exc:
        raise CommandError(f"Could not extract {info.filename} from {path}: {exc}.") from exc
    return True


def wipe_tables() -> None:
    """Empty every table of every installed app, sessions included (what `flush` does, without
    its post_migrate signal recreating content types and permissions with new ids)."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))


def read_rows(archive: ZipFile, path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """The serialized rows of data.jsonl, each with where it is, for error messages."""
    with archive.open(DATA_NAME) as raw:
        for number, line in enumerate(io.TextIOWrapper(raw, encoding="utf-8"), start=1):
            where = f"{path}: {DATA_NAME}, line {number:,}"
            try:
                data = json.loads(line)
                where += f", {data['model']} pk={data['pk']!r}"
                if not isinstance(data["fields"], dict):
                    raise TypeError("“fields” is not an object")
            except (ValueError, KeyError, TypeError) as exc:
                raise CommandError(f"{where}: not a serialized row ({exc}).") from exc
            yield where, data


def load_rows(archive: ZipFile, path: Path) -> None:
    try:
        rows = read_rows(archive, path)
        for _, group in itertools.groupby(rows, key=lambda row: row[1]["model"]):
            while batch := list(itertools.islice(group, CHUNK_SIZE)):
                insert_rows(batch)
    except DAMAGED as exc:
        raise CommandError(f"{path}: {DATA_NAME} is damaged ({exc}).") from exc


def insert_rows(batch: list[tuple[str, dict[str, Any]]]) -> None:
    """Insert consecutive rows of one model."""
    rows = []
    for where, data in batch:
        try:
            (row,) = serializers.deserialize("python", [data])
        except (DeserializationError, ValidationError, ValueError, TypeError) as exc:
            raise CommandError(f"{where}: {exc}") from exc
        rows.append((where, row))
    model = type(rows[0][1].object)
    if model._meta.auto_created:
        # A many-to-many table: Django fills these with bulk_create too (no save(), no signals).
        try:
            model._base_manager.bulk_create([row.object for _, row in rows])
        except DatabaseError as exc:
            raise CommandError(
                f"{rows[0][0]} or one of the {len(rows) - 1:,} rows after it: {exc}"
            ) from exc
        return
    for where, row in rows:
        try:
            # Straight INSERTs, as the tables are empty (by default Django tries an UPDATE first).
            # Like loaddata, this skips the models' save() and sends signals with raw=True.
            row.save(force_insert=True)
        except DatabaseError as exc:
            raise CommandError(f"{where}: {exc}") from exc


def check_rows(path: Path, counts: dict[type[models.Model], int]) -> None:
    for model, expected in counts.items():
        found = model._base_manager.count()
        if found != expected:
            raise CommandError(
                f"{path}: after loading, {model._meta.label_lower} has {found:,} rows where the "
                f"backup has {expected:,}. Either the archive is incomplete or a signal receiver "
                f"wrote rows during the load (receivers must do nothing when `raw` is true)."
            )
    # Foreign keys are checked at commit; check them now to say which row is wrong.
    try:
        connection.check_constraints()
    except IntegrityError as exc:
        raise CommandError(f"{path}: the restored rows break a constraint: {exc}") from exc


def reset_sequences(restored: list[type[models.Model]]) -> None:
    """Rows were inserted with their ids, which PostgreSQL's sequences do not see: move them
    past the largest id so new rows get fresh ones. (SQLite needs nothing; this is empty.)"""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), restored):
            cursor.execute(sql)


def swap_media(staging: Path, media_root: Path) -> Path | None:
    """Put the restored files in MEDIA_ROOT's place. The previous files are moved aside, never
    deleted; return where they went."""
    previous = None
    if media_root.exists():
        shutil.copymode(media_root, staging)
        if any(media_root.iterdir()):
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            previous = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
            number = 1
            while previous.exists():
                number += 1
                previous = previous.with_name(f"{media_root.name}.before-restore-{stamp}-{number}")
            media_root.rename(previous)
        else:
            media_root.rmdir()
    staging.rename(media_root)
    return previous


class Command(BaseCommand):
    help = (
        "Replace ALL the data in the database and ALL the files under MEDIA_ROOT with an archive "
        "written by `manage.py backup`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The archive written by manage.py backup.")
        parser.add_argument(
            "--yes", action="store_true", help="Replace the current data without asking."
        )

    def handle(self, *args: Any, path: Path, yes: bool, **options: Any) -> None:
        started = time.monotonic()
        media_root = Path(settings.MEDIA_ROOT)
        with open_archive(path) as archive:
            manifest = read_manifest(archive, path)
            check_migrations(manifest)
            counts = expected_counts(manifest, path)
            if manifest["django_version"] != django.get_version():
                self.stdout.write(self.style.WARNING(
                    f"The backup was made with Django {manifest['django_version']}, this is "
                    f"Django {django.get_version()}."
                ))
            self.confirm(path, manifest, media_root, yes)
            staging = stage_media(archive, path, media_root, manifest["media_files"])
            try:
                with transaction.atomic():
                    wipe_tables()
                    load_rows(archive, path)
                    check_rows(path, counts)
                    reset_sequences(list(counts))
            except BaseException:
                shutil.rmtree(staging)
                raise
        try:
            previous = swap_media(staging, media_root)
        except OSError as exc:
            raise CommandError(
                f"The database was restored, but the media files could not be put in place "
                f"({exc}). They are in {staging}: move them to {media_root} by hand."
            ) from exc
        if apps.is_installed("django.contrib.contenttypes"):
            from django.contrib.contenttypes.models import ContentType

            # This process cached the ids of the content types it met before the restore.
            ContentType.objects.clear_cache()
        self.stdout.write(self.style.SUCCESS(
            f"Restored {summary(manifest)} from {path} (backup of {manifest['created_at']}) in "
            f"{time.monotonic() - started:.1f} s."
        ))
        if previous:
            self.stdout.write(
                f"The previous media files were moved to {previous}; delete them when you no "
                f"longer need them."
            )

    def confirm(self, path: Path, manifest: dict[str, Any], media_root: Path, yes: bool) -> None:
        if yes:
            return
        if not sys.stdin.isatty():
            raise CommandError(
                "Restore replaces all the data in the database and all the files in MEDIA_ROOT; "
                "run it again with --yes to confirm. Nothing was changed."
            )
        answer = input(
            f"This replaces ALL the data in the database and ALL the files in {media_root} with "
            f"the backup {path} of {manifest['created_at']}.\nType “yes” to continue: "
        )
        if answer != "yes":
            raise CommandError("Restore cancelled. Nothing was changed.")
