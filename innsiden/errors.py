"""The domain error hierarchy and the one handler that answers each as HTML or JSON.

JSON errors are RFC 9457 problem details (`application/problem+json`): `type` (a link to the
problem's entry in the API reference), `title` (the HTTP status phrase), `status`, `detail`
(the message for a person, in the member's language) and the extension members `code` (the
stable machine code clients branch on) and, where the error has them, `fields` and others.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

# SQLSTATE 22003: a number does not fit the column it is compared with or stored in.
NUMERIC_VALUE_OUT_OF_RANGE = "22003"


class InnsidenError(Exception):
    """Base of every error a service raises for a person to read."""

    status = 400
    code = "error"

    def __init__(self, message: str | None = None, **details: Any) -> None:
        super().__init__(message or self.default_message())
        self.message = message or self.default_message()
        self.details = details

    def default_message(self) -> str:
        return _("Noe gikk galt.")


class NotFound(InnsidenError):
    status = 404
    code = "not_found"

    def default_message(self) -> str:
        return _("Vi fant ikke siden du lette etter.")


class LoginRequired(InnsidenError):
    """No logged-in member: the API answers 401, pages send the person to the login page."""

    status = 401
    code = "unauthenticated"

    def default_message(self) -> str:
        return _("Du må logge inn.")


class PermissionDenied(InnsidenError):
    status = 403
    code = "forbidden"

    def default_message(self) -> str:
        return _("Du har ikke tilgang til dette.")


class ValidationFailed(InnsidenError):
    """Bad input: nothing was changed. `fields` maps a form field to its message."""

    status = 400
    code = "validation_failed"

    def __init__(self, message: str | None = None, fields: dict[str, str] | None = None) -> None:
        super().__init__(message, fields=fields or {})
        self.fields = fields or {}

    def default_message(self) -> str:
        return _("Noe i skjemaet må rettes.")


class Conflict(InnsidenError):
    status = 409
    code = "conflict"

    def default_message(self) -> str:
        return _("Dette kolliderte med en annen endring. Prøv igjen.")


class RateLimited(InnsidenError):
    status = 429
    code = "rate_limited"

    def default_message(self) -> str:
        return _("Du har prøvd for mange ganger. Vent litt og prøv igjen.")


class TooLarge(InnsidenError):
    """An upload past its size limit or a group's quota: nothing was stored."""

    status = 413
    code = "too_large"

    def default_message(self) -> str:
        return _("Filen er for stor.")


class StorageError(InnsidenError):
    status = 503
    code = "storage_unavailable"

    def default_message(self) -> str:
        return _("Fillageret svarer ikke akkurat nå. Ingenting ble lagret. Prøv igjen senere.")


def wants_json() -> bool:
    """True for API paths and for clients that prefer JSON over HTML."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


PROBLEM_MIMETYPE = "application/problem+json"

# Where each problem `type` points: the problems section of the API reference page.
PROBLEM_TYPE_PATH = "/utviklere/api#problem-"


def problem_type(code: str) -> str:
    """The absolute URI naming a problem type (its entry in the portal's API reference)."""
    return f"{request.url_root.rstrip('/')}{PROBLEM_TYPE_PATH}{code}"


def problem_response(status: int, code: str, message: str, **details: Any) -> Response:
    """One error as RFC 9457 problem details; `code` and `details` are extension members."""
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body = {
        **details,
        "type": problem_type(code),
        "title": title,
        "status": status,
        "detail": message,
        "code": code,
    }
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False, default=str), mimetype=PROBLEM_MIMETYPE
    )
    response.status_code = status
    return response


def error_response(status: int, code: str, message: str, **details: Any) -> Response:
    """Render one error as problem details (JSON) or a Norwegian HTML page."""
    if wants_json():
        return problem_response(status, code, message, **details)
    else:
        body = render_template("errors/error.html", status=status, message=message, **details)
        response = Response(body, mimetype="text/html")
    response.status_code = status
    return response


def _http_message(status: int) -> str:
    messages = {
        400: _("Forespørselen kunne ikke forstås."),
        403: _("Du har ikke tilgang til dette."),
        404: _("Vi fant ikke siden du lette etter."),
        405: _("Denne handlingen er ikke tillatt her."),
        413: _(
            "Filen eller skjemaet er for stort. Største tillatte størrelse er %(size)s MB.",
            size=(current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024),
        ),
        429: _("Du har prøvd for mange ganger. Vent litt og prøv igjen."),
    }
    return messages.get(status, _("Noe gikk galt hos oss. Prøv igjen om litt."))


def init_app(app: Flask) -> None:
    """Register handlers so every error, ours or the framework's, answers the same way."""

    @app.errorhandler(LoginRequired)
    def _login_required(error: LoginRequired) -> Response:
        from innsiden.web import login_required_response  # web builds on this module

        return login_required_response(error)

    @app.errorhandler(InnsidenError)
    def _domain_error(error: InnsidenError) -> Response:
        return error_response(error.status, error.code, error.message, **error.details)

    @app.errorhandler(CSRFError)
    def _csrf_error(_error: CSRFError) -> Response:
        message = _(
            "Skjemaet var utløpt eller manglet sikkerhetsnøkkel. Gå tilbake, last siden på nytt "
            "og prøv igjen."
        )
        return error_response(400, "csrf_failed", message)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        status = error.code or 500
        return error_response(status, f"http_{status}", _http_message(status))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        log.exception("Unhandled error", exc_info=error)
        return error_response(500, "internal_error", _http_message(500))

    @app.errorhandler(DataError)
    def _data_error(error: DataError) -> Response:
        # Row ids are 32-bit on PostgreSQL: an id beyond that from the request (a path, a
        # query or a JSON body) cannot name a row, and PostgreSQL refuses the comparison.
        # That is bad input, not our failure; any other data error still is.
        if getattr(error.orig, "sqlstate", None) == NUMERIC_VALUE_OUT_OF_RANGE:
            return error_response(400, "number_out_of_range", _http_message(400))
        return _unexpected(error)
