"""The settings several app servers share (README, "Deployment"): the cache and the uploads'
storage, read in a fresh interpreter under given environment variables."""

from tests.tracker.test_settings import run_manage

SHOW = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'], " \
    "settings.STORAGES['default'])"


def test_a_shared_cache_in_the_database_is_chosen_by_cache_url():
    result = run_manage("shell", "-c", SHOW, CACHE_URL="db://")

    assert result.returncode == 0, result.stderr
    assert "django.core.cache.backends.db.DatabaseCache" in result.stdout


def test_an_unknown_cache_url_refuses_to_start():
    result = run_manage("check", CACHE_URL="memcached://127.0.0.1:11211")

    assert result.returncode != 0
    assert "CACHE_URL must be redis://… or db://" in result.stderr


def test_the_uploads_storage_and_its_options_come_from_the_environment():
    result = run_manage(
        "shell", "-c", SHOW, MEDIA_STORAGE_BACKEND="django.core.files.storage.FileSystemStorage",
        MEDIA_STORAGE_OPTIONS='{"location": "/srv/shared/media"}',
    )

    assert result.returncode == 0, result.stderr
    assert "'location': '/srv/shared/media'" in result.stdout


def test_malformed_storage_options_refuse_to_start():
    for options in ("{location: nowhere}", '["/srv/media"]'):
        result = run_manage("check", MEDIA_STORAGE_OPTIONS=options)

        assert result.returncode != 0
        assert "MEDIA_STORAGE_OPTIONS must be a JSON object" in result.stderr


def test_without_cache_url_the_cache_is_the_database_one_that_every_worker_shares():
    # A per-process cache would give each gunicorn worker its own count of wrong codes.
    result = run_manage("shell", "-c", SHOW)

    assert result.returncode == 0, result.stderr
    assert "django.core.cache.backends.db.DatabaseCache" in result.stdout
