"""Personal API tokens: a user creates, names and revokes theirs on their account page; an
administrator revokes anyone's in the admin. Only a digest of the secret is stored: the secret is
shown once, when the token is made."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Every secret starts with it, so that a leaked one is recognised (secret scanners, logs).
PREFIX = "rct_"


def digest(secret: str) -> str:
    """The stored form of a secret: 32 random bytes need no slow hash, only a one-way one."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)

    def create_for(self, user, name: str, can_write: bool) -> tuple[ApiToken, str]:
        """A new token and its secret, which is never stored and never shown again."""
        secret = PREFIX + secrets.token_urlsafe(32)
        token = self.create(user=user, name=name, can_write=can_write, key=digest(secret),
                            hint=secret[: len(PREFIX) + 4])
        return token, secret

    def authenticate(self, secret: str) -> ApiToken | None:
        """The active token of this secret with its user, or None."""
        return self.active().select_related("user__membership__organisation").filter(
            key=digest(secret), user__is_active=True
        ).first()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. “Office dashboard”"))
    can_write = models.BooleanField(
        _("may write"), default=False,
        help_text=_("A read-only token reads what you may read and writes nothing."),
    )
    # The SHA-256 of the secret (unique: the secret's lookup).
    key = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    # Written at most this often, so that reading through the API does not write on each request.
    USE_RESOLUTION = 60

    def mark_used(self) -> None:
        now = timezone.now()
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() > self.USE_RESOLUTION:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
