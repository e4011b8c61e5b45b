"""The OpenAPI schema: generated from the code without a warning that would make it inexact,
valid OpenAPI 3, and every endpoint exercised from it by schemathesis, in process against the
WSGI app: no server error, every response (status, headers, body) as the schema says."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks as built_in
from schemathesis.specs.openapi import checks as openapi_checks

from tests.helpers import make_assessment
from tracker.api.models import ApiToken

# Generated requests per operation.
EXAMPLES = 6


def test_the_schema_is_valid_openapi_3(db, client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # against the OpenAPI 3.0 JSON Schema
    assert "/api/recommendations/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/recommendations/"]["get"]["parameters"]}
    assert {"country", "mechanism", "cycle", "status", "organisation", "sort", "cursor",
            "q", "current", "date_from", "date_to", "theme", "goal"} <= parameters


@pytest.fixture
def api_schema(db, team):
    """The schema, read from the app itself, with the team's records to find."""
    make_assessment(team["recommendation"], team["first"], "implemented")
    team["secret"] = ApiToken.objects.create_for(team["superuser"], "schemathesis", True)[1]
    # The WSGI handler would close the test's connection at each request's end, as the test
    # client does not: it runs in the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


CHECKS = [
    built_in.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
]


def test_every_endpoint_answers_as_the_schema_says(api_schema, team):
    """Each operation with a few generated requests (bounded, so that the run takes a minute
    or two), through a superuser's token: the broadest reader and writer."""
    headers = {"Authorization": f"Bearer {team['secret']}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 30
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
        def exercise(case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        exercise()
