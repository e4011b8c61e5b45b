"""The settings module read in a fresh interpreter under given environment variables."""

import os
import subprocess
import sys

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


def test_database_url_switches_to_postgresql():
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
    )
    assert result.stdout.strip().endswith("django.db.backends.postgresql")
