"""`/metrics` for Prometheus (only from allowed addresses or with the token) and `/klar`
(also `/ready`), the readiness answer: 200 when every dependency answers, else 503 naming
those that failed."""

from __future__ import annotations

import hmac
import ipaddress

from flask import Blueprint, Response, abort, current_app, jsonify, request

from innsiden.ops import metrics, readiness
from innsiden.web import public

bp = Blueprint("ops", __name__)


def _metrics_allowed() -> bool:
    token = current_app.config.get("METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    allowed = current_app.config.get("METRICS_ALLOW", [])
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in allowed)


@bp.get("/metrics")
@public
def metrics_page() -> Response:
    # Off unless configured, and then unknown to everyone else: 404 either way.
    if not _metrics_allowed():
        abort(404)
    body, content_type = metrics.exposition(current_app._get_current_object())  # type: ignore[attr-defined]
    return Response(body, content_type=content_type)


@bp.get("/klar")
@bp.get("/ready")
@public
def ready() -> tuple[Response, int]:
    answers = readiness.checks(current_app._get_current_object())  # type: ignore[attr-defined]
    failed = sorted(name for name, state in answers.items() if state == "failed")
    body = {"ready": not failed, "checks": answers, "failed": failed}
    return jsonify(body), 503 if failed else 200
