"""How django-allauth and django-axes treat the app's accounts: administrators create them,
nobody signs up; reviewers, data entry, staff and superusers must sign in with TOTP; a username
is counted towards a lock-out however it is spelled (README, "Accounts and security")."""

from allauth.account import auth_backends, forms
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.account.signals import user_logged_in
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from tracker.accounts.models import Membership
from tracker.accounts.permissions import must_use_mfa


class AuthenticationBackend(auth_backends.AuthenticationBackend):
    """allauth's backend (by username or e-mail address), reading the signed-in user's
    membership and organisation with the user: every signed-in page shows the organisation and
    the follow-up pages ask for it, which was a query of its own on each of them."""

    def get_user(self, user_id: int) -> User | None:
        try:
            user = User.objects.select_related("membership__organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


@receiver(post_save, sender=User)
def trust_address_set_by_administrator(
    sender, instance: User, update_fields=None, raw: bool = False, **kwargs
) -> None:
    """An address an administrator gives a user is theirs: allauth is told it is verified and
    primary, so that a change of address by the user later replaces it (ACCOUNT_CHANGE_EMAIL)
    rather than being taken for the address being changed to. An address the user changes to
    themselves is already verified when allauth saves it here. A restore (raw) brings the
    user's addresses along with the user: nothing to add."""
    if raw or update_fields is not None and "email" not in update_fields:
        return
    if not instance.email or instance.emailaddress_set.filter(email__iexact=instance.email).exists():
        return
    instance.emailaddress_set.update(primary=False)
    EmailAddress.objects.create(user=instance, email=instance.email, verified=True, primary=True)


@receiver(user_logged_in)
def apply_members_language(
    sender, request: HttpRequest, response: HttpResponse, user: User, **kwargs
) -> None:
    """A member's language, kept by the language switch, follows them to a new device: the page
    after signing in is in it. allauth's signal (sent for every sign-in, the admin's included)
    carries the response, which sets Django's language cookie as the switch itself does."""
    language = Membership.objects.filter(user=user).values_list("language", flat=True).first()
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )


class LoginForm(forms.LoginForm):
    """allauth's sign-in form, its first field labelled for what it takes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username or e-mail address")
        self.fields["login"].widget.attrs = {"autocomplete": "username"}
        self.fields["password"].widget.attrs.pop("placeholder", None)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        """Failed passwords are django-axes' to count, with one lock-out and one message;
        allauth's "login_failed" limit (ACCOUNT_RATE_LIMITS) is left to the two-factor codes."""


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        return not must_use_mfa(authenticator.user)


def username_for_lockout(request: HttpRequest, credentials: dict | None) -> str:
    """The name django-axes counts failures under (AXES_USERNAME_CALLABLE): whatever was typed,
    in any case, with spaces around it, or as the user's e-mail address, counts for one account,
    since allauth signs in by username and by address, ignoring case."""
    credentials = credentials or {}
    login = credentials.get("username") or credentials.get("email") or ""
    if not login and request is not None:
        login = request.POST.get("login") or request.POST.get("username") or ""
    login = login.strip()
    if "@" in login:
        usernames = list(
            User.objects.filter(email__iexact=login).values_list("username", flat=True)[:2]
        )
        if len(usernames) == 1:
            login = usernames[0]
    return login.casefold()


def locked_out(request: HttpRequest, response: HttpResponse, credentials: dict) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in: the sign-in page's look, saying for how long."""
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return render(request, "account/locked_out.html", {"minutes": minutes}, status=429)
