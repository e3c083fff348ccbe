"""Request plumbing shared by every blueprint: login required by default, the current member."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, redirect, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from werkzeug import Response
from werkzeug.routing import IntegerConverter, Map

from innsiden import access, menu
from innsiden.db import get_session
from innsiden.errors import LoginRequired, problem_response
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


def acting_member() -> Member:
    """The logged-in member a view acts for; LoginRequired (401 / login page) without one."""
    member = current_member()
    if member is None:
        raise LoginRequired()
    return member


def json_body() -> dict[str, Any]:
    """The request's JSON object, or an empty one for a missing or non-object body."""
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


# Longer digit strings than this do not fit a 64-bit id column; treat them as no number.
_MAX_ID_DIGITS = 18
# The largest number a 64-bit id column holds: a larger one cannot name a row, and SQLite
# refuses to even compare with it (OverflowError, a 500) rather than find nothing.
MAX_ID = 2**63 - 1


class IdConverter(IntegerConverter):
    """`<int:…>` in a URL: a number too large for an id column matches no route (a 404)."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = MAX_ID, signed: bool = False) -> None:  # fmt: skip
        super().__init__(map, fixed_digits, min, max, signed)


def int_value(value: Any) -> int | None:
    """A whole number from JSON (an int, not a bool, that fits an id column) or a form/query
    string of digits; else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if -MAX_ID <= value <= MAX_ID else None
    if isinstance(value, str):
        text = value.strip()
        # ASCII only: "²" is a digit to str.isdigit but not to int().
        if text.isascii() and text.isdigit() and len(text) <= _MAX_ID_DIGITS:
            return int(text)
    return None


def int_arg(name: str) -> int | None:
    """A whole-number query-string argument (`?foer=120`), or None when absent or not a number."""
    return int_value(request.args.get(name))


def safe_next(target: str | None) -> str | None:
    """A local path to go to after login, or None: never another site (open redirect)."""
    if not target:
        return None
    target = target.strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ch in target for ch in "\r\n\t") or urlsplit(target).netloc:
        return None
    return target


API_PREFIX = "/api/v1/"


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer` header on an /api/v1 request, else None.

    Only the API reads it: on HTML pages a bearer token is no credential at all."""
    if not request.path.startswith(API_PREFIX):
        return None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def _require_login() -> Response | None:
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "innsiden_public", False):
        return None
    if current_user.is_authenticated:
        return None
    return login_required_response()


def login_required_response(error: LoginRequired | None = None) -> Response:
    """The one answer to "no member": 401 problem details in the API, the login page elsewhere."""
    if request.path.startswith("/api/"):
        error = error or LoginRequired()
        response = problem_response(error.status, error.code, error.message)
        response.headers["WWW-Authenticate"] = 'Bearer realm="innsiden"'
        return response
    return redirect(url_for("auth.login", neste=request.full_path.rstrip("?")))


def _template_context() -> dict[str, Any]:
    def can(action: str, target: Any = None) -> bool:
        return access.can(get_session(), current_member(), action, target)

    def header_menu() -> list[menu.ShownItem]:
        return menu.visible(get_session(), current_member())

    return {
        "can": can,
        "current_member": current_member(),
        "get_locale": get_locale,
        "header_menu": header_menu,
    }


def init_app(app: Flask) -> None:
    """Deny by default: every endpoint not marked @public needs a member with access."""
    app.before_request(_require_login)
    app.context_processor(_template_context)
