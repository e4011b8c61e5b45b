"""Every error of the API is one JSON object, in the caller's language: `detail` says what is
wrong, `fields` (for invalid input) names each field with its messages. Refusals are written to
the audit log, as the pages' 403 handler does."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from tracker import audit


def flatten(errors, prefix: str = "") -> dict[str, list[str]]:
    """{"field": ["message"]}, nested fields named "field.sub" and list items "field.0"."""
    if isinstance(errors, dict):
        found: dict[str, list[str]] = {}
        for name, value in errors.items():
            found.update(flatten(value, f"{prefix}{name}."))
        return found
    if isinstance(errors, list) and errors and not all(isinstance(e, str) for e in errors):
        found = {}
        for index, value in enumerate(errors):
            found.update(flatten(value, f"{prefix}{index}."))
        return found
    messages = errors if isinstance(errors, list) else [errors]
    return {prefix.rstrip(".") or "non_field_errors": [str(message) for message in messages]}


def handle(exception: Exception, context: dict) -> Response | None:
    response = exception_handler(exception, context)
    if response is None:
        return None
    request = context["request"]
    if isinstance(exception, exceptions.ValidationError):
        fields = flatten(response.data)
        response.data = {"detail": _("The request is not valid: see each field."), "fields": fields}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    if response.status_code == status.HTTP_403_FORBIDDEN:
        detail = f"API {request.method} {request.get_full_path()}"
        audit.record(audit.Kind.PERMISSION_REFUSED, request, request.user, detail=detail)
    return response


ERROR = inline_serializer("Error", {"detail": serializers.CharField()})
INVALID = inline_serializer("InvalidRequest", {
    "detail": serializers.CharField(),
    "fields": serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Each invalid field (\"non_field_errors\" for the request as a whole) with its "
                  "messages.",
    ),
})
STALE = inline_serializer("StaleVersion", {
    "detail": serializers.CharField(),
    "version": serializers.IntegerField(help_text="The record's current version."),
})

# The errors every endpoint may answer, for the schema.
READ_ERRORS = {
    401: OpenApiResponse(ERROR, description="No valid token or session."),
    403: OpenApiResponse(ERROR, description="Not allowed."),
    404: OpenApiResponse(ERROR, description="No such record, or not one the caller may read."),
    429: OpenApiResponse(ERROR, description="Too many requests: wait and retry."),
}
WRITE_ERRORS = {
    **READ_ERRORS,
    400: OpenApiResponse(INVALID, description="Invalid input."),
    412: OpenApiResponse(STALE, description="The record changed since the version in If-Match."),
}
