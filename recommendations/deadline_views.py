"""The deadlines page and the iCalendar feeds: the cycles' pending milestones beside the
recommendations' follow-up due dates, which is why they live in the app that builds on tracker."""

from __future__ import annotations

import icalendar
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from recommendations.deadlines import (
    Deadline,
    MergedDeadlines,
    countries_followed,
    deadlines,
    follow_ups_due,
    pending_milestones,
)
from recommendations.filters import DeadlineFilter
from recommendations.tables import DeadlineTable, MergedData
from tracker.accounts.tokens import calendar_token, calendar_token_expiry, read_calendar_token
from tracker.models import Country
from tracker.tables import BoundedLazyPaginator
from tracker.views import PAGINATION


class DeadlineListView(SingleTableMixin, FilterView):
    filterset_class = DeadlineFilter
    table_class = DeadlineTable
    template_name = "recommendations/deadline_filter.html"
    paginator_class = BoundedLazyPaginator
    table_pagination = PAGINATION

    def get_queryset(self):
        return pending_milestones()

    def get_table_data(self) -> MergedData:
        # FilterView filtered the milestones into object_list; the same filters narrow the
        # follow-ups, and the page merges both.
        follow_ups = follow_ups_due()
        if self.filterset.is_bound:
            if self.filterset.is_valid():
                follow_ups = self.filterset.filter_queryset(follow_ups)
            else:
                follow_ups = follow_ups.none()
        return MergedData(MergedDeadlines(self.object_list, follow_ups))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.is_authenticated:
            # The signed-in user's subscription URLs: their own feed and one per country.
            context["calendar_url"] = self.request.build_absolute_uri(
                reverse("recommendations:calendar-user", args=[calendar_token(user=user.pk)])
            )
            context["calendar_expiry"] = calendar_token_expiry()
            context["country_calendars"] = [
                (country, self.request.build_absolute_uri(
                    reverse("recommendations:calendar-country", args=[calendar_token(country=country.code)])
                ))
                for country in countries_followed(user)
            ]
        return context


# Calendar apps poll this UID to update an event rather than add it again.
CALENDAR_UID_DOMAIN = "reporting-cycle-tracker"


def _calendar_response(request: HttpRequest, name: str, found: list[Deadline]) -> HttpResponse:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Reporting cycle tracker//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    now = timezone.now()
    for deadline in found:
        url = request.build_absolute_uri(deadline.url)
        event = icalendar.Event()
        event.add("uid", f"{deadline.uid}@{CALENDAR_UID_DOMAIN}")
        event.add("dtstamp", now)
        # A date, not a date-time: an all-day event.
        event.add("dtstart", deadline.date)
        event.add("summary", deadline.summary)
        event.add("description", "\n\n".join(part for part in [deadline.description, url] if part))
        event.add("url", url)
        calendar.add_component(event)
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")


# Calendar apps cannot sign in: the signed token is the credential, whatever TRACKER_PUBLIC_READ.
@require_safe
@login_not_required
def calendar_user(request: HttpRequest, token: str) -> HttpResponse:
    """The deadlines of a user's countries. No login: the signed token is the credential."""
    user = get_object_or_404(
        get_user_model(), pk=read_calendar_token(token, "user"), is_active=True
    )
    name = _("Deadlines for %(user)s") % {"user": user.get_username()}
    return _calendar_response(request, name, deadlines(countries_followed(user)))


@require_safe
@login_not_required
def calendar_country(request: HttpRequest, token: str) -> HttpResponse:
    """The deadlines of one country. No login: the signed token is the credential."""
    code = read_calendar_token(token, "country")
    if code is None:
        raise Http404
    country = get_object_or_404(Country, code=code)
    name = _("Deadlines: %(country)s") % {"country": country}
    return _calendar_response(
        request, name, deadlines(Country.objects.filter(pk=country.pk))
    )
