"""Optimistic locking over HTTP: each versioned record is sent with its version as a strong
`ETag`; a write must send it back in `If-Match`, and one sent with another version is refused
with 412 and the current version (the model's save_if_unchanged decides, in its transaction)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=True,
    description="The ETag the record was read with, e.g. \"3\".",
)


def etag(record: models.Model) -> str:
    return f'"{record.version}"'


def with_etag(response: Response, record: models.Model) -> Response:
    response["ETag"] = etag(record)
    return response


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = gettext_lazy("Send the record's ETag in If-Match: the version you read it at.")
    default_code = "precondition_required"


def version_read(request: Request) -> int:
    """The version the caller read the record at, from If-Match."""
    value = request.headers.get("If-Match", "").strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise PreconditionRequired()
    return int(value)


def stale(record: models.Model) -> Response:
    """412: someone saved the record after the version the caller sent."""
    current = type(record)._default_manager.filter(pk=record.pk).values_list(
        "version", flat=True
    ).first()
    response = Response(
        {"detail": _("Someone changed this record after you read it: read it again first."),
         "version": current},
        status=status.HTTP_412_PRECONDITION_FAILED,
    )
    response["ETag"] = f'"{current}"'
    return response
