"""Who may do what, asked of the user alone: the roles they hold, their organisation, whether
they must use MFA, may log follow-up or review. Questions about one follow-up entry (may this
user read, edit, submit, review it?) are FollowUpAssessment's methods in recommendations, which
read the entry's review state and call these; accounts does not depend on recommendations."""

from __future__ import annotations

from django.conf import settings

from tracker.accounts.models import Membership
from tracker.accounts.roles import Role
from tracker.models import Organisation


def role_names(user) -> set[str]:
    """The names of the signed-in user's groups (their roles). One query for all the questions a
    request asks about them (the MFA check, the permission checks), kept on the user."""
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True))
    return user._role_names


def has_role(user, *roles: Role) -> bool:
    """Whether the signed-in user is in one of the roles; a superuser has every role."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return not role_names(user).isdisjoint(roles)


def membership_of(user) -> Membership | None:
    """The user's membership with its organisation, or None without one."""
    if not user.is_authenticated:
        return None
    membership = user._meta.model.membership
    if not membership.is_cached(user):
        # One query, not one for the membership and one for its organisation; kept on the user
        # for the other calls of the request.
        found = Membership.objects.select_related("organisation").filter(user=user).first()
        membership.related.set_cached_value(user, found)
    return membership.related.get_cached_value(user)


def organisation_of(user) -> Organisation | None:
    """The organisation whose follow-up the user writes, or None without a membership."""
    membership = membership_of(user)
    return membership.organisation if membership else None


def must_use_mfa(user) -> bool:
    """Staff, superusers and the roles of TRACKER_MFA_REQUIRED_GROUPS must sign in with MFA."""
    return (
        user.is_staff
        or user.is_superuser
        or not role_names(user).isdisjoint(settings.TRACKER_MFA_REQUIRED_GROUPS)
    )


def can_log(user) -> bool:
    """Whether the user may log follow-up: NGO staff (or a superuser) of an organisation."""
    return organisation_of(user) is not None and has_role(user, Role.NGO_STAFF)


def can_bulk_log(user) -> bool:
    """Whether the user may log one status for many recommendations: NGO staff or reviewers of
    an organisation (an ombudsman office logs its own findings this way)."""
    return organisation_of(user) is not None and has_role(user, Role.NGO_STAFF, Role.REVIEWER)


def can_review(user) -> bool:
    """Whether the user reviews follow-up at all (the review queue); which entries they may
    review is FollowUpAssessment.can_review's question (never their own organisation's)."""
    return has_role(user, Role.REVIEWER)
