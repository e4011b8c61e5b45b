"""Read django-simple-history records as the history pages show them: who, when, and each field's
old and new value, for cycles, documents, recommendations and follow-up entries alike."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from simple_history.models import DeletedObject

# Fields every save changes: listing them would bury the changes people made.
NOISE = {"updated_at", "version"}
# Long texts (summaries, notes) are shown far enough to recognise the change.
SHOWN_CHARACTERS = 300


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    record: models.Model
    subject: str
    changes: list[Change] = field(default_factory=list)


def _display(model_field: models.Field, value: object) -> str:
    # diff_against names a foreign key it cannot read a DeletedObject, an empty one too.
    if isinstance(value, DeletedObject):
        if value.pk is None:
            return "—"
        return gettext("deleted %(kind)s no. %(pk)s") % {
            "kind": value.model._meta.verbose_name, "pk": value.pk,
        }
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # In the configured time zone, as the page's own times are.
        value = timezone.localtime(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return Truncator(formats.localize(value)).chars(SHOWN_CHARACTERS)


def _fields(record: models.Model) -> list[models.Field]:
    model = record.instance_type
    tracked = {f.name for f in record._meta.fields}
    # Non-editable fields (the recommendation's computed status, creation times) are left out:
    # people do not change them, and diff_against cannot read them.
    return [
        f for f in model._meta.concrete_fields
        if f.name in tracked and f.name not in NOISE and f.editable and not f.primary_key
    ]


def history_entries(records: Iterable[models.Model]) -> list[HistoryEntry]:
    """The records newest first, each with what changed since the same object's record before
    it; a creation lists the values the object was created with. Records of several objects (a
    recommendation and its follow-up entries) may be mixed."""
    ordered = sorted(records, key=lambda record: (record.history_date, record.history_id))
    previous: dict[tuple[type, object], models.Model] = {}
    entries = []
    for record in ordered:
        key = (record.instance_type, record.instance_type._meta.pk.value_from_object(record))
        before = previous.get(key)
        entry = HistoryEntry(record, str(record.instance_type._meta.verbose_name))
        fields = {f.name: f for f in _fields(record)}
        if before is None:
            for name, model_field in fields.items():
                value = getattr(record, model_field.name)
                if value not in (None, "", False):
                    entry.changes.append(
                        Change(str(model_field.verbose_name), "—", _display(model_field, value))
                    )
        else:
            delta = record.diff_against(
                before, included_fields=list(fields), foreign_keys_are_objs=True
            )
            entry.changes = [
                Change(
                    str(fields[change.field].verbose_name),
                    _display(fields[change.field], change.old),
                    _display(fields[change.field], change.new),
                )
                for change in delta.changes
            ]
        previous[key] = record
        entries.append(entry)
    return entries[::-1]
