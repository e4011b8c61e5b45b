"""The roles: one group each (created by recommendations' migration 0002_roles). Apart from the
models so that the settings (TRACKER_MFA_REQUIRED_GROUPS) and migrations can import them."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Role(TextChoices):
    """What each may do is asked of tracker.accounts.permissions and of FollowUpAssessment's
    can_… methods, never decided in views or templates. The values are the groups' names."""

    NGO_STAFF = "NGO staff", _("NGO staff")
    REVIEWER = "Reviewer", _("Reviewer")
    DATA_ENTRY = "Data entry", _("Data entry")
    VIEWER = "Viewer", _("Viewer")
