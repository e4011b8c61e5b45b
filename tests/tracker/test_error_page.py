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


@pytest.mark.django_db
def test_a_missing_page_answers_with_the_styled_404_page(client, settings):
    settings.DEBUG = False
    settings.TRACKER_PUBLIC_READ = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "There is no page at this address" in content and 'class="error-page"' in content
    # The site's header and a search box to find what was looked for.
    assert 'class="site-header' in content and 'id="not-found-search"' in content


@pytest.mark.django_db
def test_a_refused_page_answers_with_the_styled_403_page(settings):
    settings.DEBUG = False
    settings.TRACKER_PUBLIC_READ = True
    client = Client()
    client.force_login(make_user("visitor"))
    response = client.get("/follow-up/review/")
    assert response.status_code == 403
    content = response.content.decode()
    assert "You may not open this page" in content and "visitor" in content
