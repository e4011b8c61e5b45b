"""Check that every value maintained for the lists equals its definition.

`Recommendation`'s maintained values are defined once in recommendations.models (overall_status()
for the status, maintained_copies() for the others, RecommendationQuerySet.tally() for
StatusTally) and written by refresh_maintained(). Bulk inserts, raw SQL or a bug can leave them
stale, and the lists filter, sort and count on them. The check recomputes each from the same
definitions in a query or two, whatever the number of recommendations; --fix writes the expected
values where they differ.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F

from recommendations.models import (
    Recommendation,
    Status,
    StatusTally,
    chunked,
    expected_statuses,
    maintained_copies,
    refresh_statuses,
)
from tracker.models import Mechanism

SHOWN = 10  # mismatches named in the error
CHUNK = 10_000  # rows fetched per round trip


@dataclass(frozen=True)
class Mismatch:
    pk: int
    stored: str
    expected: str

    def __str__(self) -> str:
        return f"#{self.pk} ({self.stored}, expected {self.expected})"


def find_inconsistent_statuses() -> list[Mismatch]:
    """The recommendations whose stored status differs from the one their history gives
    (overall_status()), by id."""
    expected = expected_statuses()
    stored = Recommendation.objects.order_by("pk").values_list("pk", "status")
    return [
        Mismatch(pk, status, expected.get(pk, Status.NO_INFORMATION))
        for pk, status in stored.iterator(chunk_size=CHUNK)
        if status != expected.get(pk, Status.NO_INFORMATION)
    ]


def repair_statuses(mismatches: list[Mismatch]) -> None:
    """Write the expected statuses. A status is only written where it is still the one read, so
    an entry saved meanwhile (which refreshed the status itself) is not overwritten."""
    with transaction.atomic():
        refresh_statuses({mismatch.pk: mismatch.stored for mismatch in mismatches})


@dataclass(frozen=True)
class StaleValue:
    pk: int
    field: str
    stored: object
    expected: object

    def __str__(self) -> str:
        return f"#{self.pk} {self.field} ({self.stored!r}, expected {self.expected!r})"


def find_stale_values() -> list[StaleValue]:
    """The maintained values other than the status that differ from their definitions, in one
    query."""
    fields = [*maintained_copies()]
    rows = (
        Recommendation.objects.stale()
        .annotate(**{f"recomputed_{name}": F(f"expected_{name}") for name in fields})
        .order_by("pk")
        .values_list("pk", *fields, *[f"recomputed_{name}" for name in fields])
    )
    stale = []
    for pk, *values in rows.iterator(chunk_size=CHUNK):
        for name, stored, recomputed in zip(fields, values, values[len(fields):]):
            if stored != recomputed:
                stale.append(StaleValue(pk, name, stored, recomputed))
    return stale


def repair_values(stale: list[StaleValue]) -> None:
    ids = sorted({value.pk for value in stale})
    with transaction.atomic():
        for chunk in chunked(ids):
            Recommendation.objects.filter(pk__in=chunk).update(**maintained_copies())


def find_tally_differences() -> dict[tuple[str, str], tuple[int, int]]:
    """(mechanism code, status): (tallied, counted), where StatusTally is wrong."""
    tallied = Counter({
        (row["mechanism__code"], row["status"]): row["count"] for row in StatusTally.counts()
    })
    codes = dict(Mechanism.objects.values_list("pk", "code"))
    counted = Counter({
        (codes[mechanism], status): count
        for (mechanism, status), count in Recommendation.objects.tally().items()
    })
    return {
        key: (tallied[key], counted[key])
        for key in sorted(tallied.keys() | counted.keys()) if tallied[key] != counted[key]
    }


class Command(BaseCommand):
    help = ("Check that each recommendation's stored status and other maintained values equal "
            "those recomputed from its follow-up history and cycle, and that the dashboard's "
            "tally of statuses equals a count; --fix repairs those that differ.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fix", action="store_true",
                            help="Write the recomputed values where they differ.")

    def handle(self, *args, fix: bool, **options) -> None:
        mismatches = find_inconsistent_statuses()
        stale = find_stale_values()
        # After the statuses and the copies: a tally of wrong values is no news.
        tally = {} if mismatches or stale else find_tally_differences()
        if not (mismatches or stale or tally):
            self.stdout.write(self.style.SUCCESS(
                "Every recommendation's status and other maintained values match its follow-up "
                "history and cycle, and the tally of statuses matches them."
            ))
            return
        problems = [
            f"{len(mismatches):,} recommendations have a status that differs from their "
            f"follow-up history: {listed(mismatches)}" if mismatches else "",
            f"{len(stale):,} maintained values differ from a recomputation: {listed(stale)}"
            if stale else "",
            "the tally of statuses differs from a count: " + listed([
                f"{code} {status} ({tallied}, expected {counted})"
                for (code, status), (tallied, counted) in tally.items()
            ]) if tally else "",
        ]
        report = "; ".join(problem for problem in problems if problem)
        if not fix:
            raise CommandError(f"{report}. Run check_consistency --fix to repair them.")
        with transaction.atomic():
            repair_statuses(mismatches)
            repair_values(stale)
            StatusTally.recount()
        self.stdout.write(self.style.SUCCESS(f"Repaired: {report}."))


def listed(items: list) -> str:
    shown = ", ".join(map(str, items[:SHOWN]))
    return shown + (", …" if len(items) > SHOWN else "")
