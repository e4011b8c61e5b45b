"""Check that every recommendation's maintained status is the one its history gives.

`Recommendation.status` is kept in step by FollowUpAssessment.save() and delete(); bulk inserts,
raw SQL or a bug can leave it stale, and the lists filter on it. The check recomputes every
status from the assessments in one query and reads the stored ones in another, whatever the
number of recommendations; --fix writes the expected status where they differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F, Max, Min, QuerySet, Window
from django.db.models.functions import RowNumber

from recommendations.models import DISPUTED, FollowUpAssessment, Recommendation, Status

SHOWN = 10  # mismatches named in the error
CHUNK = 10_000  # rows fetched per round trip
UPDATE_CHUNK = 500  # ids per UPDATE, under SQLite's 999 parameters


@dataclass(frozen=True)
class Mismatch:
    pk: int
    stored: str
    expected: str

    def __str__(self) -> str:
        return f"#{self.pk} ({self.stored}, expected {self.expected})"


def status_ranges() -> QuerySet:
    """(recommendation id, lowest status, highest status) of each organisation's latest accepted
    entry, by (date, id), for every recommendation that has one. A window function picks the latest
    entries in one pass over the history, instead of a subquery per entry."""
    accepted = FollowUpAssessment.objects.accepted()
    latest = accepted.annotate(
        position=Window(
            RowNumber(),
            partition_by=[F("recommendation_id"), F("organisation_id")],
            order_by=[F("date").desc(), F("pk").desc()],
        )
    ).filter(position=1)
    return (
        accepted.filter(pk__in=latest.values("pk"))
        .order_by()
        .values("recommendation_id")
        .annotate(lowest=Min("status"), highest=Max("status"))
        .values_list("recommendation_id", "lowest", "highest")
    )


def find_inconsistent_statuses() -> list[Mismatch]:
    """The recommendations whose stored status differs from the one their history gives (see
    Recommendation.compute_status()), by id."""
    expected = {
        pk: lowest if lowest == highest else DISPUTED
        for pk, lowest, highest in status_ranges().iterator(chunk_size=CHUNK)
    }
    stored = Recommendation.objects.order_by("pk").values_list("pk", "status")
    return [
        Mismatch(pk, status, expected.get(pk, Status.NO_INFORMATION))
        for pk, status in stored.iterator(chunk_size=CHUNK)
        if status != expected.get(pk, Status.NO_INFORMATION)
    ]


def repair_statuses(mismatches: list[Mismatch]) -> None:
    """Write the expected statuses, a chunk of ids per UPDATE. An UPDATE only applies where the
    stored status is still the one read, so an entry saved meanwhile (which refreshed the status
    itself) is not overwritten with a stale value."""
    groups: dict[tuple[str, str], list[int]] = {}
    for mismatch in mismatches:
        groups.setdefault((mismatch.stored, mismatch.expected), []).append(mismatch.pk)
    with transaction.atomic():
        for (stored, expected), ids in groups.items():
            for start in range(0, len(ids), UPDATE_CHUNK):
                Recommendation.objects.filter(
                    pk__in=ids[start:start + UPDATE_CHUNK], status=stored
                ).update(status=expected)


class Command(BaseCommand):
    help = ("Check that each recommendation's stored status equals the one recomputed from its "
            "follow-up history; --fix repairs those that differ.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fix", action="store_true",
                            help="Write the recomputed status where it differs.")

    def handle(self, *args, fix: bool, **options) -> None:
        mismatches = find_inconsistent_statuses()
        if not mismatches:
            self.stdout.write(self.style.SUCCESS(
                "Every recommendation's status matches its follow-up history."
            ))
            return
        listed = ", ".join(map(str, mismatches[:SHOWN]))
        listed += ", …" if len(mismatches) > SHOWN else ""
        if not fix:
            raise CommandError(
                f"{len(mismatches):,} recommendations have a status that differs from their "
                f"follow-up history: {listed}. Run check_consistency --fix to repair them."
            )
        repair_statuses(mismatches)
        self.stdout.write(self.style.SUCCESS(f"Repaired {len(mismatches):,} statuses: {listed}."))
