"""The deadlines a person follows: their countries' pending milestones and the follow-up due dates
of recommendations, shared by the iCalendar feeds and the e-mailed digest."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from tracker.models import Country, Membership, Milestone


# Calendar URLs carry a signed token instead of a stored secret: calendar apps cannot log in, and
# no model needs a field for it. Changing SECRET_KEY revokes every feed URL.
CALENDAR_SALT = "tracker.calendar"


def calendar_token(**subject: int | str) -> str:
    """A URL-safe token naming what a feed shows: `user=<pk>` or `country=<code>`."""
    return signing.dumps(subject, salt=CALENDAR_SALT)


def read_calendar_token(token: str, key: str) -> int | str | None:
    """The user pk or country code a token signs for, None when forged or of another kind."""
    try:
        subject = signing.loads(token, salt=CALENDAR_SALT)
    except signing.BadSignature:
        return None
    return subject.get(key) if isinstance(subject, dict) else None


def countries_followed(user: AbstractBaseUser) -> QuerySet[Country]:
    """The membership's countries or, when it names none, the organisation's own country; no
    country for a user outside any organisation."""
    membership = Membership.objects.filter(user=user).select_related("organisation").first()
    if membership is None:
        return Country.objects.none()
    countries = membership.countries.all()
    if countries.exists():
        return countries
    return Country.objects.filter(pk=membership.organisation.country_id)


@dataclass
class Deadline:
    """One dated thing to do: a cycle's pending milestone or a recommendation's follow-up."""

    uid: str
    date: datetime.date
    summary: str
    description: str
    url: str

    @property
    def is_overdue(self) -> bool:
        return self.date < timezone.localdate()


def _follow_ups(countries: QuerySet[Country]) -> QuerySet:
    """Recommendations selected for follow-up with a due date, whose cycle has not recorded the
    follow-up as submitted. Read through the app registry: tracker may not import the
    recommendations app, which builds on it."""
    Recommendation = apps.get_model("recommendations", "Recommendation")
    submitted = Milestone.objects.filter(
        cycle=OuterRef("cycle"),
        kind=Milestone.Kind.FOLLOW_UP_SUBMITTED,
        actual_date__isnull=False,
    )
    return (
        Recommendation.objects.filter(
            country__in=countries, follow_up=True, follow_up_due__isnull=False
        )
        .exclude(Exists(submitted))
        .select_related("country", "mechanism", "cycle")
        .order_by("follow_up_due", "pk")
    )


def deadlines(
    countries: QuerySet[Country],
    until: datetime.date | None = None,
) -> list[Deadline]:
    """The countries' pending milestones and follow-up due dates, overdue ones included, up to
    `until` when given, earliest first. URLs are paths: the caller makes them absolute."""
    milestones = Milestone.objects.pending().filter(cycle__country__in=countries)
    follow_ups = _follow_ups(countries)
    if until is not None:
        milestones = milestones.filter(planned_date__lte=until)
        follow_ups = follow_ups.filter(follow_up_due__lte=until)
    found = [
        Deadline(
            uid=f"milestone-{milestone.pk}",
            date=milestone.planned_date,
            summary=str(milestone),
            description=milestone.note,
            url=milestone.cycle.get_absolute_url(),
        )
        for milestone in milestones.select_related("cycle__country", "cycle__mechanism")
    ]
    found += [
        Deadline(
            uid=f"follow-up-{recommendation.pk}",
            date=recommendation.follow_up_due,
            summary=gettext("%(recommendation)s: Follow-up due")
            % {"recommendation": recommendation},
            description=recommendation.text,
            url=recommendation.get_absolute_url(),
        )
        for recommendation in follow_ups
    ]
    return sorted(found, key=lambda deadline: (deadline.date, deadline.summary))
