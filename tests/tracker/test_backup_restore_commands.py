"""manage.py backup and restore: every row of every model and every uploaded file, out and back."""

from __future__ import annotations

import datetime
import io
import json
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django_tasks_db.models import DBTaskResult
from simple_history.utils import get_history_model_for_model

from recommendations.models import (
    EvidenceFile,
    ExportJob,
    FollowUpAssessment,
    ImportJob,
    Recommendation,
    Status,
)
from recommendations.tasks import export_in_background
from tests.helpers import give_totp, make_assessment, make_organisation, make_user
from tracker.accounts import audit
from tracker.accounts.models import AuditEvent, Membership
from tracker.accounts.roles import Role
from tracker.management.commands.backup import applied_migrations
from tracker.models import Country, Organisation, Programme, ReplyParagraph, StatisticalTable

# Restoring empties every table in its own transaction, which a test wrapped in one cannot see.
pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n% an uploaded evidence file\n" + bytes(range(256)) * 40


@pytest.fixture
def media_root(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def demo(reference_data, media_root: Path) -> None:
    """The demo, plus what people add to it: accounts, follow-up with evidence, an upload."""
    call_command("load_demo", verbosity=0)
    ngo = make_organisation("Kazakhstan International Bureau for Human Rights", acronym="KIBHR")
    author = make_user("aliya", first_name="Алия")
    author.user_permissions.add(Permission.objects.get(codename="view_recommendation"))
    reviewer = make_user("reviewer")
    # Migration 0002 made the group, but an earlier test's flush may have removed it.
    reviewers, _ = Group.objects.get_or_create(name="Reviewer")
    reviewers.permissions.add(Permission.objects.get(codename="change_followupassessment"))
    reviewer.groups.add(reviewers)
    recommendation = Recommendation.objects.get(framework__isnull=False)
    assessment = make_assessment(
        recommendation, ngo, Status.PARTIALLY_IMPLEMENTED, author=author, reviewer=reviewer,
        evidence="Code de la santé, art. 78 — « droits de l’enfant »\nsecond line",
    )
    assessment.evidence_paragraphs.set(ReplyParagraph.objects.order_by("pk")[:3])
    make_assessment(recommendation, ngo, Status.IN_PROGRESS, review_state="draft", author=author)
    LogEntry.objects.create(
        user=reviewer, content_type=ContentType.objects.get_for_model(FollowUpAssessment),
        object_id=str(assessment.pk), object_repr=str(assessment)[:200], action_flag=ADDITION,
    )
    # Values a JSON dump can get subtly wrong: floats, big integers, nulls, nested Unicode,
    # microseconds, decimals with their scale.
    StatisticalTable.objects.filter(pk=StatisticalTable.objects.order_by("pk")[0].pk).update(
        rows=[{"label": "2024 ½", "cells": ["0,1", ""], "values": [0.1 + 0.2, 2**53 + 1, None]}],
    )
    Programme.objects.filter(pk=Programme.objects.order_by("pk")[0].pk).update(
        budget_amount=Decimal("1234567.80")
    )
    FollowUpAssessment.objects.filter(pk=assessment.pk).update(
        reviewed_at=datetime.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC)
    )
    default_storage.save("evidence/2026/rapport d’ONG.pdf", ContentFile(PDF))
    accounts_and_jobs(author, reviewer, assessment, ngo)


def accounts_and_jobs(author, reviewer, assessment, ngo) -> None:
    """What a restore must bring back beside the data: e-mail addresses (allauth's, which a user
    save adds to), authenticators, memberships, the audit log, history, jobs and their queue."""
    User = type(author)
    User.objects.filter(pk=author.pk).update(email="aliya@example.org")
    author.refresh_from_db()
    author.save()  # tracker.accounts.adapters trusts the address: an EmailAddress row
    EmailAddress.objects.create(user=author, email="aliya.old@example.org", verified=False,
                                primary=False)
    make_user("rustam", organisation=ngo, role=Role.REVIEWER, email="rustam@example.org")
    RecoveryCodes.activate(reviewer)
    give_totp(reviewer)
    Membership.objects.get_or_create(user=author, organisation=ngo)[0].countries.add(
        *Country.objects.filter(code__in=["KAZ", "KGZ"])
    )
    audit.record(AuditEvent.Kind.SIGN_IN, None, author)
    assessment.summary = "Edited after review, so the history has two rows."
    assessment.save()
    EvidenceFile.objects.create(
        assessment=assessment, file=ContentFile(PDF, name="preuve.pdf"), name="preuve.pdf",
        content_type="application/pdf", size=len(PDF),
    )
    ImportJob.objects.create(user=author, file_name="upr.csv", stored_file="imports/x.csv",
                             format="upr-info")
    job = ExportJob.objects.create(user=author, format="xlsx", query="mechanism=CRC")
    export_in_background.enqueue(job.pk)  # a row of django-tasks' queue


