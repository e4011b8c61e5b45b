"""The deadlines a person follows: their countries' pending milestones and the follow-up due dates
of recommendations, shared by the iCalendar feeds and the e-mailed digest."""

from __future__ import annotations

import datetime
import heapq
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, F, Model, OuterRef, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext

from recommendations.models import Recommendation
from tracker.accounts.permissions import membership_of
from tracker.models import Country, Mechanism, Milestone


def countries_followed(user: AbstractBaseUser) -> QuerySet[Country]:
    """The membership's countries or, when it names none, the organisation's own country; no
    country for a user outside any organisation."""
    membership = membership_of(user)  # read once a request, with organisation_of's
    if membership is None:
        return Country.objects.none()
    countries = membership.countries.all()
    if countries.exists():
        return countries
    if membership.organisation.country_id is None:
        return Country.objects.none()
    return Country.objects.filter(pk=membership.organisation.country_id)


# The kind of a recommendation's follow-up due date, beside the milestones' kinds.
FOLLOW_UP = "follow_up"


@dataclass
class Deadline:
    """One dated thing to do: a cycle's pending milestone or a recommendation's follow-up."""

    uid: str
    date: datetime.date
    kind: str
    # The cycle or the recommendation the deadline is for.
    subject: Model
    country: Country | None
    mechanism: Mechanism
    description: str

    @property
    def summary(self) -> str:
        return f"{self.subject}: {self.kind}"

    @property
    def url(self) -> str:
        """A path: the caller makes it absolute."""
        return self.subject.get_absolute_url()

    @property
    def days_left(self) -> int:
        return (self.date - timezone.localdate()).days

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return max(-self.days_left, 0)


# Both querysets below name alike what the deadline filters read: `due` (the date), `step` (the
# kind), `country` and `mechanism`, so that one filter narrows either.


def pending_milestones() -> QuerySet[Milestone]:
    """Milestones still waiting for their actual date, earliest first."""
    return (
        Milestone.objects.pending()
        .alias(
            due=F("planned_date"),
            step=F("kind"),
            country=F("cycle__country"),
            mechanism=F("cycle__mechanism"),
        )
        .select_related("cycle__country", "cycle__mechanism")
        .order_by("planned_date", "pk")
    )


def follow_ups_due() -> QuerySet[Recommendation]:
    """Recommendations selected for follow-up with a due date, whose cycle has not recorded the
    follow-up as submitted, earliest first."""
    submitted = Milestone.objects.filter(
        cycle=OuterRef("cycle"),
        kind=Milestone.Kind.FOLLOW_UP_SUBMITTED,
        actual_date__isnull=False,
    )
    return (
        Recommendation.objects.filter(follow_up=True, follow_up_due__isnull=False)
        .exclude(Exists(submitted))
        .alias(due=F("follow_up_due"), step=Value(FOLLOW_UP))
        .select_related("country", "mechanism")
        .order_by("follow_up_due", "pk")
    )


def _milestone_deadline(milestone: Milestone) -> Deadline:
    return Deadline(
        uid=f"milestone-{milestone.pk}",
        date=milestone.planned_date,
        kind=milestone.get_kind_display(),
        subject=milestone.cycle,
        country=milestone.cycle.country,
        mechanism=milestone.cycle.mechanism,
        description=milestone.note,
    )


def _follow_up_deadline(recommendation: Recommendation) -> Deadline:
    return Deadline(
        uid=f"follow-up-{recommendation.pk}",
        date=recommendation.follow_up_due,
        kind=gettext("Follow-up due"),
        subject=recommendation,
        country=recommendation.country,
        mechanism=recommendation.mechanism,
        description=recommendation.text,
    )


class MergedDeadlines:
    """Milestones and follow-ups (filtered alike, each ordered by date) as one list of deadlines,
    earliest first. A slice reads no more rows from each queryset than it ends at, so a page of a
    long list costs two short queries and no count."""

    def __init__(
        self, milestones: QuerySet[Milestone], follow_ups: QuerySet[Recommendation]
    ) -> None:
        self.milestones = milestones
        self.follow_ups = follow_ups

    def _merge(self, stop: int | None) -> Iterator[Deadline]:
        return heapq.merge(
            map(_milestone_deadline, self.milestones[:stop]),
            map(_follow_up_deadline, self.follow_ups[:stop]),
            key=attrgetter("date"),
        )

    def __getitem__(self, key: slice) -> list[Deadline]:
        return list(itertools.islice(self._merge(key.stop), key.start, key.stop))

    def __iter__(self) -> Iterator[Deadline]:
        return self._merge(None)


def deadlines(
    countries: QuerySet[Country],
    until: datetime.date | None = None,
) -> list[Deadline]:
    """The countries' pending milestones and follow-up due dates, overdue ones included, up to
    `until` when given, earliest first."""
    milestones = pending_milestones().filter(country__in=countries)
    follow_ups = follow_ups_due().filter(country__in=countries)
    if until is not None:
        milestones = milestones.filter(due__lte=until)
        follow_ups = follow_ups.filter(due__lte=until)
    return list(MergedDeadlines(milestones, follow_ups))
