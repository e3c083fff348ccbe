"""The bell in the header: the unread count on every page, and its live updates."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from innsiden.db import get_session
from innsiden.notifications import service
from innsiden.web import current_member


def _bell_context() -> dict[str, Callable[[], int]]:
    def unread_notifications() -> int:
        member = current_member()
        return service.unread_count(get_session(), member) if member else 0

    return {"unread_notifications": unread_notifications}


def init_app(app: Flask) -> None:
    app.context_processor(_bell_context)
