import datetime

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from tests.helpers import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def sign_in(client, password: str, address: str = "10.0.0.1"):
    return client.post(
        "/accounts/login/", {"login": "aliya", "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def locked(client, settings):
    make_user("aliya", email="aliya@example.org")
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "a guess").status_code == 200  # the form again, with its error
    return sign_in(client, "a guess")


def test_five_failures_lock_the_account_from_that_address_with_a_clear_message(locked):
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many failed sign-in attempts." in page
    assert "locked for 30 minutes" in page and "Reporting cycle tracker" in page


def test_a_locked_user_cannot_sign_in_even_with_the_right_password(client, locked):
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert not client.session.get("_auth_user_id")


def test_the_lock_holds_for_that_address_only(client, locked):
    response = sign_in(client, PASSWORD, address="10.0.0.2")
    assert response.status_code == 302 and client.session.get("_auth_user_id")


def test_the_lock_ends_after_the_cool_off(client, locked):
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert sign_in(client, PASSWORD).status_code == 302


def test_the_lock_out_message_is_translated(client, locked):
    response = client.post(
        "/accounts/login/", {"login": "aliya", "password": "a guess"},
        REMOTE_ADDR="10.0.0.1", HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert "Trop de tentatives de connexion" in response.content.decode()


@pytest.mark.parametrize("spelling", ["ALIYA", "Aliya", " aliya", "aliya ", "aliya@example.org",
                                      "ALIYA@Example.org"])
def test_another_spelling_of_a_locked_username_is_locked_too(client, locked, spelling):
    response = client.post(
        "/accounts/login/", {"login": spelling, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
    assert not client.session.get("_auth_user_id")


def test_failures_under_other_spellings_count_towards_one_lock(client, settings):
    make_user("aliya", email="aliya@example.org")
    spellings = ["ALIYA", " aliya", "aliya@example.org", "Aliya", "aliya"]
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT]:
        client.post("/accounts/login/", {"login": spelling, "password": "a guess"},
                    REMOTE_ADDR="10.0.0.1")
    assert sign_in(client, PASSWORD).status_code == 429
