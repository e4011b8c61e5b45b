"""What the API tests share: a client sending a personal token."""

from __future__ import annotations

from django.test import Client

from tracker.api.models import ApiToken


def token_client(user, can_write: bool = True) -> Client:
    """A client that sends a new token of the user's in every request's Authorization header."""
    _token, secret = ApiToken.objects.create_for(user, "test", can_write)
    return Client(headers={"Authorization": f"Bearer {secret}"})
