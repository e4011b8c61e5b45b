"""Sessions: a new one at each sign-in, idle and absolute time-outs (SessionTimeoutMiddleware),
and the cookie's attributes. The clock is moved by editing the times the session stores."""

import time

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.shortcuts import resolve_url

from tests.helpers import make_user
from tracker.middleware import LAST_SEEN, SIGNED_IN_AT

pytestmark = pytest.mark.django_db

EXPIRED = "Your session has expired. Please sign in again."


@pytest.fixture
def signed_in(client, settings):
    settings.TRACKER_PUBLIC_READ = False
    client.force_login(make_user("aliya"))
    return client


def move_clock_back(client, key: str, seconds: float) -> None:
    session = client.session
    session[key] -= seconds
    session.save()


def sign_in(client, username: str):
    # Both field names: Django's sign-in form reads "username", django-allauth's "login".
    return client.post(resolve_url(django_settings.LOGIN_URL), {
        "username": username, "login": username, "password": "x",
    })


def test_signing_in_starts_a_new_session(client):
    user = make_user("aliya")
    # A session fixed before sign-in (by an attacker, say) must not become the signed-in one.
    session = client.session
    session["planted"] = True
    session.save()
    planted_key = session.session_key

    assert sign_in(client, "aliya").status_code == 302

    assert client.session.session_key != planted_key
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not Session.objects.filter(session_key=planted_key).exists()


def test_signing_in_starts_both_clocks(client):
    make_user("aliya")
    before = time.time()
    sign_in(client, "aliya")
    assert before <= client.session[SIGNED_IN_AT] <= time.time()
    assert client.session[LAST_SEEN] == client.session[SIGNED_IN_AT]


def test_a_user_idle_for_less_than_the_limit_stays_signed_in(signed_in, settings):
    move_clock_back(signed_in, LAST_SEEN, settings.TRACKER_SESSION_IDLE_MINUTES * 60 - 60)

    assert signed_in.get("/").status_code == 200
    # The request counts as activity: the idle clock starts again.
    assert time.time() - signed_in.session[LAST_SEEN] < 5


def test_an_idle_session_is_signed_out_with_a_message(signed_in, settings):
    old_key = signed_in.session.session_key
    move_clock_back(signed_in, LAST_SEEN, settings.TRACKER_SESSION_IDLE_MINUTES * 60 + 1)

    response = signed_in.get("/measures/?country=KAZ", follow=True)

    assert response.redirect_chain[0][0] == (
        resolve_url(settings.LOGIN_URL) + "?next=/measures/%3Fcountry%3DKAZ"
    )
    assert EXPIRED in response.content.decode()
    assert not response.context["user"].is_authenticated
    assert not Session.objects.filter(session_key=old_key).exists()
    # Signed out for good, not just for one page.
    assert signed_in.get("/").status_code == 302


def test_a_session_older_than_the_limit_ends_however_active(signed_in, settings):
    move_clock_back(signed_in, SIGNED_IN_AT, settings.TRACKER_SESSION_MAX_HOURS * 60 * 60 + 1)

    response = signed_in.get("/", follow=True)

    assert EXPIRED in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_a_session_younger_than_the_limit_goes_on(signed_in, settings):
    move_clock_back(signed_in, SIGNED_IN_AT, settings.TRACKER_SESSION_MAX_HOURS * 60 * 60 - 60)
    assert signed_in.get("/").status_code == 200


def test_the_limits_come_from_the_settings(signed_in, settings):
    settings.TRACKER_SESSION_IDLE_MINUTES = 5
    move_clock_back(signed_in, LAST_SEEN, 5 * 60 + 1)
    assert signed_in.get("/").status_code == 302


def test_signing_in_again_after_the_time_out_starts_afresh(signed_in, settings):
    move_clock_back(signed_in, SIGNED_IN_AT, settings.TRACKER_SESSION_MAX_HOURS * 60 * 60 + 1)
    signed_in.get("/")

    sign_in(signed_in, "aliya")

    assert signed_in.get("/").status_code == 200


def test_the_session_cookie_is_http_only_and_same_site_lax(client):
    make_user("aliya")
    cookie = sign_in(client, "aliya").cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
