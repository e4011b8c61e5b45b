"""Every error of the API is one JSON object, in the caller's language: `detail` says what is
wrong, `fields` (for invalid input) names each field with its messages. Refusals are written to
the audit log, as the pages' 403 handler does."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from tracker.accounts import audit


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


ERROR = {"type": "object", "required": ["detail"],
         "properties": {"detail": {"type": "string"}}}
INVALID = {
    "type": "object", "required": ["detail", "fields"],
    "properties": {
        "detail": {"type": "string"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Each invalid field (\"non_field_errors\" or \"__all__\" for the "
                           "request as a whole) with its messages.",
        },
    },
}
STALE = {
    "type": "object", "required": ["detail", "version"],
    "properties": {"detail": {"type": "string"},
                   "version": {"type": "integer", "description": "The record's current version."}},
}
# The errors every operation may answer, and those of a write at a version (If-Match).
ERRORS = {
    "400": ("InvalidRequest", "Invalid parameters or body, field by field."),
    "401": ("Error", "No valid token or session."),
    "403": ("Error", "Not allowed (or a read-only token)."),
    "404": ("Error", "No such record or page, or not one the caller may read."),
    "429": ("Error", "Too many requests: wait and retry."),
}
VERSION_ERRORS = {
    "412": ("StaleVersion", "The record changed since the version in If-Match."),
    "428": ("Error", "If-Match is missing."),
}


def add_errors(result: dict, generator, request, public: bool) -> dict:
    """drf-spectacular's postprocessing hook: every operation's error answers, with the one
    error body each has (see handle), so that the schema is exact for them too."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(
        {"Error": ERROR, "InvalidRequest": INVALID, "StaleVersion": STALE}
    )
    for operations in result["paths"].values():
        for operation in operations.values():
            errors = dict(ERRORS)
            if any(p["name"] == "If-Match" for p in operation.get("parameters", [])):
                errors.update(VERSION_ERRORS)
            for code, (component, description) in errors.items():
                operation["responses"].setdefault(code, {
                    "description": description,
                    "content": {"application/json": {
                        "schema": {"$ref": f"#/components/schemas/{component}"}
                    }},
                })
    return result
