"""The User admin (tracker.accounts.admin.UserAdmin): an NGO user made on one page."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, User

from tests.helpers import make_organisation
from tracker.accounts.models import Membership
from tracker.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_an_ngo_user_is_made_with_role_and_organisation_on_one_page(admin_client):
    organisation = make_organisation("Coalition")
    page = admin_client.get("/admin/auth/user/add/")
    assert page.status_code == 200
    assert {"email", "groups"} <= set(page.context["adminform"].form.fields)

    response = admin_client.post("/admin/auth/user/add/", {
        "username": "aliya", "email": "aliya@example.org", "usable_password": "true",
        "password1": "a long passphrase", "password2": "a long passphrase",
        "groups": [Group.objects.get(name=Role.NGO_STAFF).pk],
        "membership-TOTAL_FORMS": "1", "membership-INITIAL_FORMS": "0",
        "membership-0-organisation": organisation.pk, "membership-0-language": "ru",
    })

    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="aliya")
    assert list(user.groups.values_list("name", flat=True)) == [Role.NGO_STAFF]
    assert Membership.objects.get(user=user).organisation == organisation
    assert EmailAddress.objects.get(user=user).verified  # set by an administrator: trusted
    assert user.check_password("a long passphrase")


def test_the_user_list_shows_each_users_organisation(admin_client):
    user = User.objects.create_user("aliya")
    Membership.objects.create(user=user, organisation=make_organisation("Coalition"))
    assert "Coalition" in admin_client.get("/admin/auth/user/").content.decode()
