"""Calendar feed addresses: a signed token instead of a stored secret, since calendar apps cannot
sign in and no model needs a field for it. A token names what its feed shows (`user=<pk>` or
`country=<code>`) and the day it was issued; it opens the feed for TRACKER_CALENDAR_TOKEN_DAYS,
after which the deadlines page, which always shows a fresh address, gives a new one. Changing
SECRET_KEY revokes every address at once."""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.core import signing

CALENDAR_SALT = "tracker.calendar"
DAY = 24 * 60 * 60


class DailySigner(signing.TimestampSigner):
    """Stamped with the start of the day (UTC), so that an address stays the same each time it
    is shown that day."""

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) // DAY * DAY)


def calendar_token(**subject: int | str) -> str:
    return DailySigner(salt=CALENDAR_SALT).sign_object(subject)


def read_calendar_token(token: str, key: str) -> int | str | None:
    """The user pk or country code a token signs for; None when forged, expired or of another
    kind."""
    max_age = datetime.timedelta(days=settings.TRACKER_CALENDAR_TOKEN_DAYS)
    try:
        subject = DailySigner(salt=CALENDAR_SALT).unsign_object(token, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    return subject.get(key) if isinstance(subject, dict) else None


def calendar_token_expiry() -> datetime.date:
    """The last day an address shown today opens its feed."""
    issued = datetime.datetime.fromtimestamp(int(time.time()) // DAY * DAY, datetime.UTC)
    return (issued + datetime.timedelta(days=settings.TRACKER_CALENDAR_TOKEN_DAYS)).date()
