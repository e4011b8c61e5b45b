"""The benchmark's in-process steps, run by bench/run.py in a subprocess against the benchmark's
database (DATABASE_URL): what to request (filter values, the record pages to open) and the timed
import of the seed replies. Prints one JSON object on stdout.

    python -m bench.probe targets --password PASSWORD
    python -m bench.probe import --repeats 5
"""

from __future__ import annotations

import argparse
import json
import os
import time
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q, QuerySet  # noqa: E402

from bench.client import totp_secret  # noqa: E402
from bench.middleware import QueryCounter  # noqa: E402
from bench.scale.vocabulary import MARK  # noqa: E402
from recommendations.importing import import_document_text  # noqa: E402
from recommendations.models import FollowUpAssessment, Recommendation  # noqa: E402
from tracker.models import ListOfIssuesParagraph, ReportingCycle  # noqa: E402

BENCH_USER = "bench"
REPLIES_SEED = settings.BASE_DIR / "fixtures" / "seeds" / "CRC_C_KAZ_RQ_5-6_fr.txt"
# The list's page size and the page the "deep page" request opens (fewer pages on a small set).
PER_PAGE = 25
DEEP_PAGE = 2000
EXPORT_ROWS = 100_000


def most_common(queryset: QuerySet, field: str) -> Any:
    """The value of `field` that the most rows of the queryset have."""
    row = (
        queryset.exclude(**{f"{field}__isnull": True}).values(field)
        .annotate(n=Count("*")).order_by("-n", field).first()
    )
    if row is None:
        raise SystemExit(f"No data to pick a value of {field} from: generate the data first.")
    return row[field]


def counts() -> dict[str, int]:
    return {
        "recommendations": Recommendation.objects.count(),
        "synthetic_recommendations": Recommendation.objects.filter(
            source__startswith=MARK
        ).count(),
        "assessments": FollowUpAssessment.objects.count(),
    }


def targets(password: str) -> dict[str, Any]:
    """The values each filter is benchmarked with and the record pages to open.

    Each filter takes its most frequent value: the lists sort every match before they cut a
    page, so the biggest match is the slowest. The cycle must be a current one, the only cycles
    the filter offers when no country is chosen.
    """
    user, _created = User.objects.get_or_create(username=BENCH_USER)
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    # A superuser must sign in with TOTP: an authenticator whose secret the client derives too.
    Authenticator.objects.filter(user=user).delete()
    TOTP.activate(user, totp_secret(password))

    current = Recommendation.objects.current()
    public = FollowUpAssessment.objects.public()
    through = Recommendation.themes.through.objects
    country_id = most_common(current, "country")
    organisation_id = most_common(public, "organisation")
    dated = current.exclude(date__isnull=True).order_by("date")
    total = Recommendation.objects.count()
    # The date from which about EXPORT_ROWS recommendations were issued (all, on a small set).
    all_dated = Recommendation.objects.exclude(date__isnull=True)
    export_from = all_dated.order_by("-date").values_list("date", flat=True)[
        min(EXPORT_ROWS, all_dated.count()) - 1
    ]
    values = {
        "country": country_id,
        "country_code": current.filter(country=country_id).values_list(
            "country__code", flat=True
        )[0],
        "mechanism": most_common(current, "mechanism"),
        "cycle": most_common(current.exclude(cycle__isnull=True), "cycle"),
        "kind": most_common(current, "kind"),
        # A theme without sub-themes, so that the app and the admin filter the same rows.
        "theme": most_common(
            through.filter(theme__children__isnull=True, recommendation__in=current), "theme"
        ),
        # A target, not a goal, for the same reason.
        "goal": most_common(
            Recommendation.goals.through.objects.filter(
                sustainabledevelopmentgoal__goal__isnull=False, recommendation__in=current
            ),
            "sustainabledevelopmentgoal",
        ),
        "affected_group": most_common(
            Recommendation.affected_groups.through.objects.filter(recommendation__in=current),
            "affectedgroup",
        ),
        "status": most_common(current, "status"),
        "organisation": organisation_id,
        "organisation_status": most_common(public.filter(organisation=organisation_id), "status"),
        "position": most_common(current.exclude(position=""), "position"),
        "recommending_state": most_common(
            Recommendation.recommending_states.through.objects.filter(recommendation__in=current),
            "country",
        ),
        "median_date": dated.values_list("date", flat=True)[dated.count() // 2].isoformat(),
        "export_from": export_from.isoformat(),
        "export_rows": Recommendation.objects.filter(date__gte=export_from).count(),
        "deep_page": min(DEEP_PAGE, max(1, total // PER_PAGE)),
        "long_history": most_common(FollowUpAssessment.objects.all(), "recommendation"),
        "questions_and_answers": most_common(
            ListOfIssuesParagraph.objects.filter(document__cycle__isnull=False), "document__cycle"
        ),
    }
    # Codes the app's filters take where the admin takes ids.
    values["mechanism_code"] = Recommendation.objects.filter(
        mechanism=values["mechanism"]
    ).values_list("mechanism__code", flat=True)[0]
    values["theme_code"] = through.filter(theme=values["theme"]).values_list(
        "theme__code", flat=True
    )[0]
    values["goal_code"] = Recommendation.goals.through.objects.filter(
        sustainabledevelopmentgoal=values["goal"]
    ).values_list("sustainabledevelopmentgoal__code", flat=True)[0]
    values["affected_group_code"] = Recommendation.affected_groups.through.objects.filter(
        affectedgroup=values["affected_group"]
    ).values_list("affectedgroup__code", flat=True)[0]
    values["recommending_state_code"] = Recommendation.recommending_states.through.objects.filter(
        country=values["recommending_state"]
    ).values_list("country__code", flat=True)[0]
    values["long_history_entries"] = FollowUpAssessment.objects.filter(
        recommendation=values["long_history"]
    ).count()
    values["current_recommendations"] = current.count()
    values["current_cycles"] = ReportingCycle.objects.filter(is_current=True).count()
    values["current_with_cycle"] = current.filter(~Q(cycle=None)).count()
    return values


def time_import(repeats: int) -> dict[str, Any]:
    """Import the seed replies as `manage.py import_document … --kind replies` does, in this
    process (so the interpreter's start-up is not counted): once to warm up, then `repeats`
    times. Each run replaces what the previous one imported."""
    text = REPLIES_SEED.read_text(encoding="utf-8")
    seconds, queries = [], []
    for run in range(repeats + 1):
        counter = QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            import_document_text(text, "replies", cycle=None, source_name=REPLIES_SEED.name)
        if run:  # the first run warms up
            seconds.append(time.perf_counter() - started)
            queries.append(counter.count)
    return {"seconds": seconds, "queries": queries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("counts")
    targets_parser = commands.add_parser("targets")
    targets_parser.add_argument("--password", required=True)
    import_parser = commands.add_parser("import")
    import_parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if args.command == "counts":
        result = counts()
    elif args.command == "targets":
        result = targets(args.password)
    else:
        result = time_import(args.repeats)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
