"""Who may call the API: a personal token (`Authorization: Bearer <secret>`) or the app's own
session (with its CSRF token); anonymous callers read only when TRACKER_PUBLIC_READ is on.
Requests are counted per token (per user for a session, per address when anonymous) in the
project's cache, which all workers share when CACHE_URL names one."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.request import Request

from tracker.api.models import ApiToken


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request: Request) -> tuple | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("The Authorization header must be “Bearer” followed by the token.")
            )
        try:
            secret = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from None
        token = ApiToken.objects.authenticate(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is not valid or was revoked."))
        token.mark_used()
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema) -> dict:
        return {"type": "http", "scheme": "bearer",
                "description": "A personal API token, made on the account page."}


def may_write(request: Request) -> bool:
    """Whether the caller may write at all: signed in, and not through a read-only token."""
    if not request.user.is_authenticated:
        return False
    return not isinstance(request.auth, ApiToken) or request.auth.can_write


class ReadOrWrite(permissions.BasePermission):
    """Reading: anyone signed in, or anyone when public read is on. Writing: see may_write; what
    each one may write is the model's own can_… methods', asked by the views."""

    message = _("Sign in, or send a personal API token, to use the API.")

    def has_permission(self, request: Request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return request.user.is_authenticated or settings.TRACKER_PUBLIC_READ
        if request.user.is_authenticated and not may_write(request):
            self.message = _("This token is read-only.")
        return may_write(request)


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """TRACKER_API_RATE requests per token, per signed-in user or per anonymous address."""

    scope = "api"

    def get_cache_key(self, request: Request, view) -> str:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