def every_row() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of every installed app (many-to-many tables included), by
    primary key. Sessions apart: they are not restored."""
    return {
        model._meta.label: list(
            model._base_manager.order_by("pk").values_list(
                *[field.attname for field in model._meta.concrete_fields]
            )
        )
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model is not Session
    }


def media_files(media_root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(media_root).as_posix(): path.read_bytes()
        for path in media_root.rglob("*")
        if path.is_file()
    }


def backup(tmp_path: Path) -> Path:
    archive = tmp_path / "backup.zip"
    call_command("backup", archive, stdout=io.StringIO())
    return archive


def rewrite(archive: Path, name: str, change: Callable[[bytes], bytes]) -> None:
    """Replace one member of the archive with `change(its content)`."""
    with zipfile.ZipFile(archive) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info, content in members:
            target.writestr(info, change(content) if info.filename == name else content)


def change_first_row(
    label: str, change: Callable[[dict[str, Any]], None]
) -> Callable[[bytes], bytes]:
    def rewrite_data(content: bytes) -> bytes:
        lines = content.decode().splitlines()
        index = next(i for i, line in enumerate(lines) if f'"model": "{label}"' in line)
        row = json.loads(lines[index])
        change(row)
        lines[index] = json.dumps(row)
        return "\n".join(lines).encode()

    return rewrite_data


def test_it_round_trips_every_row_and_media_file(demo, media_root: Path, tmp_path: Path):
    SessionStore().create()
    before = every_row()
    files_before = media_files(media_root)
    content_type = ContentType.objects.get_for_model(FollowUpAssessment).pk
    archive = tmp_path / "backup.zip"
    output = io.StringIO()

    call_command("backup", archive, stdout=output)

    assert re.search(
        r"Backed up [\d,]+ rows of \d+ models, [\d,]+ many-to-many links and 2 media files "
        r"\(20.1 KB\) to .*backup.zip \([\d.,]+ [KM]B\) in \d+\.\d s\.",
        output.getvalue(),
    )
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
    assert manifest["migrations"] == applied_migrations()
    assert manifest["counts"]["tracker.replyparagraph"] == 274
    assert manifest["counts"]["recommendations.followupassessment_evidence_paragraphs"] == 3
    assert manifest["counts"]["auth.group_permissions"] > 0
    assert "sessions.session" not in manifest["counts"]

    # The fixture made what a real site has, so that the round trip tests it.
    assert EmailAddress.objects.count() == 3 and Authenticator.objects.count() == 3
    assert Membership.objects.exists() and AuditEvent.objects.exists()
    assert DBTaskResult.objects.exists() and ImportJob.objects.exists()
    assert get_history_model_for_model(FollowUpAssessment).objects.count() >= 3
    assert len(files_before) == 2

    call_command("flush", interactive=False, verbosity=0)
    (media_root / "uploaded-after-the-backup.txt").write_text("not in the backup")
    assert not Recommendation.objects.exists()
    output = io.StringIO()

    call_command("restore", archive, yes=True, stdout=output)

    after = every_row()
    assert after == before
    # == is not enough: 1 == 1.0 and Decimal("1.8") == Decimal("1.80"); reprs show the difference.
    assert repr(after) == repr(before)
    assert media_files(media_root) == files_before
    assert "Restored" in output.getvalue()
    # The files the backup did not have are moved aside, not deleted.
    (previous,) = tmp_path.glob("media.before-restore-*")
    assert (previous / "uploaded-after-the-backup.txt").exists()
    # Sessions are not restored: everyone signs in again.
    assert not Session.objects.exists()
    # The content-type cache was refreshed with the restored ids.
    assert ContentType.objects.get_for_model(FollowUpAssessment).pk == content_type
    # New rows get fresh ids: flush restarted PostgreSQL's sequences, restore moved them on.
    organisation = make_organisation("Added after the restore")
    assessment = make_assessment(
        Recommendation.objects.get(framework__isnull=False), organisation, Status.IMPLEMENTED
    )
    assert organisation.pk > max(row[0] for row in before["tracker.Organisation"])
    assert assessment.pk > max(row[0] for row in before["recommendations.FollowUpAssessment"])
    assert make_user("added-after-the-restore").pk > max(row[0] for row in before["auth.User"])


def test_it_refuses_to_restore_without_yes(demo, tmp_path: Path, monkeypatch):
    archive = backup(tmp_path)
    organisation = make_organisation("Added after the backup")

    with pytest.raises(CommandError, match="run it again with --yes"):
        call_command("restore", archive)

    # At a terminal it asks, and anything but “yes” cancels.
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda question: "y")
    with pytest.raises(CommandError, match="Restore cancelled"):
        call_command("restore", archive)

    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_it_refuses_a_truncated_archive_and_changes_nothing(demo, media_root: Path, tmp_path: Path):
    archive = backup(tmp_path)
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    make_organisation("Added after the backup")
    before, files_before = every_row(), media_files(media_root)

    with pytest.raises(CommandError, match=r"backup\.zip is not a backup archive, or it is trunc"):
        call_command("restore", archive, yes=True)

    assert every_row() == before
    assert media_files(media_root) == files_before


def test_it_refuses_a_damaged_archive_after_emptying_the_tables_and_changes_nothing(
    demo, media_root: Path, tmp_path: Path
):
    archive = backup(tmp_path)
    # Stored uncompressed, then one letter of a row changed: the rows still read as valid JSON
    # and load, and only the checksum at the end of data.jsonl shows the damage, once the tables
    # have been emptied and filled again.
    with zipfile.ZipFile(archive) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as target:
        for info, content in members:
            info.compress_type = zipfile.ZIP_STORED
            target.writestr(info, content)
    archive.write_bytes(archive.read_bytes().replace(b'"Bishkek"', b'"Bishkeq"', 1))
    make_organisation("Added after the backup")
    before, files_before = every_row(), media_files(media_root)

    with pytest.raises(CommandError, match=r"data\.jsonl is damaged \(Bad CRC-32"):
        call_command("restore", archive, yes=True)

    assert every_row() == before
    assert media_files(media_root) == files_before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["backup.zip", "media"]


def set_fields(**fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda row: row["fields"].update(fields)


@pytest.mark.parametrize(
    ("label", "change", "message"),
    [
        (
            "tracker.replyparagraph",
            lambda row: row.clear(),
            r"data\.jsonl, line [\d,]+: not a serialized row \('model'\)",
        ),
        (
            "tracker.document",
            set_fields(date="6 novembre 2025"),
            r"data\.jsonl, line [\d,]+, tracker\.document pk=\d+: .*invalid date format",
        ),
        (
            "tracker.milestone",
            set_fields(planned_date=None, actual_date=None),
            r"data\.jsonl, line [\d,]+, tracker\.milestone pk=\d+: .*milestone_has_a_date",
        ),
        (
            "recommendations.followupassessment",
            set_fields(organisation=999_999),
            r"the restored rows break a constraint: .*recommendations_followupassessment",
        ),
    ],
    ids=["not a row", "bad value", "check constraint", "dangling foreign key"],
)
def test_it_refuses_a_bad_row_names_it_and_changes_nothing(
    demo, media_root: Path, tmp_path: Path, label: str, change, message: str
):
    archive = backup(tmp_path)
    rewrite(archive, "data.jsonl", change_first_row(label, change))
    make_organisation("Added after the backup")
    before, files_before = every_row(), media_files(media_root)

    with pytest.raises(CommandError, match=message):
        call_command("restore", archive, yes=True)

    assert every_row() == before
    assert media_files(media_root) == files_before


def test_it_refuses_an_archive_made_at_other_migrations(demo, tmp_path: Path):
    archive = backup(tmp_path)
    ours = applied_migrations()["recommendations"][-1]

    def add_a_migration(content: bytes) -> bytes:
        manifest = json.loads(content)
        manifest["migrations"]["recommendations"].append("9999_from_the_future")
        return json.dumps(manifest).encode()

    rewrite(archive, "manifest.json", add_a_migration)
    organisation = make_organisation("Added after the backup")

    with pytest.raises(CommandError) as refused:
        call_command("restore", archive, yes=True)

    assert (
        "the backup was made at migration recommendations.9999_from_the_future, this database is "
        f"at recommendations.{ours}. Migrate first" in str(refused.value)
    )
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_it_refuses_a_media_file_outside_media_root(demo, media_root: Path, tmp_path: Path):
    archive = backup(tmp_path)
    with zipfile.ZipFile(archive, "a") as opened:
        opened.writestr("media/../../escaped.txt", "written outside MEDIA_ROOT")
    before = every_row()

    with pytest.raises(CommandError, match="points outside MEDIA_ROOT"):
        call_command("restore", archive, yes=True)

    assert every_row() == before
    assert not list(tmp_path.parent.glob("escaped.txt"))
    assert not list(tmp_path.glob("*escaped.txt"))


def test_it_never_overwrites_an_existing_file(tmp_path: Path):
    archive = tmp_path / "backup.zip"
    archive.write_text("an earlier backup")

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", archive)

    assert archive.read_text() == "an earlier backup"
    assert [path.name for path in tmp_path.iterdir()] == ["backup.zip"]
