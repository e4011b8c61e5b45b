"""The headers that keep pages out of frames, caches and other sites' hands: the
Content-Security-Policy, X-Frame-Options, Referrer-Policy, nosniff, HSTS in production, and
Cache-Control: no-store on non-public pages (NoStoreMiddleware)."""

import json

import pytest
from django.templatetags.static import static

from tests.helpers import make_user
from tests.tracker.test_settings import PRODUCTION, run_manage

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().partition(" ")[::2] for part in policy.split(";"))


def test_pages_carry_a_strict_content_security_policy(client):
    policy = directives(client.get("/"))

    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    # Scripts and styles fall back to default-src: this site's files only, nothing inline.
    assert "script-src" not in policy and "style-src" not in policy
    assert "unsafe" not in client.get("/")["Content-Security-Policy"]


def test_the_admin_carries_the_policy_too(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    assert directives(client.get("/admin/"))["default-src"] == "'self'"


def test_pages_refuse_framing_sniffing_and_leaking_their_address(client):
    response = client.get("/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_sends_hsts_and_the_other_headers(tmp_path):
    # A request in a fresh interpreter under the production variables, over HTTPS, with the
    # static files collected as a deployment collects them (the error pages name their files).
    production = PRODUCTION | {"STATIC_ROOT": str(tmp_path)}
    collected = run_manage("collectstatic", "--noinput", "--verbosity", "0", **production)
    assert collected.returncode == 0, collected.stderr
    result = run_manage(
        "shell", "-c",
        "import json; from django.test import Client; "
        "r = Client().get('/no-such-page/', secure=True, headers={'host': 'tracker.example.org'}); "
        "print(json.dumps(dict(r.headers)))",
        **production,
    )
    assert result.returncode == 0, result.stderr
    headers = json.loads(result.stdout.splitlines()[-1])
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_production_redirects_plain_http_to_https():
    result = run_manage(
        "shell", "-c",
        "from django.test import Client; "
        "r = Client().get('/', headers={'host': 'tracker.example.org'}); "
        "print(r.status_code, r['Location'])",
        **PRODUCTION,
    )
    status, location = result.stdout.splitlines()[-1].split()
    assert (status, location) == ("301", "https://tracker.example.org/")


def test_pages_for_a_signed_in_user_are_not_stored(client):
    client.force_login(make_user())
    cache_control = client.get("/")["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_every_page_is_not_stored_when_reading_needs_signing_in(client, settings):
    settings.TRACKER_PUBLIC_READ = False
    # The sign-in page too: it carries the visitor's CSRF token.
    assert "no-store" in client.get("/", follow=True)["Cache-Control"]
    assert "no-store" in client.get("/measures/")["Cache-Control"]


def test_public_pages_for_an_anonymous_visitor_may_be_cached(client):
    assert "no-store" not in client.get("/").get("Cache-Control", "")


def test_static_files_keep_their_caching_for_a_signed_in_user(client, settings):
    # WhiteNoise reads the source folders, as it does under runserver.
    settings.WHITENOISE_AUTOREFRESH = settings.WHITENOISE_USE_FINDERS = True
    client.force_login(make_user())

    response = client.get(static("css/tracker.css"))

    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
    assert "max-age" in response["Cache-Control"]
