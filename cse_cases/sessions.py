"""The idle timeout, slid at most once a minute.

A session ends SESSION_IDLE_TIMEOUT_MINUTES after its last request. Django
slides that expiry with SESSION_SAVE_EVERY_REQUEST, which writes the session
row (BEGIN, UPDATE, COMMIT) on every request: three of a page's queries, and a
row lock, on every page everyone opens. Here the row is written when the
session changed, as Django always does, or when its expiry was last moved more
than SESSION_REFRESH_SECONDS ago. So a session still ends at most
SESSION_IDLE_TIMEOUT_MINUTES after its last request, and at least that less
SESSION_REFRESH_SECONDS: never later than the stated timeout, at most a minute
earlier.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class SessionStore(db.SessionStore):
    """Django's database sessions, remembering the expiry the row was read with."""

    loaded_expiry: datetime | None = None

    def _get_session_from_db(self) -> Any:
        row = super()._get_session_from_db()
        self.loaded_expiry = row.expire_date if row else None
        return row

    async def _aget_session_from_db(self) -> Any:
        row = await super()._aget_session_from_db()
        self.loaded_expiry = row.expire_date if row else None
        return row


class SlidingSessionMiddleware(SessionMiddleware):
    """Django's SessionMiddleware (with SESSION_SAVE_EVERY_REQUEST off), which
    also saves an unchanged session when its expiry is due to be slid."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and not session.modified and _expiry_due(session):
            session.modified = True
        return super().process_response(request, response)


def _expiry_due(session: Any) -> bool:
    if not session.session_key:
        return False
    # Reads the row if nothing in the request has (as saving it would have).
    if not session.keys():
        return False
    expiry = getattr(session, "loaded_expiry", None)
    if expiry is None:
        # Not read from the database in this request: save, as Django would.
        return True
    unslid = timedelta(seconds=settings.SESSION_COOKIE_AGE - settings.SESSION_REFRESH_SECONDS)
    return bool(expiry - timezone.now() < unslid)
