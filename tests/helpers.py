"""Small helpers that build the records tests need. Reference lists come from the fixtures."""

from __future__ import annotations

import datetime
import itertools
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.scale.management.commands.generate_scale_data import Command as GenerateScaleData
from recommendations.models import FollowUpAssessment, Recommendation
from tracker.accounts.models import Membership
from tracker.models import Country, Mechanism, Milestone, Organisation, ReportingCycle

_counter = itertools.count(1)


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def make_cycle(country: str = "KAZ", mechanism: str = "CRC", label: str = "5-6", **fields) -> ReportingCycle:
    return ReportingCycle.objects.create(
        country=Country.objects.get(code=country),
        mechanism=Mechanism.objects.get(code=mechanism),
        label=label,
        **fields,
    )


def make_milestone(cycle: ReportingCycle, kind: str, **fields) -> Milestone:
    return Milestone.objects.create(cycle=cycle, kind=kind, **fields)


def make_organisation(name: str = "", kind: str = Organisation.Kind.NGO, **fields) -> Organisation:
    return Organisation.objects.create(name=name or f"Organisation {next(_counter)}", kind=kind, **fields)


# The TOTP secret of the users make_user gives an authenticator, and the password of all.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "x"


def make_user(
    username: str = "",
    organisation: Organisation | None = None,
    role: str = "",
    mfa: bool | None = None,
    **fields,
) -> User:
    """A user, member of the organisation and in the role's group when given. Those who must
    use MFA (reviewers, data entry, staff, superusers) get a TOTP authenticator unless mfa=False,
    so that force_login does not send them to set one up; others get one with mfa=True."""
    user = User.objects.create_user(
        username=username or f"user{next(_counter)}", password=PASSWORD, **fields
    )
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation)
    if role:
        # get_or_create: a transactional test run before (the backup tests, browser tests)
        # flushed the database, with the groups migration 0002_roles made; the role's name is
        # what the permission checks read (the admin's model permissions are then missing).
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    if mfa is None:
        mfa = user.is_staff or user.is_superuser or role in settings.TRACKER_MFA_REQUIRED_GROUPS
    if mfa:
        give_totp(user)
    return user


def give_totp(user: User) -> Authenticator:
    """A TOTP authenticator with TOTP_SECRET, as if the user had set up an authenticator app."""
    return TOTP.activate(user, TOTP_SECRET).instance


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app with the secret shows now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def make_recommendation(cycle: ReportingCycle | None = None, **fields) -> Recommendation:
    cycle = cycle or make_cycle(label=f"L{next(_counter)}", is_current=False)
    fields.setdefault("reference", str(next(_counter)))
    fields.setdefault("text", "The Committee recommends that the State party adopt a law.")
    return Recommendation.objects.create(
        cycle=cycle, country=cycle.country, mechanism=cycle.mechanism, **fields
    )


def make_assessment(
    recommendation: Recommendation,
    organisation: Organisation,
    status: str,
    review_state: str = FollowUpAssessment.ReviewState.ACCEPTED,
    date: datetime.date | None = None,
    **fields,
) -> FollowUpAssessment:
    if review_state in (FollowUpAssessment.ReviewState.ACCEPTED, FollowUpAssessment.ReviewState.DISPUTED):
        fields.setdefault("reviewed_at", timezone.now())
    return FollowUpAssessment.objects.create(
        recommendation=recommendation,
        organisation=organisation,
        status=status,
        review_state=review_state,
        date=date or today(),
        summary=fields.pop("summary", "A law was adopted."),
        **fields,
    )


def query_counts(client, urls: dict[str, str]) -> dict[str, int]:
    """The number of SQL queries each page asks, by name; each must answer 200."""
    counts = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


def generate_scale_data(**options) -> None:
    """Run bench's generate_scale_data command, which the settings the tests run with (the
    production ones) do not install: it belongs to the development-only app bench.scale."""
    call_command(GenerateScaleData(), **options)
