"""Paging without counting. Long lists (recommendations, follow-up entries) are paged by a
cursor: the next page starts after the last row's values in the list's order, read from the
index of that order, so page 2,000 costs what page 1 does. Short lists are paged by number,
reading one row past the page to know whether another follows."""

from __future__ import annotations

import base64
import binascii
import json
import operator
from functools import reduce

from django.db import connections
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

MAX_PAGE_SIZE = 500
# Beyond it a page's offset would overflow the databases' integers; no list is that long.
MAX_PAGE = 1_000_000


def page_size(request: Request, default: int) -> int:
    value = request.query_params.get("page_size", "")
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE_SIZE:
        raise ValidationError({"page_size": [
            _("A whole number from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE}
        ]})
    return int(value)


def page_schema(schema: dict, next_description: str) -> dict:
    return {
        "type": "object",
        "required": ["next", "results"],
        "properties": {
            "next": {"type": "string", "format": "uri", "nullable": True,
                     "description": next_description},
            "results": schema,
        },
    }


SIZE_PARAMETER = {
    "name": "page_size", "required": False, "in": "query",
    "description": f"Rows per page, 1 to {MAX_PAGE_SIZE}.",
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
}


class PagePagination(pagination.BasePagination):
    default_size = 50

    def paginate_queryset(self, queryset, request: Request, view=None) -> list:
        self.request = request
        number = request.query_params.get("page", "1")
        if not number.isdigit() or not 1 <= int(number) <= MAX_PAGE:
            raise NotFound(_("No such page: pages are numbered from 1."))
        self.number, size = int(number), page_size(request, self.default_size)
        start = (self.number - 1) * size
        rows = list(queryset[start:start + size + 1])
        self.more = len(rows) > size
        return rows[:size]

    def get_paginated_response(self, data) -> Response:
        url = self.request.build_absolute_uri()
        following = replace_query_param(url, "page", self.number + 1) if self.more else None
        return Response({"next": following, "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return page_schema(schema, "The next page, or null on the last.")

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {"name": "page", "required": False, "in": "query", "description": "Page number.",
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}},
            SIZE_PARAMETER,
        ]


class CursorPagination(pagination.BasePagination):
    """Pages in the order view.get_ordering() gives (field names, "-" for descending, ending
    with "pk" so that no two rows tie). The cursor holds the last row's values of those fields.

    NULLs sort as each database sorts them, so that the order's index is read as it is: after
    every value on PostgreSQL, before on SQLite."""

    default_size = 50

    def paginate_queryset(self, queryset: QuerySet, request: Request, view=None) -> list:
        self.request = request
        self.ordering = list(view.get_ordering())
        size = page_size(request, self.default_size)
        queryset = queryset.order_by(*self.ordering)
        cursor = request.query_params.get("cursor", "")
        if cursor:
            queryset = queryset.filter(self.after(queryset, self.decode(cursor)))
        rows = list(queryset[: size + 1])
        self.last = rows[size - 1] if len(rows) > size else None
        return rows[:size]

    def decode(self, cursor: str) -> list:
        try:
            values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        except (ValueError, binascii.Error, UnicodeError):
            values = None
        if not isinstance(values, list) or len(values) != len(self.ordering):
            raise NotFound(_("This cursor is not valid for this list: follow the “next” link."))
        return values

    def encode(self, row) -> str:
        values = [self.value(row, name.lstrip("-")) for name in self.ordering]
        return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()

    @staticmethod
    def value(row, name: str):
        value = getattr(row, name)
        return value.isoformat() if hasattr(value, "isoformat") else value

    def after(self, queryset: QuerySet, values: list) -> Q:
        """Rows after `values` in the ordering: (a > x) or (a = x and b > y) or …, with a
        first condition on the leading field alone that the index range starts from."""
        nulls_last = connections[queryset.db].vendor == "postgresql"
        fields = [(name.lstrip("-"), name.startswith("-")) for name in self.ordering]
        model_fields = [
            queryset.model._meta.get_field("id" if name == "pk" else name) for name, _d in fields
        ]
        try:
            values = [
                None if value is None else field.to_python(value)
                for field, value in zip(model_fields, values)
            ]
        except (DjangoValidationError, TypeError, ValueError):  # a forged cursor
            raise NotFound(_("This cursor is not valid for this list: follow the “next” link."))
        alternatives, equal = [], Q()
        for (name, descending), value in zip(fields, values):
            alternatives.append(equal & self.beyond(name, value, descending, nulls_last))
            equal &= Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})
        condition = reduce(operator.or_, alternatives)
        (first, descending), value = fields[0], values[0]
        nulls_after = nulls_last != descending
        if value is not None and (not model_fields[0].null or not nulls_after):
            condition &= Q(**{f"{first}__{'lte' if descending else 'gte'}": value})
        return condition

    @staticmethod
    def beyond(name: str, value, descending: bool, nulls_last: bool) -> Q:
        """Rows whose `name` comes strictly after `value` in the ordering."""
        nulls_after = nulls_last != descending  # NULLs come after every value in this direction
        if value is None:
            return Q(**{f"{name}__isnull": False}) if not nulls_after else Q(pk__in=[])
        beyond = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        return beyond | Q(**{f"{name}__isnull": True}) if nulls_after else beyond

    def get_paginated_response(self, data) -> Response:
        url = self.request.build_absolute_uri()
        following = (
            replace_query_param(url, "cursor", self.encode(self.last)) if self.last else None
        )
        return Response({"next": following, "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return page_schema(schema, "The next page (its cursor), or null on the last.")

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {"name": "cursor", "required": False, "in": "query",
             "description": "Where the page starts: from the previous page's `next` link.",
             "schema": {"type": "string"}},
            SIZE_PARAMETER,
        ]

