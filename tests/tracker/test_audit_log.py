import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.cache import cache

from tracker.accounts.roles import Role
from tests.helpers import PASSWORD, make_organisation, make_user, totp_code
from tracker.accounts.models import AuditEvent

pytestmark = pytest.mark.django_db

Kind = AuditEvent.Kind


@pytest.fixture(autouse=True)
def fresh_codes():
    # allauth refuses a TOTP code used twice (cache); user ids repeat across rolled-back tests.
    cache.clear()


def kinds(**filters) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).order_by("pk").values_list("kind", flat=True))


def sign_in(client, login: str, password: str = PASSWORD):
    return client.post(
        "/accounts/login/", {"login": login, "password": password}, REMOTE_ADDR="10.1.2.3"
    )


def test_sign_in_a_failure_and_sign_out_are_recorded_with_the_address(client):
    user = make_user("aliya")
    sign_in(client, "aliya", "a guess")
    sign_in(client, "aliya")
    client.post("/accounts/logout/", REMOTE_ADDR="10.1.2.3")
    failed, signed_in, signed_out = AuditEvent.objects.order_by("pk")
    assert (failed.kind, failed.user, failed.username) == (Kind.SIGN_IN_FAILED, None, "aliya")
    assert (signed_in.kind, signed_in.user, signed_in.ip_address) == (Kind.SIGN_IN, user, "10.1.2.3")
    assert (signed_out.kind, signed_out.user) == (Kind.SIGN_OUT, user)


def test_a_failure_for_an_unknown_username_keeps_what_was_typed(client):
    sign_in(client, "nobody")
    assert AuditEvent.objects.get().username == "nobody"


def test_a_wrong_mfa_code_is_recorded(client):
    make_user("rustam", role=Role.REVIEWER)
    sign_in(client, "rustam")
    client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    event = AuditEvent.objects.get(kind=Kind.SIGN_IN_FAILED)
    assert (event.username, event.detail) == ("rustam", "MFA code")


def test_a_lock_out_is_recorded(client, settings):
    make_user("aliya")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "aliya", "a guess")
    assert kinds(kind=Kind.LOCKED_OUT) == [Kind.LOCKED_OUT]
    assert AuditEvent.objects.get(kind=Kind.LOCKED_OUT).username == "aliya"


def test_a_refused_page_is_recorded(client):
    user = make_user(role=Role.VIEWER, organisation=make_organisation())
    client.force_login(user)
    assert client.get("/follow-up/review/").status_code == 403
    event = AuditEvent.objects.get(kind=Kind.PERMISSION_REFUSED)
    assert (event.user, event.detail) == (user, "GET /follow-up/review/")


def test_role_changes_are_recorded_with_who_made_them(admin_client, admin_user):
    user = make_user("aliya")
    AuditEvent.objects.all().delete()
    reviewer = Group.objects.get(name=Role.REVIEWER)
    admin_client.post(f"/admin/auth/user/{user.pk}/change/", {
        "username": "aliya", "is_active": "on", "is_staff": "on", "groups": [reviewer.pk],
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00", "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "10:00:00",
        # The membership inline (tracker.accounts.admin.UserAdmin), left empty.
        "membership-TOTAL_FORMS": "0", "membership-INITIAL_FORMS": "0",
    })
    details = sorted(AuditEvent.objects.filter(kind=Kind.ROLE_CHANGED).values_list("detail", flat=True))
    assert details == [f"added to Reviewer (by {admin_user.username})", f"is_staff on (by {admin_user.username})"]


def test_role_changes_from_either_side_are_recorded():
    user = make_user("aliya")
    reviewer = Group.objects.get(name=Role.REVIEWER)
    reviewer.user_set.add(user)
    user.groups.clear()
    user.is_superuser = True
    user.save()
    assert list(AuditEvent.objects.order_by("pk").values_list("detail", flat=True)) == [
        "added to Reviewer", "removed from Reviewer", "is_superuser on",
    ]


def test_a_password_change_is_recorded(client):
    user = make_user("aliya")
    client.force_login(user)
    client.post("/accounts/password/change/", {
        "oldpassword": PASSWORD, "password1": "a long new passphrase",
        "password2": "a long new passphrase",
    })
    assert kinds(user=user) == [Kind.SIGN_IN, Kind.PASSWORD_CHANGED]


def test_mfa_activation_and_deactivation_are_recorded(client, django_capture_on_commit_callbacks):
    user = make_user("aliya")
    client.force_login(user)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    secret = client.get("/accounts/2fa/totp/activate/").context["form"].secret
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals it on commit
        client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret=secret)})
    client.post("/accounts/2fa/totp/deactivate/")
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert kinds(user=user)[1:] == [Kind.MFA_ACTIVATED, Kind.MFA_DEACTIVATED]  # after sign-in


def test_a_deleted_user_leaves_their_events_with_the_username(client):
    user = make_user("aliya")
    sign_in(client, "aliya")
    user.delete()
    event = AuditEvent.objects.get()
    assert (event.user, event.username) == (None, "aliya")


def test_administrators_read_the_log_and_nobody_edits_it(client, admin_client):
    make_user("aliya")
    sign_in(client, "aliya", "a guess")
    event = AuditEvent.objects.get(username="aliya")
    page = admin_client.get("/admin/accounts/auditevent/?q=aliya&kind=sign-in-failed")
    assert page.status_code == 200 and "aliya" in page.content.decode()
    assert "Add audit event" not in page.content.decode()
    assert admin_client.get("/admin/accounts/auditevent/add/").status_code == 403
    assert admin_client.get(f"/admin/accounts/auditevent/{event.pk}/delete/").status_code == 403
    admin_client.post(f"/admin/accounts/auditevent/{event.pk}/change/", {"username": "someone"})
    event.refresh_from_db()
    assert event.username == "aliya"
