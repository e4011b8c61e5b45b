import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from recommendations.models import Role
from tests.helpers import PASSWORD, make_organisation, make_user

pytestmark = pytest.mark.django_db


def sign_in(client: Client, login: str, password: str = PASSWORD, **extra):
    return client.post("/accounts/login/", {"login": login, "password": password, **extra})


def test_a_user_signs_in_sees_their_organisation_and_signs_out(client, settings):
    settings.TRACKER_PUBLIC_READ = False
    make_user("aliya", organisation=make_organisation("Coalition"), role=Role.NGO_STAFF)
    page = client.get("/accounts/login/?next=/recommendations/")
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    response = sign_in(client, "aliya", next="/recommendations/")
    assert response["Location"] == "/recommendations/"
    page = client.get("/").content.decode()
    assert "aliya" in page and "Coalition" in page and "Sign out" in page

    # Signing out is a POST; a GET only asks for confirmation.
    assert "Are you sure you want to sign out?" in client.get("/accounts/logout/").content.decode()
    assert client.get("/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


def test_a_signed_in_users_membership_is_read_with_the_user(client, django_assert_num_queries):
    make_user("aliya", organisation=make_organisation("Coalition"), role=Role.NGO_STAFF)
    sign_in(client, "aliya")
    user = client.get("/").wsgi_request.user
    # The backend sign-in recorded (tracker.accounts.adapters.AuthenticationBackend) joined them.
    with django_assert_num_queries(0):
        assert user.membership.organisation.name == "Coalition"


def test_a_user_signs_in_with_their_e_mail_address(client):
    make_user("aliya", email="aliya@example.org")
    response = sign_in(client, "aliya@example.org")
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "aliya"


def test_a_wrong_password_is_refused(client):
    make_user("aliya")
    response = sign_in(client, "aliya", "nope")
    assert response.status_code == 200
    assert "The username and/or password you specified are not correct." in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_signing_in_starts_a_new_session(client):
    make_user("aliya")
    client.get("/accounts/login/")
    client.session.save()  # an anonymous session, as an attacker could have planted
    before = client.session.session_key
    sign_in(client, "aliya")
    assert client.session.session_key != before
    assert client.session["_auth_user_id"]


def test_nobody_can_sign_up(client):
    response = client.post("/accounts/signup/", {
        "username": "mallory", "email": "mallory@example.org",
        "password1": "a long new passphrase", "password2": "a long new passphrase",
    })
    assert "Sign Up Closed" in response.content.decode()
    assert not EmailAddress.objects.exists()
    assert not client.session.get("_auth_user_id")


def test_a_user_changes_their_password_giving_the_current_one(client):
    user = make_user("aliya")
    client.force_login(user)
    page = client.get("/accounts/password/change/")
    assert page.status_code == 200 and "Change your password" in page.content.decode()
    response = client.post("/accounts/password/change/", {
        "oldpassword": "a guess", "password1": "a long new passphrase",
        "password2": "a long new passphrase",
    })
    assert "Please type your current password." in response.content.decode()

    response = client.post("/accounts/password/change/", {
        "oldpassword": PASSWORD, "password1": "a long new passphrase",
        "password2": "a long new passphrase",
    })
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a long new passphrase")
    assert client.get("/").context["user"] == user  # this session goes on


def test_changing_the_password_signs_out_the_users_other_sessions(client):
    make_user("aliya")
    other = Client()
    sign_in(client, "aliya")
    sign_in(other, "aliya")
    assert other.get("/").context["user"].is_authenticated

    client.post("/accounts/password/change/", {
        "oldpassword": PASSWORD, "password1": "a long new passphrase",
        "password2": "a long new passphrase",
    })
    assert client.get("/").context["user"].is_authenticated
    assert not other.get("/").context["user"].is_authenticated


def test_a_user_changes_their_e_mail_address_once_they_follow_the_link_sent_to_it(client):
    user = make_user("aliya", email="old@example.org")
    sign_in(client, "aliya")
    page = client.get("/accounts/email/").content.decode()
    assert "old@example.org" in page

    # The password again first (a sign-in a while ago is not enough), then the change goes on.
    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.org"})
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not mail.outbox
    client.post(response["Location"], {"password": PASSWORD})
    user.refresh_from_db()
    assert user.email == "old@example.org"  # not until the new address is confirmed
    assert mail.outbox[-1].to == ["new@example.org"]
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    client.post(link)
    user.refresh_from_db()
    assert user.email == "new@example.org"


def test_the_rest_of_the_app_names_the_account_pages_as_before():
    assert reverse("login") == reverse("account_login") == "/accounts/login/"
    assert reverse("logout") == reverse("account_logout")
    assert reverse("password_change") == reverse("account_change_password")


def test_the_sign_in_page_is_in_the_apps_style(client):
    page = client.get("/accounts/login/").content.decode()
    assert "Reporting cycle tracker" in page and 'class="btn btn-primary"' in page
    assert "<script>" not in page and "style=" not in page


def test_the_sign_in_page_is_translated(client):
    client.cookies["django_language"] = "fr"
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Se connecter" in page and "Les comptes sont créés par les administrateurs" in page


@pytest.mark.parametrize("role,offered", [(Role.REVIEWER, True), (Role.NGO_STAFF, False)])
def test_the_navigation_offers_the_review_queue_to_reviewers(client, role, offered):
    client.force_login(make_user(organisation=make_organisation(), role=role))
    assert ('href="/follow-up/review/"' in client.get("/").content.decode()) is offered
