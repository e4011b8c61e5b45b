"""The app's middleware: PublicReadMiddleware, the session time-outs, Cache-Control for
non-public pages, MFA required of some roles."""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.i18n import set_language

from tracker.accounts.permissions import must_use_mfa


class PublicReadMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, switched off by TRACKER_PUBLIC_READ.

    The setting is read on each request so tests can change it. Views marked
    @login_not_required stay open (the sign-in page; a feed that carries its own token), as does
    the language switch, so that the sign-in page can be read in French."""

    def process_view(self, request: HttpRequest, view_func: Callable, view_args, view_kwargs):
        if settings.TRACKER_PUBLIC_READ or view_func is set_language:
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


# Session keys holding when the user signed in and when they were last seen, in seconds since the
# epoch.
SIGNED_IN_AT = "tracker_signed_in_at"
LAST_SEEN = "tracker_last_seen"
# The last request's time is written at most this often, so that reading pages does not write
# the session on every request; the idle time-out may come up to this much early.
LAST_SEEN_RESOLUTION = 60


def start_session_clock(sender, request: HttpRequest, user, **kwargs) -> None:
    """Receiver of user_logged_in (connected in tracker.apps): both time-outs count from here."""
    request.session[SIGNED_IN_AT] = request.session[LAST_SEEN] = time.time()


class SessionTimeoutMiddleware:
    """Signs out a user idle for TRACKER_SESSION_IDLE_MINUTES, or signed in more than
    TRACKER_SESSION_MAX_HOURS ago however active, and sends them to the sign-in page with a
    message saying the session expired (then back to the page they asked for)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session, now = request.session, time.time()
            # A session signed in before these keys existed starts its clocks now.
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            last_seen = session.setdefault(LAST_SEEN, now)
            if (
                now - last_seen > settings.TRACKER_SESSION_IDLE_MINUTES * 60
                or now - signed_in_at > settings.TRACKER_SESSION_MAX_HOURS * 60 * 60
            ):
                logout(request)
                messages.warning(request, _("Your session has expired. Please sign in again."))
                return redirect_to_login(request.get_full_path())
            if now - last_seen >= LAST_SEEN_RESOLUTION:
                session[LAST_SEEN] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store` (and the rest of never_cache) on every response that may show
    non-public data: all of them for a signed-in user, all of them when TRACKER_PUBLIC_READ is
    off. Static files never get here: WhiteNoise, earlier in MIDDLEWARE, serves them with its own
    long-lived caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated or not settings.TRACKER_PUBLIC_READ:
            add_never_cache_headers(response)
        return response


# Session keys: MFARequiredMiddleware found the signed-in user's TOTP authenticator; the page it
# turned them away from to set one up (templates/mfa/recovery_codes/index.html reads it).
TOTP_FOUND = "tracker_totp_found"
MFA_NEXT = "tracker_mfa_next"


class MFARequiredMiddleware:
    """Sends a signed-in user who must use MFA (tracker.accounts.permissions.must_use_mfa) and has
    no TOTP authenticator yet to set one up, keeping the page they asked for (MFA_NEXT) for the
    recovery codes page's "Continue" once it is done. Until then only the MFA pages, the re-authentication asked
    before them, signing out and the language switch open; static files never get here.

    Whether the user has an authenticator is asked once per session at most: not at all when they
    signed in (or re-authenticated) with a TOTP or recovery code, which allauth records in the
    session; once otherwise, the answer kept in the session. Either stays true, as
    tracker.accounts.adapters.MFAAdapter refuses to remove the authenticator of a user who must
    use MFA.
    (An administrator deleting it, or giving a role that requires MFA to a user who removed
    theirs, takes effect at their next sign-in.)"""

    open_url_names = {
        "mfa_index", "mfa_activate_totp", "mfa_view_recovery_codes", "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes", "account_reauthenticate", "mfa_reauthenticate",
        "account_logout", "logout", "set_language",
    }

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, view_args, view_kwargs):
        if (
            not request.user.is_authenticated
            or request.resolver_match.url_name in self.open_url_names
            or not must_use_mfa(request.user)
            or self.has_totp(request)
        ):
            return None
        path = request.get_full_path()
        if request.method == "GET" and url_has_allowed_host_and_scheme(path, allowed_hosts=None):
            request.session[MFA_NEXT] = path
        messages.warning(
            request, _("Your role requires two-factor authentication: set it up to continue.")
        )
        return redirect("mfa_activate_totp")

    @staticmethod
    def has_totp(request: HttpRequest) -> bool:
        if request.session.get(TOTP_FOUND) or any(
            record.get("method") == "mfa"
            for record in get_authentication_records(request, request.user)
        ):
            return True
        if Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
            request.session[TOTP_FOUND] = True
            return True
        return False
