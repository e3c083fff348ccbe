"""The webhook: a signed, fresh, never-replayed change from the register, applied by membersync.

The scheme (see README): `X-Register-Timestamp` (Unix seconds) and `X-Register-Signature:
sha256=<hex>` = HMAC-SHA256 over `timestamp + "." + raw body` with the shared secret.
"""

from __future__ import annotations

import json
import logging

from flask import Blueprint, Response, current_app, jsonify, request

from innsiden.db import session_factory
from innsiden.errors import NotFound
from innsiden.security import csrf
from innsiden.web import public
from membersync import webhook
from membersync.db import utcnow
from membersync.sync import InvalidEvent, apply_member_event

log = logging.getLogger(__name__)

bp = Blueprint("registerhook", __name__)

STATUS_BY_OUTCOME = {"applied": 200, "aborted": 422, "failed": 500}


@bp.post("/membersync/webhook")
@public
@csrf.exempt
def receive() -> tuple[Response, int]:
    secret = current_app.config.get("REGISTER_WEBHOOK_SECRET") or ""
    if not secret:
        raise NotFound()  # no secret configured: the webhook does not exist
    body = request.get_data(cache=False)
    try:
        key = webhook.verify(
            secret,
            request.headers.get(webhook.TIMESTAMP_HEADER),
            request.headers.get(webhook.SIGNATURE_HEADER),
            body,
            utcnow(),
        )
    except webhook.WebhookRejected as refused:
        log.warning("register webhook refused from %s: %s", request.remote_addr, refused)
        return _answer(401, "unauthorized", "Signaturen er ugyldig eller for gammel.")
    factory = session_factory()
    with factory() as session:
        if webhook.already_seen(session, key):
            log.warning("register webhook replay refused from %s", request.remote_addr)
            return _answer(401, "replayed", "Denne leveransen er allerede mottatt.")
    try:
        event = json.loads(body)
        result = apply_member_event(
            factory,
            event if isinstance(event, dict) else {},
            actor="registeret",
            before_apply=lambda session: webhook.remember(session, key, utcnow()),
        )
    except (ValueError, InvalidEvent) as bad:
        return _answer(
            400, "bad_event", str(bad) if isinstance(bad, InvalidEvent) else "Ugyldig JSON."
        )
    body_out = {"outcome": result.outcome, "run": result.run_id, "error": result.error}
    body_out["changes"] = {kind: n for kind, n in result.counts.items() if n and kind != "read"}
    return jsonify(body_out), STATUS_BY_OUTCOME.get(result.outcome, 500)


def _answer(status: int, code: str, message: str) -> tuple[Response, int]:
    return jsonify({"error": {"code": code, "message": message}}), status
