"""The project's permission functions, imported here once so that a move of them (to
tracker.accounts) is repointed in one line. The rules themselves live on the models."""

from recommendations.models import Role, has_role, organisation_of  # noqa: F401
