"""templates/500.html: the page the app answers with when it fails, the database down included."""

import pytest
from django.db import OperationalError, connection
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from recommendations.models import Role
from tests.helpers import make_organisation, make_user


def test_the_error_page_renders_without_a_request_or_the_database():
    # No `db` fixture: pytest-django refuses any query, as an unreachable database would.
    page = render_to_string("500.html")

    assert 'id="server-error"' in page
    assert "The tracker cannot answer right now" in page
    assert "bootstrap.min.css" in page


def test_the_error_page_is_translated():
    with translation.override("fr"):
        page = render_to_string("500.html")

    assert 'lang="fr"' in page
    assert "The tracker cannot answer right now" not in page


@pytest.mark.django_db
def test_a_signed_in_user_gets_the_error_page_when_the_database_is_unreachable(settings):
    settings.TRACKER_PUBLIC_READ = False
    client = Client(raise_request_exception=False)
    client.force_login(make_user(organisation=make_organisation(), role=Role.NGO_STAFF))

    def unreachable(execute, sql, params, many, context):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    with connection.execute_wrapper(unreachable):
        response = client.get("/recommendations/")

    assert response.status_code == 500
    assert b'id="server-error"' in response.content
