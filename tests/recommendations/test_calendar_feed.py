import datetime
import time

import icalendar
import pytest
from django.urls import reverse

from tests.helpers import (
    days,
    make_cycle,
    make_milestone,
    make_organisation,
    make_recommendation,
    make_user,
    today,
)
from tracker.accounts.models import Membership
from tracker.accounts.tokens import calendar_token
from tracker.models import Country, Document, Milestone

pytestmark = pytest.mark.django_db


def events(response) -> dict[str, icalendar.Event]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def kaz_cycle():
    return make_cycle("KAZ", "CRC", "5-6")


@pytest.fixture
def member():
    organisation = make_organisation(country=Country.objects.get(code="KAZ"))
    user = make_user()
    Membership.objects.create(user=user, organisation=organisation)
    return user


def user_url(user) -> str:
    return reverse("recommendations:calendar-user", args=[calendar_token(user=user.pk)])


def test_it_lists_pending_milestones_as_all_day_events(client, member, kaz_cycle):
    replies = make_milestone(
        kaz_cycle, Milestone.Kind.REPLIES_DUE, planned_date=today() + days(10), note="Ask early."
    )
    make_milestone(kaz_cycle, Milestone.Kind.REPORT_SUBMITTED, actual_date=today() - days(300))

    found = events(client.get(user_url(member)))

    # The done milestone is not a deadline any more.
    assert list(found) == [f"milestone-{replies.pk}@reporting-cycle-tracker"]
    event = found[f"milestone-{replies.pk}@reporting-cycle-tracker"]
    assert str(event["summary"]) == "CRC Kazakhstan 5-6: Replies due"
    # A date, not a date-time: calendar apps show it as an all-day event.
    start = event.decoded("dtstart")
    assert start == replies.planned_date and not isinstance(start, datetime.datetime)
    assert "Ask early." in str(event["description"])
    assert f"/cycles/{kaz_cycle.pk}/" in str(event["description"])


def test_its_uids_are_stable_between_fetches(client, member, kaz_cycle):
    make_milestone(kaz_cycle, Milestone.Kind.DIALOGUE, planned_date=today() + days(40))

    # Calendar apps update an event by its UID; a new UID each time would duplicate it.
    assert list(events(client.get(user_url(member)))) == list(events(client.get(user_url(member))))


def test_it_lists_follow_up_due_dates(client, member, kaz_cycle):
    selected = make_recommendation(kaz_cycle, follow_up=True, follow_up_due=today() + days(100))
    make_recommendation(kaz_cycle, follow_up=False)

    found = events(client.get(user_url(member)))

    event = found[f"follow-up-{selected.pk}@reporting-cycle-tracker"]
    assert event.decoded("dtstart") == selected.follow_up_due
    assert "Follow-up due" in str(event["summary"])
    assert len(found) == 1


def test_it_follows_the_membership_countries_rather_than_the_organisation_s(
    client, member, kaz_cycle
):
    kgz = make_cycle("KGZ", "CCPR", "3")
    kgz_dialogue = make_milestone(kgz, Milestone.Kind.DIALOGUE, planned_date=today() + days(5))
    make_milestone(kaz_cycle, Milestone.Kind.DIALOGUE, planned_date=today() + days(5))
    member.membership.countries.set([kgz.country])

    assert list(events(client.get(user_url(member)))) == [
        f"milestone-{kgz_dialogue.pk}@reporting-cycle-tracker"
    ]


def test_the_country_feed_lists_one_country(client, kaz_cycle):
    kaz_dialogue = make_milestone(kaz_cycle, Milestone.Kind.DIALOGUE, planned_date=today())
    make_milestone(make_cycle("KGZ", "CCPR", "3"), Milestone.Kind.DIALOGUE, planned_date=today())

    url = reverse("recommendations:calendar-country", args=[calendar_token(country="KAZ")])

    assert list(events(client.get(url))) == [f"milestone-{kaz_dialogue.pk}@reporting-cycle-tracker"]


@pytest.mark.parametrize(
    "url",
    [
        "/calendars/user/forged.ics",
        "/calendars/country/forged.ics",
        # A valid token of the other kind must not open a feed.
        reverse("recommendations:calendar-user", args=[calendar_token(country="KAZ")]),
        reverse("recommendations:calendar-country", args=[calendar_token(user=1)]),
    ],
)
def test_it_refuses_an_invalid_token(client, url):
    assert client.get(url).status_code == 404


def test_it_needs_no_sign_in_even_when_pages_do(client, settings, member):
    # Calendar apps cannot sign in: the token is the credential.
    settings.TRACKER_PUBLIC_READ = False

    assert client.get(user_url(member)).status_code == 200


def test_it_refuses_an_inactive_user_s_feed(client, member):
    member.is_active = False
    member.save()

    assert client.get(user_url(member)).status_code == 404


def test_the_deadlines_page_shows_the_signed_in_user_their_feeds(client, member):
    client.force_login(member)

    response = client.get(reverse("recommendations:deadlines"))

    assert response.context["calendar_url"].endswith(user_url(member))
    assert [country.code for country, _ in response.context["country_calendars"]] == ["KAZ"]
    assert user_url(member) in response.content.decode()



def days_later(monkeypatch, number: int) -> None:
    """The clock that signs and checks tokens (time.time), moved on by `number` days."""
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + number * 24 * 60 * 60)


def test_an_address_expires_after_the_configured_days(client, settings, member, monkeypatch):
    url = user_url(member)
    days_later(monkeypatch, settings.TRACKER_CALENDAR_TOKEN_DAYS - 1)
    assert client.get(url).status_code == 200
    days_later(monkeypatch, settings.TRACKER_CALENDAR_TOKEN_DAYS + 1)
    assert client.get(url).status_code == 404


def test_the_deadlines_page_gives_a_new_address_and_says_until_when_it_works(
    client, settings, member, monkeypatch
):
    old = user_url(member)
    days_later(monkeypatch, settings.TRACKER_CALENDAR_TOKEN_DAYS + 1)
    client.force_login(member)
    page = client.get(reverse("recommendations:deadlines"))
    new = page.context["calendar_url"]
    assert not new.endswith(old)
    assert client.get(new).status_code == 200
    assert "open their calendars until" in page.content.decode()
def test_it_leaves_out_a_milestone_that_the_loaded_replies_have_reached(client, member, kaz_cycle):
    make_milestone(kaz_cycle, Milestone.Kind.REPLIES_DUE, planned_date=today() - days(295))
    dialogue = make_milestone(kaz_cycle, Milestone.Kind.DIALOGUE, planned_date=today() + days(30))
    Document.objects.create(cycle=kaz_cycle, kind=Document.Kind.REPLIES, symbol="CRC/C/KAZ/RQ/5-6")

    assert list(events(client.get(user_url(member)))) == [
        f"milestone-{dialogue.pk}@reporting-cycle-tracker"
    ]
