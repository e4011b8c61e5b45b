"""The settings module read in a fresh interpreter under given environment variables."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "tracker.example.org",
    "DATABASE_URL": "sqlite:////tmp/tracker-settings-test.sqlite3",
}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser tests allow async-unsafe calls in this process; a deployment never does.
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=clean | env,
        capture_output=True, text=True, timeout=60,
    )


def test_check_deploy_passes_under_the_documented_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start():
    result = run_manage("check", **(PRODUCTION | {"SECRET_KEY": ""}))
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_a_malformed_boolean_is_named_in_the_error():
    result = run_manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be 0 or 1 (or true/false), not 'maybe'." in result.stderr


@pytest.mark.parametrize("name", ["TRACKER_SESSION_IDLE_MINUTES", "TRACKER_SESSION_MAX_HOURS"])
@pytest.mark.parametrize("value,error", [
    ("soon", "must be a whole number, not 'soon'."),
    ("0", "must be at least 1, not '0'."),
])
def test_a_session_time_out_must_be_a_positive_whole_number(name, value, error):
    result = run_manage("check", **{name: value})
    assert result.returncode != 0
    assert f"{name} {error}" in result.stderr


def test_production_cookies_are_secure_http_only_and_same_site():
    result = run_manage(
        "shell", "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.CSRF_COOKIE_SAMESITE)",
        **PRODUCTION,
    )
    values = result.stdout.splitlines()[-1].split()
    assert values == ["True", "True", "True", "Lax", "Lax"], result.stderr


def test_the_session_cookie_lasts_as_long_as_the_absolute_time_out():
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)",
        TRACKER_SESSION_MAX_HOURS="2",
    )
    assert result.stdout.splitlines()[-1].split() == ["7200"], result.stderr


def test_database_url_switches_to_postgresql():
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
    )
    assert result.stdout.strip().endswith("django.db.backends.postgresql")


@pytest.mark.parametrize("proxies,order", [
    # Without proxies X-Forwarded-For is whatever the client wrote: only the connection counts.
    ("0", "('REMOTE_ADDR',)"),
    ("1", "['HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR']"),
])
def test_the_lock_out_reads_the_client_address_behind_proxies_only(proxies, order):
    result = run_manage(
        "shell", "-c",
        "from django.conf import settings as s; print(s.AXES_IPWARE_PROXY_COUNT,"
        " s.AXES_IPWARE_META_PRECEDENCE_ORDER)",
        TRACKER_PROXY_COUNT=proxies,
    )
    assert result.returncode == 0, result.stderr
    # The last line: the shell first says how many objects it imported.
    assert result.stdout.splitlines()[-1].split(maxsplit=1) == [
        "None" if proxies == "0" else proxies, order
    ]


def test_server_errors_are_logged_to_the_standard_error():
    result = run_manage(
        "shell", "-c",
        "import logging; logging.getLogger('django.request').error('boom at %s', '/x/')",
        **PRODUCTION,
    )
    assert "boom at /x/" in result.stderr
