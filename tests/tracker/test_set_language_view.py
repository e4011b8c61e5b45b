import pytest
from django.conf import settings
from django.urls import reverse

from tests.helpers import PASSWORD, make_organisation, make_user
from tracker.accounts.models import Membership

pytestmark = pytest.mark.django_db

URL = reverse("set_language")


@pytest.fixture
def member():
    return make_user(organisation=make_organisation())


def test_it_keeps_a_signed_in_members_choice_for_their_e_mails(client, member):
    client.force_login(member)

    response = client.post(URL, {"language": "fr", "next": "/deadlines/"})

    assert response.status_code == 302 and response["Location"] == "/deadlines/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert Membership.objects.get(user=member).language == "fr"


def test_it_switches_an_anonymous_visitors_language(client, settings):
    settings.TRACKER_PUBLIC_READ = False  # the sign-in page must still be readable in French

    response = client.post(URL, {"language": "fr", "next": "/accounts/login/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_it_switches_a_user_outside_any_organisation_without_storing_anything(client):
    client.force_login(make_user())

    response = client.post(URL, {"language": "fr", "next": "/"})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert not Membership.objects.exists()


def test_it_stores_no_language_the_site_does_not_offer(client, member):
    client.force_login(member)

    # German has Django's own translations but is not one of the site's languages.
    client.post(URL, {"language": "de", "next": "/"})

    assert Membership.objects.get(user=member).language == ""


def test_a_members_language_follows_them_when_they_sign_in_on_a_new_device(client, member):
    Membership.objects.filter(user=member).update(language="fr")

    response = client.post(
        "/accounts/login/", {"login": member.username, "password": PASSWORD, "next": "/deadlines/"}
    )

    assert response["Location"] == "/deadlines/"
    page = client.get("/deadlines/")
    assert page["Content-Language"] == "fr"
    assert 'lang="fr"' in page.content.decode()


def test_signing_in_leaves_the_language_alone_for_a_member_who_never_chose_one(client, member):
    response = client.post("/accounts/login/", {"login": member.username, "password": PASSWORD})

    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
