"""The administrators' webhook page (/admin/webhooks): register an endpoint, see its secret
once, remove it, and read the delivery log."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug import Response

from innsiden import access
from innsiden.db import get_session
from innsiden.errors import ValidationFailed
from innsiden.web import current_member
from innsiden.webhooks import service
from innsiden.webhooks.models import Webhook, WebhookDelivery

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")
LOG_ROWS = 100


def _page(
    *, secret: str | None = None, error: ValidationFailed | None = None, url: str = ""
) -> str:
    session = get_session()
    hooks = list(session.scalars(select(Webhook).order_by(Webhook.id)))
    log = list(
        session.execute(
            select(WebhookDelivery, Webhook.url)
            .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
            .order_by(WebhookDelivery.id.desc())
            .limit(LOG_ROWS)
        )
    )
    return render_template(
        "webhooks/admin.html", hooks=hooks, log=log, kinds=service.KINDS, secret=secret,
        error=error, url=url,
    )  # fmt: skip


@bp.get("")
def index() -> str:
    access.require(get_session(), current_member(), "webhook.manage")
    return _page()


@bp.post("")
def register() -> str | tuple[str, int]:
    session = get_session()
    access.require(session, current_member(), "webhook.manage")
    url = request.form.get("url", "")
    try:
        _hook, secret = service.register(
            session, current_member(), url, request.form.getlist("events"),
            allow_loopback_http=current_app.config.get("WEBHOOKS_ALLOW_LOOPBACK_HTTP", False),
        )  # fmt: skip
    except ValidationFailed as refused:
        session.rollback()
        return _page(error=refused, url=url), refused.status
    session.commit()
    # Shown here once, never in a redirect's flash (the session cookie is only signed).
    return _page(secret=secret)


@bp.post("/<int:webhook_id>/fjern")
def remove(webhook_id: int) -> Response:
    session = get_session()
    service.remove(session, current_member(), webhook_id)
    session.commit()
    flash(_("Mottakeren er fjernet. Ingenting mer blir sendt dit."), "info")
    return redirect(url_for("webhooks.index"))
