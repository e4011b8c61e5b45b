import pytest

from recommendations.models import Role
from tests.helpers import make_organisation, make_user

pytestmark = pytest.mark.django_db


def test_a_user_signs_in_sees_their_organisation_and_signs_out(client, settings):
    settings.TRACKER_PUBLIC_READ = False
    make_user("aliya", organisation=make_organisation("Coalition"), role=Role.NGO_STAFF)
    page = client.get("/accounts/login/?next=/recommendations/")
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    response = client.post("/accounts/login/", {
        "username": "aliya", "password": "x", "next": "/recommendations/",
    })
    assert response["Location"] == "/recommendations/"
    page = client.get("/").content.decode()
    assert "aliya" in page and "Coalition" in page and "Sign out" in page

    assert client.get("/accounts/logout/").status_code == 405  # signing out is a POST
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


def test_a_wrong_password_is_refused(client):
    make_user("aliya")
    response = client.post("/accounts/login/", {"username": "aliya", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_a_user_changes_their_password(client):
    user = make_user("aliya")
    client.force_login(user)
    assert client.get("/accounts/password/").status_code == 200
    response = client.post("/accounts/password/", {
        "old_password": "x", "new_password1": "a long new passphrase",
        "new_password2": "a long new passphrase",
    })
    assert response["Location"] == "/accounts/password/done/"
    user.refresh_from_db()
    assert user.check_password("a long new passphrase")


def test_the_sign_in_page_is_in_the_apps_style(client):
    page = client.get("/accounts/login/").content.decode()
    assert "Reporting cycle tracker" in page and "Django administration" not in page


@pytest.mark.parametrize("role,offered", [(Role.REVIEWER, True), (Role.NGO_STAFF, False)])
def test_the_navigation_offers_the_review_queue_to_reviewers(client, role, offered):
    client.force_login(make_user(organisation=make_organisation(), role=role))
    assert ('href="/follow-up/review/"' in client.get("/").content.decode()) is offered
