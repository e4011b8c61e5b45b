"""People: a user's membership of an organisation, and the audit log of sign-ins and role
changes. Both tables kept their names (tracker_membership, tracker_auditevent) when the models
moved here from tracker (migration accounts 0001_initial): no data moved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker.models import Country, Organisation


class Membership(models.Model):
    """A user's place in an organisation: whose follow-up entries they may write, and which
    countries' deadlines they follow."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="membership", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="memberships", verbose_name=_("organisation")
    )
    countries = models.ManyToManyField(
        Country,
        blank=True,
        related_name="+",
        verbose_name=_("countries followed"),
        help_text=_("Empty: the organisation's own country."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Of the e-mails sent to this user. Empty: the site's default language."),
    )

    class Meta:
        db_table = "tracker_membership"
        ordering = ["organisation__name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation}"


class AuditEvent(models.Model):
    """One sign-in, failure, sign-out, lock-out, permission refusal, role or credential change,
    written by tracker.accounts.audit and never edited: administrators read the log, nobody
    changes it."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign-in", _("signed in")
        SIGN_IN_FAILED = "sign-in-failed", _("sign-in failed")
        LOCKED_OUT = "locked-out", _("locked out")
        SIGN_OUT = "sign-out", _("signed out")
        PERMISSION_REFUSED = "permission-refused", _("permission refused")
        ROLE_CHANGED = "role-changed", _("role changed")
        PASSWORD_CHANGED = "password-changed", _("password changed")
        MFA_ACTIVATED = "mfa-activated", _("MFA activated")
        MFA_DEACTIVATED = "mfa-deactivated", _("MFA deactivated")

    created = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    # The user may be deleted later; the username text keeps the event readable.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=254, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        db_table = "tracker_auditevent"
        ordering = ["-created"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        # The admin's list, newest first.
        indexes = [models.Index(fields=["-created"], name="auditevent_created_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.username}"
