"""The load test's in-process steps, run by bench/load.py in a subprocess against the test's
database (DATABASE_URL). Prints one JSON object on stdout.

    python -m bench.load_probe users --ngo 40 --reviewers 10
    python -m bench.load_probe markers --prefix LT-1a2b3c

`users` creates (or resets) the simulated users, NGO staff of several organisations and
reviewers of an ombudsman office, and a signed-in session for each, made here rather than through
the sign-in form: sign-in is not what the load test measures, and the lock-out after repeated
sign-ins would get in the way. Reviewers get a TOTP authenticator, which the app requires of them
before any other page. It also picks what the simulated users request.

`markers` lists the markers found in follow-up summaries and review notes, one per row, so that
bench/load.py can count each acknowledged write.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db.models import Count  # noqa: E402

from recommendations.models import FollowUpAssessment, Recommendation  # noqa: E402
from tracker.accounts.models import Membership  # noqa: E402
from tracker.accounts.roles import Role  # noqa: E402
from tracker.models import Organisation, ReportingCycle  # noqa: E402

USER_PREFIX = "load-"
# Markers look like "[LT-<run>:<user>:<n>]"; bench/load.py writes them and counts them back.
MARKER = re.compile(r"\[(LT-[0-9a-f]+:[\w-]+:\d+)\]")


def session_for(user: User) -> str:
    """A signed-in session of `user`, as django.contrib.auth.login() leaves it."""
    backend = next(path for path in settings.AUTHENTICATION_BACKENDS if "axes" not in path)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def give_totp(user: User) -> None:
    """A TOTP authenticator, which the app demands of reviewers before it shows them anything."""
    if "allauth.mfa" not in settings.INSTALLED_APPS:
        return
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())


def make_user(name: str, role: str, organisation: Organisation) -> User:
    user, _created = User.objects.get_or_create(username=name)
    user.set_unusable_password()
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    Membership.objects.update_or_create(user=user, defaults={"organisation": organisation})
    return user


def users(ngo: int, reviewers: int, organisations: int, seed: int) -> dict:
    ngos = list(
        Organisation.objects.filter(kind=Organisation.Kind.NGO).order_by("pk")[:organisations]
    )
    office = Organisation.objects.filter(kind=Organisation.Kind.NHRI).order_by("pk").first()
    if not ngos or office is None:
        raise SystemExit("No NGO or ombudsman office to put the users in: load the data first.")
    people = []
    for number in range(ngo):
        organisation = ngos[number % len(ngos)]
        user = make_user(f"{USER_PREFIX}ngo-{number}", Role.NGO_STAFF, organisation)
        people.append({"name": user.username, "role": "ngo", "session": session_for(user)})
    for number in range(reviewers):
        user = make_user(f"{USER_PREFIX}reviewer-{number}", Role.REVIEWER, office)
        give_totp(user)
        people.append({"name": user.username, "role": "reviewer", "session": session_for(user)})

    rng = random.Random(seed)
    current = Recommendation.objects.current().exclude(cycle=None)
    ids = list(current.values_list("pk", flat=True))
    # Countries and mechanisms with the most current recommendations, as people filter by them.
    countries = [row["country__code"] for row in current.values("country__code").annotate(
        n=Count("*")).order_by("-n")[:10]]
    mechanisms = [row["mechanism__code"] for row in current.values("mechanism__code").annotate(
        n=Count("*")).order_by("-n")[:5]]
    return {
        "users": people,
        "organisations": [organisation.name for organisation in ngos],
        "recommendations": rng.sample(ids, min(500, len(ids))),
        "cycles": list(ReportingCycle.objects.filter(is_current=True).order_by("?")
                       .values_list("pk", flat=True)[:50]),
        "countries": countries,
        "mechanisms": mechanisms,
        "session_cookie": settings.SESSION_COOKIE_NAME,
    }


def markers(prefix: str) -> dict:
    """Every marker of this run in follow-up summaries and in review notes, once per row."""
    tag = f"[{prefix}:"
    summaries = FollowUpAssessment.objects.filter(summary__contains=tag).order_by().values_list(
        "summary", flat=True)
    notes = FollowUpAssessment.objects.filter(review_note__contains=tag).order_by().values_list(
        "review_note", flat=True)
    return {
        "log": [match for text in summaries for match in MARKER.findall(text)],
        "review": [match for text in notes for match in MARKER.findall(text)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    users_parser = commands.add_parser("users")
    users_parser.add_argument("--ngo", type=int, default=40)
    users_parser.add_argument("--reviewers", type=int, default=10)
    users_parser.add_argument("--organisations", type=int, default=5)
    users_parser.add_argument("--seed", type=int, default=1)
    markers_parser = commands.add_parser("markers")
    markers_parser.add_argument("--prefix", required=True)
    args = parser.parse_args()
    if args.command == "users":
        result = users(args.ngo, args.reviewers, args.organisations, args.seed)
    else:
        result = markers(args.prefix)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
