"""A request id on every request and log line, and JSON logs when INNSIDEN_LOG_FORMAT=json.

The id comes from the proxy's X-Request-Id (nginx: `proxy_set_header X-Request-Id
$request_id`) when it looks like one, else it is made here; it is echoed in the response's
X-Request-Id so a member's report, nginx's log and ours meet on one id.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, g, has_request_context, request

HEADER = "X-Request-Id"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


def _assign() -> None:
    given = request.headers.get(HEADER, "")
    g.request_id = given if _VALID.match(given) else uuid.uuid4().hex


def _echo(response: Any) -> Any:
    if has_request_context() and "request_id" in g:
        response.headers[HEADER] = g.request_id
    return response


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (or "-") on every record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if has_request_context():
            entry["method"] = request.method
            entry["path"] = request.path
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(log_format: str) -> None:
    """Every handler on the root logger gets the request id; JSON if asked for."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig()
    for handler in root.handlers:
        if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
            handler.addFilter(RequestIdFilter())
        if log_format == "json":
            handler.setFormatter(JsonFormatter())
        else:
            handler.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
            )


def init_app(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _assign)
    app.after_request(_echo)
    configure_logging(app.config.get("LOG_FORMAT", "text"))
