"""Check that every value maintained for the lists equals a recomputation.

`Recommendation.status` and `has_follow_up` are kept in step by FollowUpAssessment.save() and
delete(); the copies `in_current_cycle`, `country_name` and `mechanism_code` by
Recommendation.save() and the signal handlers of recommendations.models; StatusTally by every
write that changes a status. Bulk inserts, raw SQL or a bug can leave them stale, and the lists
filter, sort and count on them. The check recomputes each in a query or two, whatever the number
of recommendations; --fix writes the expected values where they differ.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import (
    BooleanField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from recommendations.models import (
    DISPUTED,
    FollowUpAssessment,
    Recommendation,
    Status,
    StatusTally,
)
from tracker.models import Country, Mechanism, ReportingCycle

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


# Each maintained column of Recommendation but the status, as an expression that recomputes it.
def expected_values() -> dict[str, Expression]:
    return {
        "has_follow_up": Exists(
            FollowUpAssessment.objects.public().filter(recommendation=OuterRef("pk"))
        ),
        "in_current_cycle": ExpressionWrapper(
            Q(cycle__isnull=True)
            | Exists(ReportingCycle.objects.filter(pk=OuterRef("cycle_id"), is_current=True)),
            output_field=BooleanField(),
        ),
        "country_name": Coalesce(
            Subquery(Country.objects.filter(pk=OuterRef("country_id")).values("name")), Value("")
        ),
        "mechanism_code": Subquery(
            Mechanism.objects.filter(pk=OuterRef("mechanism_id")).values("code")
        ),
    }


@dataclass(frozen=True)
class StaleValue:
    pk: int
    field: str
    stored: object
    expected: object

    def __str__(self) -> str:
        return f"#{self.pk} {self.field} ({self.stored!r}, expected {self.expected!r})"


def find_stale_values() -> list[StaleValue]:
    """The maintained columns other than the status that differ from a recomputation, in one
    query."""
    expected = {f"expected_{name}": value for name, value in expected_values().items()}
    fields = [*expected_values()]
    rows = (
        Recommendation.objects.alias(**expected)
        .exclude(Q(*[(name, F(f"expected_{name}")) for name in fields]))
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
        for start in range(0, len(ids), UPDATE_CHUNK):
            Recommendation.objects.filter(pk__in=ids[start:start + UPDATE_CHUNK]).update(
                **expected_values()
            )


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
