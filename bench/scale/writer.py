"""The records the generator builds, and how it inserts them in bulk."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, models
from django.utils import timezone

from bench.scale.vocabulary import MARK, TreatyBody
from recommendations.models import Recommendation
from tracker.models import Country, Document, Mechanism, ReportingCycle


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


class Entry(NamedTuple):
    """A follow-up assessment as inserted: the columns of FollowUpAssessment, in this order."""

    organisation_id: int
    date: datetime.date
    status: str
    review_state: str
    reviewed_at: datetime.datetime | None
    grade: str
    summary: str
    evidence: str
    evidence_links: str
    review_note: str


@dataclass
class Source:
    """What recommendations are issued in: concluding observations, a UPR Working Group report,
    a visit report, or the priorities a body sets outside reporting cycles."""

    family: str  # "treaty", "upr", "visit" or "priority"
    mechanism: Mechanism
    country: Country | None
    date: datetime.date
    weight: float
    cycle: ReportingCycle | None = None
    document: Document | None = None
    upr_session: int | None = None
    treaty_body: TreatyBody | None = None


Generated = tuple[Recommendation, list[Entry], dict[str, list[int]]]


class Writer:
    """The generator's state, and its bulk inserts."""

    def __init__(self, seed: int, recommendations: int, assessments: int, organisations: int,
                 batch_size: int, progress: Callable[[str], None]) -> None:
        self.rng = random.Random(seed)
        self.recommendation_count = recommendations
        self.assessment_count = assessments
        self.organisation_count = organisations
        self.batch_size = batch_size
        self.progress = progress
        self.counts: dict[str, int] = defaultdict(int)
        self.source = f"{MARK} --seed {seed}"
        self.countries = list(Country.objects.filter(un_member=True).order_by("code"))
        self.country_by_code = {country.code: country for country in Country.objects.all()}

    def bulk_create(self, model: type[models.Model], objs: list) -> None:
        model.objects.bulk_create(objs, batch_size=self.batch_size)
        self.counts[str(model._meta.verbose_name_plural)] += len(objs)

    def insert_rows(self, model: type[models.Model], columns: list[str], rows: list[tuple]) -> None:
        """Insert plain tuples: COPY on PostgreSQL, executemany elsewhere. For millions of
        assessments and links, bulk_create's model instance and SQL text per row cost several
        times the insert itself. The model's other columns take their defaults, the auto_now
        ones the time of the run."""
        fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
        now = timezone.now()
        others = [name for name in fields if name not in columns]
        defaults = tuple(
            fields[name].get_db_prep_save(
                now if getattr(fields[name], "auto_now", False)
                or getattr(fields[name], "auto_now_add", False) else fields[name].get_default(),
                connection,
            )
            for name in others
        )
        quote = connection.ops.quote_name
        names = ", ".join(quote(fields[name].column) for name in columns + others)
        table = f"{quote(model._meta.db_table)} ({names})"
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + defaults)
            else:
                # Dates go through the backend's adapter (SQLite stores them as text).
                ops = connection.ops
                adapters = [
                    ops.adapt_datetimefield_value if isinstance(fields[name], models.DateTimeField)
                    else ops.adapt_datefield_value if isinstance(fields[name], models.DateField)
                    else None
                    for name in columns
                ]
                if any(adapters):
                    rows = [
                        tuple(v if adapt is None or v is None else adapt(v)
                              for v, adapt in zip(row, adapters))
                        for row in rows
                    ]
                placeholders = ", ".join(["%s"] * (len(columns) + len(others)))
                cursor.executemany(f"INSERT INTO {table} VALUES ({placeholders})",
                                   [row + defaults for row in rows])
        self.counts[str(model._meta.verbose_name_plural)] += len(rows)

    def link(self, descriptor, pairs: list[tuple[int, int]]) -> None:
        """Insert many-to-many rows straight into the through table."""
        relation = descriptor.field
        self.insert_rows(descriptor.through, [f"{relation.m2m_field_name()}_id",
                                              f"{relation.m2m_reverse_field_name()}_id"], pairs)
