import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.models import Role
from tests.helpers import PASSWORD, make_organisation, make_user, totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_codes():
    # allauth refuses a TOTP code used twice (cache); user ids repeat across rolled-back tests.
    cache.clear()


def sign_in(client, username: str):
    return client.post("/accounts/login/", {"login": username, "password": PASSWORD})


def test_a_user_with_totp_enters_a_code_after_the_password(client):
    make_user("rustam", role=Role.REVIEWER, organisation=make_organisation())
    response = sign_in(client, "rustam")
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not client.get("/").context["user"].is_authenticated  # not signed in yet

    page = client.get("/accounts/2fa/authenticate/").content.decode()
    assert "Two-factor authentication" in page
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert "Incorrect code." in response.content.decode()
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "rustam"


def test_a_recovery_code_signs_in_once(client):
    user = make_user("rustam", role=Role.REVIEWER)
    code = RecoveryCodes.activate(user).get_unused_codes()[0]
    sign_in(client, "rustam")
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert client.get("/").context["user"] == user

    client.post("/accounts/logout/")
    sign_in(client, "rustam")
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert "Incorrect code." in response.content.decode()


@pytest.mark.parametrize("fields", [
    {"role": Role.REVIEWER}, {"role": Role.DATA_ENTRY}, {"is_staff": True}, {"is_superuser": True},
])
def test_roles_that_require_mfa_are_sent_to_set_it_up(client, fields):
    client.force_login(make_user(mfa=False, **fields))
    response = client.get("/recommendations/")
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"
    # What setting it up needs stays open.
    assert client.get("/accounts/2fa/").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "fr"}).status_code == 302
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"


def authenticator_lookups(client, url: str = "/recommendations/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum('"mfa_authenticator"' in query["sql"] for query in queries)


def test_a_session_signed_in_with_a_code_is_not_asked_for_an_authenticator(client):
    make_user("rustam", role=Role.REVIEWER)
    sign_in(client, "rustam")
    client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    assert authenticator_lookups(client) == 0


def test_a_session_signed_in_otherwise_is_asked_once(client):
    # As after setting up TOTP once signed in: allauth records no code in the session.
    client.force_login(make_user(role=Role.DATA_ENTRY))
    assert authenticator_lookups(client) == 1
    assert authenticator_lookups(client) == 0
    assert authenticator_lookups(client, "/") == 0


def test_other_users_may_go_without_mfa(client):
    client.force_login(make_user(role=Role.NGO_STAFF, organisation=make_organisation()))
    assert client.get("/recommendations/").status_code == 200


def test_a_user_sets_up_totp_and_gets_recovery_codes(client):
    user = make_user("rustam", role=Role.REVIEWER, mfa=False)
    sign_in(client, "rustam")
    assert client.get("/")["Location"] == "/accounts/2fa/totp/activate/"
    # Setting MFA up asks for the password again first.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})

    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200 and 'src="data:image/svg+xml;base64,' in page.content.decode()
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret=secret)})
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    page = client.get("/accounts/2fa/recovery-codes/").content.decode()
    assert len(re.findall(r"<li>\d{8}</li>", page)) == 10
    assert client.get("/recommendations/").status_code == 200  # no longer sent to set it up


def test_those_who_must_use_mfa_cannot_deactivate_it(client):
    user = make_user("rustam", role=Role.REVIEWER)
    sign_in(client, "rustam")
    client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    response = client.get("/accounts/2fa/totp/deactivate/")
    client.post(response["Location"], {"password": PASSWORD})
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert "You cannot deactivate two-factor authentication." in response.content.decode()
    assert Authenticator.objects.filter(user=user).exists()


def test_others_may_deactivate_it_after_confirming_who_they_are(client):
    user = make_user("aliya", role=Role.NGO_STAFF, mfa=True)
    client.force_login(user)
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert Authenticator.objects.filter(user=user).exists()
    # The code from the app confirms it as well as the password.
    client.post("/accounts/2fa/reauthenticate/?next=/accounts/2fa/totp/deactivate/", {
        "code": totp_code(),
    })
    client.post("/accounts/2fa/totp/deactivate/")
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_the_admin_signs_in_through_the_apps_sign_in_page_with_the_code(client):
    make_user("root", is_staff=True, is_superuser=True)
    response = client.get("/admin/")
    assert response["Location"] == "/admin/login/?next=/admin/"
    response = client.get(response["Location"])
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"

    # The admin's own form is not there to post a password to.
    response = client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 302 and not client.session.get("_auth_user_id")

    response = client.post("/accounts/login/", {
        "login": "root", "password": PASSWORD, "next": "/admin/",
    })
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_user_without_staff_status_is_refused_the_admin(client):
    client.force_login(make_user(role=Role.NGO_STAFF, organisation=make_organisation()))
    assert client.get("/admin/login/").status_code == 403


def test_wrong_codes_are_limited_like_wrong_passwords(client, settings):
    # The password is right (a stolen one): the code must not be guessed without end.
    make_user("rustam", role=Role.REVIEWER)
    sign_in(client, "rustam")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
        assert "Incorrect code." in response.content.decode()

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response.status_code == 200
    assert "Too many failed" in response.content.decode()
    assert not client.get("/").context["user"].is_authenticated


def test_the_count_of_wrong_codes_is_kept_in_the_database_cache_all_workers_share(client):
    make_user("rustam", role=Role.REVIEWER)
    sign_in(client, "rustam")
    client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tracker_cache")
        assert cursor.fetchone()[0] >= 1


def test_after_setting_up_totp_the_user_continues_to_the_page_they_asked_for(client, settings):
    settings.TRACKER_PUBLIC_READ = False
    make_user("rustam", role=Role.REVIEWER, mfa=False)
    asked_for = "/recommendations/?mechanism=CRC"
    response = client.get(asked_for)  # signed out: to the sign-in page, then back here
    response = client.post(response["Location"], {"login": "rustam", "password": PASSWORD})
    assert response["Location"] == asked_for
    assert client.get(asked_for)["Location"] == "/accounts/2fa/totp/activate/"
    client.post(client.get("/accounts/2fa/totp/activate/")["Location"], {"password": PASSWORD})
    secret = client.get("/accounts/2fa/totp/activate/").context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret=secret)})

    page = client.get(response["Location"]).content.decode()
    assert f'href="{asked_for.replace("&", "&amp;")}"' in page
    assert "Continue to the page you asked for" in page
    assert client.get(asked_for).status_code == 200
