"""Notification pages: the list behind the bell, e-mail settings, and unsubscribe links."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug import Response

from innsiden.db import get_session
from innsiden.groups import service as groups
from innsiden.notifications import service, unsubscribe
from innsiden.notifications.models import Notification
from innsiden.security import csrf
from innsiden.web import acting_member, public

bp = Blueprint("notifications", __name__)


@bp.get("/varsler")
def index() -> str:
    session = get_session()
    before = request.args.get("før", type=int)
    items = service.visible(session, acting_member(), before_id=before)
    return render_template("notifications/index.html", items=items)


@bp.post("/varsler/<int:notification_id>/lest")
def mark_read(notification_id: int) -> Response:
    session = get_session()
    service.mark_read(session, acting_member(), notification_id)
    session.commit()
    return redirect(url_for("notifications.index"))


@bp.post("/varsler/<int:notification_id>/apne")
def open_item(notification_id: int) -> Response:
    """Mark as read and go to the thing itself."""
    session = get_session()
    notification: Notification = service.mark_read(session, acting_member(), notification_id)
    session.commit()
    target = notification.url if notification.url.startswith("/") else "/"
    return redirect(target if not target.startswith("//") else "/")


@bp.post("/varsler/alle-lest")
def mark_all_read() -> Response:
    session = get_session()
    service.mark_all_read(session, acting_member())
    session.commit()
    flash(_("Alle varsler er merket som lest."), "success")
    return redirect(url_for("notifications.index"))


@bp.get("/varsler/innstillinger")
def settings() -> str:
    session = get_session()
    member = acting_member()
    mine = groups.groups_of_member(session, member)
    return render_template(
        "notifications/settings.html",
        email_mode=service.email_mode(session, member.number),
        announcements_immediate=service.announcements_immediate(session, member.number),
        emails_per_hour=current_app.config["EMAILS_PER_HOUR"],
        groups=mine,
        levels={g.id: groups.notification_level(session, member.number, g.id) for g in mine},
    )


@bp.post("/varsler/innstillinger")
def save_settings() -> Response:
    session = get_session()
    member = acting_member()
    service.set_email_mode(session, member, request.form.get("email_mode", ""))
    at_once = request.form.get("announcements_immediate") == "1"
    service.set_announcements_immediate(session, member, at_once)
    for group in groups.groups_of_member(session, member):
        level = request.form.get(f"group_{group.id}")
        if level is not None:
            groups.set_notification_level(session, member, group, level)
    session.commit()
    flash(_("Varslingsinnstillingene er lagret."), "success")
    return redirect(url_for("notifications.settings"))


@bp.get("/avmeld/<token>")
@public
def unsubscribe_confirm(token: str) -> str:
    """A confirmation page, so that link scanners opening the link change nothing."""
    wanted = unsubscribe.read_token(token)
    used = unsubscribe.is_used(get_session(), wanted)
    return render_template(
        "notifications/unsubscribe.html", token=token, wanted=wanted, used=used, done=False
    )


@bp.post("/avmeld/<token>")
@public
@csrf.exempt  # RFC 8058 one-click: the mail client posts without a form token
def unsubscribe_apply(token: str) -> str:
    session = get_session()
    wanted = unsubscribe.read_token(token)
    changed = unsubscribe.apply(session, wanted)
    session.commit()
    return render_template(
        "notifications/unsubscribe.html", token=token, wanted=wanted, used=not changed, done=changed
    )
