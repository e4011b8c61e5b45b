"""Personal API tokens: made on the account page (the secret shown once, only its SHA-256
stored), used as a Bearer token, revoked by their user or an administrator; requests counted per
token in the cache."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.test import Client

from tests.helpers import make_user
from tracker.api.authentication import TokenRateThrottle
from tracker.api.models import ApiToken


def test_a_token_is_made_on_the_account_page_shown_once_and_stored_hashed(db):
    user = make_user()
    client = Client()
    client.force_login(user)
    response = client.post("/api/tokens/", {"name": "Office dashboard"})
    secret = response.context["secret"]
    assert secret.startswith("rct_") and secret in response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert token.key == hashlib.sha256(secret.encode()).hexdigest()
    assert not token.can_write
    assert secret not in client.get("/api/tokens/").content.decode()
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    assert api.get("/api/countries/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_is_refused(db, settings):
    settings.TRACKER_PUBLIC_READ = False
    user = make_user()
    token, secret = ApiToken.objects.create_for(user, "script", can_write=True)
    client = Client()
    client.force_login(user)
    client.post(f"/api/tokens/{token.pk}/revoke/")
    response = Client(headers={"Authorization": f"Bearer {secret}"}).get("/api/countries/")
    assert response.status_code == 401
    assert response.json() == {"detail": "This token is not valid or was revoked."}


def test_nobody_revokes_another_users_token_on_the_account_page(db):
    token, _secret = ApiToken.objects.create_for(make_user(), "script", can_write=True)
    client = Client()
    client.force_login(make_user())
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_an_administrator_revokes_anyones_token(admin_client, db):
    token, _secret = ApiToken.objects.create_for(make_user(), "script", can_write=True)
    admin_client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert not token.is_active


def test_requests_beyond_the_rate_are_refused_per_token(db, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"api": "3/minute"})
    cache.clear()
    user = make_user()
    first = Client(headers={"Authorization": f"Bearer {ApiToken.objects.create_for(user, 'a', False)[1]}"})
    second = Client(headers={"Authorization": f"Bearer {ApiToken.objects.create_for(user, 'b', False)[1]}"})
    assert [first.get("/api/mechanisms/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert second.get("/api/mechanisms/").status_code == 200
    cache.clear()


def test_the_apps_session_works_and_its_writes_need_the_csrf_token(team):
    client = Client(enforce_csrf_checks=True)
    client.force_login(team["ngo"])
    assert client.get("/api/follow-up/").status_code == 200
    body = {"recommendation": team["recommendation"].pk, "status": "in_progress",
            "summary": "Logged from the app's own page."}
    response = client.post("/api/follow-up/", body, content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    client.get("/api/tokens/")  # a page that sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post("/api/follow-up/", body, content_type="application/json",
                           headers={"X-CSRFToken": token})
    assert response.status_code == 201
