"""Writes the audit log (AuditEvent): receivers of the sign-in, lock-out, role, password and MFA
signals, connected by AccountsConfig.ready, and the 403 handler that records
permission refusals."""

from __future__ import annotations

from allauth.account.signals import password_changed, password_reset
from allauth.core import context
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authentication_failed, authenticator_added, authenticator_removed
from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth.models import Group, User
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, pre_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.views import defaults

from tracker.accounts.models import AuditEvent

Kind = AuditEvent.Kind


def record(
    kind: str, request: HttpRequest | None, user=None, username: str = "", detail: str = ""
) -> AuditEvent:
    if user is not None and not user.is_authenticated:
        user = None
    return AuditEvent.objects.create(
        kind=kind,
        user=user,
        username=username or (user.get_username() if user else ""),
        ip_address=get_client_ip_address(request) if request is not None else None,
        detail=detail,
    )


@receiver(user_logged_in)
def signed_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    record(Kind.SIGN_IN, request, user)


@receiver(user_login_failed)
def sign_in_failed(
    sender, credentials: dict, request: HttpRequest | None = None, **kwargs
) -> None:
    # allauth passes what was typed as "username" and, when it looks like one, as "email".
    username = credentials.get("username") or credentials.get("email") or ""
    record(Kind.SIGN_IN_FAILED, request, username=username, detail="password")


@receiver(authentication_failed)
def mfa_code_refused(sender, request: HttpRequest, user, **kwargs) -> None:
    record(Kind.SIGN_IN_FAILED, request, user, detail="MFA code")


@receiver(user_locked_out)
def locked_out(sender, request: HttpRequest, username: str | None, **kwargs) -> None:
    record(Kind.LOCKED_OUT, request, username=username or "")


@receiver(user_logged_out)
def signed_out(sender, request: HttpRequest, user, **kwargs) -> None:
    if user is not None:
        record(Kind.SIGN_OUT, request, user)


def record_role_change(user: User, change: str) -> None:
    """A role change, made by whoever is signed in to the current request if any (allauth's
    middleware keeps it): an administrator in the admin; nobody in a shell."""
    request = context.request
    if request is not None and request.user.is_authenticated:
        change = f"{change} (by {request.user.get_username()})"
    record(Kind.ROLE_CHANGED, request, user, detail=change)


@receiver(m2m_changed, sender=User.groups.through)
def groups_changed(
    sender, instance, action: str, reverse: bool, pk_set: set | None, **kwargs
) -> None:
    """A user added to or removed from groups (from the user's side or the group's)."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    verb = "added to" if action == "post_add" else "removed from"
    if reverse:  # group.user_set changed
        users = User.objects.filter(pk__in=pk_set) if pk_set else instance.user_set.all()
        groups = [instance.name]
    else:
        users = [instance]
        group_queryset = Group.objects.filter(pk__in=pk_set) if pk_set else instance.groups.all()
        groups = sorted(group_queryset.values_list("name", flat=True))
    if not groups:
        return
    for user in users:
        record_role_change(user, f"{verb} {', '.join(groups)}")


@receiver(pre_save, sender=User)
def flags_changed(sender, instance: User, update_fields=None, **kwargs) -> None:
    """is_staff or is_superuser switched on or off (a sign-in saving only last_login is not)."""
    flags = ("is_staff", "is_superuser")
    if instance.pk is None or (update_fields is not None and not set(flags) & set(update_fields)):
        return
    before = User.objects.filter(pk=instance.pk).values(*flags).first()
    if before is None:
        return
    changes = [
        f"{flag} {'on' if getattr(instance, flag) else 'off'}"
        for flag in flags
        if before[flag] != getattr(instance, flag)
    ]
    if changes:
        record_role_change(instance, ", ".join(changes))


@receiver(password_changed)
@receiver(password_reset)
def password_was_changed(sender, request: HttpRequest, user, **kwargs) -> None:
    record(Kind.PASSWORD_CHANGED, request, user)


@receiver(authenticator_added)
def mfa_activated(sender, request: HttpRequest, user, authenticator: Authenticator, **kwargs):
    # Recovery codes come and go with the TOTP authenticator: one event for the pair.
    if authenticator.type == Authenticator.Type.TOTP:
        record(Kind.MFA_ACTIVATED, request, user, detail="TOTP")


@receiver(authenticator_removed)
def mfa_deactivated(sender, request: HttpRequest, user, authenticator: Authenticator, **kwargs):
    if authenticator.type == Authenticator.Type.TOTP:
        record(Kind.MFA_DEACTIVATED, request, user, detail="TOTP")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The project's handler403: Django's own page, once the refusal is recorded."""
    detail = f"{request.method} {request.get_full_path()}"
    record(Kind.PERMISSION_REFUSED, request, request.user, detail=detail)
    return defaults.permission_denied(request, exception)
