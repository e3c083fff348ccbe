"""Request plumbing shared by every blueprint: login required by default, the current member."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, has_request_context, jsonify, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from innsiden import access
from innsiden.db import get_session
from membersync.models import Member

View = TypeVar("View", bound=Callable[..., Any])


def public(view: View) -> View:
    """Mark a view as reachable without logging in (login, webhook, health, static)."""
    view.innsiden_public = True  # type: ignore[attr-defined]
    return view


def current_member() -> Member | None:
    """The logged-in member, or None (the user loader has re-checked their access already).

    None outside a request too (jobs render e-mails with the same templates)."""
    if not has_request_context():
        return None
    return current_user.member if current_user.is_authenticated else None


def _require_login() -> Response | None:
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "innsiden_public", False):
        return None
    if current_user.is_authenticated:
        return None
    if request.path.startswith("/api/"):
        body = {"error": {"code": "unauthenticated", "message": _("Du må logge inn.")}}
        response = jsonify(body)
        response.status_code = 401
        return response
    return redirect(url_for("auth.login", neste=request.full_path.rstrip("?")))


def _template_context() -> dict[str, Any]:
    def can(action: str, target: Any = None) -> bool:
        return access.can(get_session(), current_member(), action, target)

    return {"can": can, "current_member": current_member(), "get_locale": get_locale}


def init_app(app: Flask) -> None:
    """Deny by default: every endpoint not marked @public needs a member with access."""
    app.before_request(_require_login)
    app.context_processor(_template_context)
