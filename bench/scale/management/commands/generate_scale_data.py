"""Generate realistic synthetic data at scale, for the benchmark and the query-count tests.

Every UN member State, every mechanism: several reporting cycles per State and mechanism with
milestones and documents, lists of issues and replies with their paragraphs for some cycles,
recommendations with themes, goals, groups and texts of realistic length, and a follow-up history
from many organisations. The same --seed gives the same data: every date is relative to the fixed
TODAY below, never to the clock (only the created/updated timestamps are the time of the run).

Every synthetic record is marked — its `source` (`source_name` for documents) starts with MARK,
an organisation's website with SYNTHETIC_WEBSITE — so that --flush and --remove delete exactly
those. Nothing else is changed: a (country, mechanism) that already has cycles (the demo's CRC
cycle of Kazakhstan) gets no synthetic cycles, and no symbol or organisation name is reused.
Load the demo before generating, not after: load_demo would adopt clashing synthetic records.
"""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from bench.scale.generator import Generator
from bench.scale.removal import delete_synthetic_data, synthetic_data_exists
from recommendations.management.commands.load_demo import REFERENCE_FIXTURES
from tracker.models import Country


class Command(BaseCommand):
    help = ("Generate synthetic cycles, documents, recommendations and follow-up entries at a "
            "chosen size; the same --seed gives the same data.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--recommendations", type=int, default=500_000,
                            help="How many recommendations (default: 500,000).")
        parser.add_argument("--assessments", type=int, default=2_000_000,
                            help="How many follow-up entries in all (default: 2,000,000).")
        parser.add_argument("--organisations", type=int, default=300,
                            help="How many NGOs and NHRIs write them (default: 300).")
        parser.add_argument("--seed", type=int, default=1,
                            help="The same seed on the same database gives the same data.")
        parser.add_argument("--batch-size", type=int, default=5_000,
                            help="Recommendations generated and inserted per round.")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--flush", action="store_true",
                           help="Delete the synthetic data generated earlier, then generate.")
        group.add_argument("--remove", action="store_true",
                           help="Delete the synthetic data generated earlier; generate nothing.")

    def handle(self, *args, recommendations: int, assessments: int, organisations: int,
               seed: int, batch_size: int, flush: bool, remove: bool, **options) -> None:
        if min(recommendations, assessments, batch_size - 1, organisations - 1) < 0:
            raise CommandError("Sizes cannot be negative; --organisations and --batch-size "
                               "must be at least 1.")
        if assessments and not recommendations:
            raise CommandError("Assessments need recommendations to assess.")
        started = time.monotonic()

        def progress(message: str) -> None:
            if options["verbosity"] >= 1:
                self.stderr.write(f"[{time.monotonic() - started:7.1f} s] {message}",
                                  style_func=str)

        if remove:
            delete_synthetic_data(progress)
            self.stdout.write(self.style.SUCCESS("Synthetic data removed."))
            return
        if not flush and synthetic_data_exists():
            raise CommandError("Synthetic data is already present: pass --flush to replace it, "
                               "or --remove to delete it.")
        if not Country.objects.exists():
            call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)
        # One transaction: a run that fails leaves the database as it was, earlier data included.
        with transaction.atomic():
            if flush:
                delete_synthetic_data(progress)
            generator = Generator(seed, recommendations, assessments, organisations, batch_size,
                                  progress)
            counts = generator.run()
        progress("analysing the tables")
        # Fresh statistics, so that the planner (and the benchmark) sees the data as a maintained
        # database would, rather than whenever autovacuum (PostgreSQL) gets round to it, or never
        # (SQLite).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(
            f"Generated (seed {seed}) in {time.monotonic() - started:.1f} s: {summary}."
        ))
