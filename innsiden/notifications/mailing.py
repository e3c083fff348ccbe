"""The e-mails notifications send: plain text and HTML in the recipient's language, with a
one-click unsubscribe."""

from __future__ import annotations

from collections.abc import Sequence

from flask import current_app, render_template
from flask_babel import gettext as _

from innsiden.mail import Mail
from innsiden.notifications.models import Notification
from innsiden.notifications.registry import DigestItem
from innsiden.notifications.unsubscribe import ALL_EMAIL, make_token
from membersync.models import Member

# Says which of the two kinds a notifications e-mail is, so a member's mail rules (and the
# tests) can tell the daily digest from a notification sent at once.
KIND_HEADER = "X-Innsiden-Mail"
IMMEDIATE = "notification"
DIGEST = "digest"


def _headers(url: str, kind: str) -> dict[str, str]:
    # RFC 8058: mail clients offer one-click unsubscribe and POST to the URL themselves.
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        KIND_HEADER: kind,
    }


def unsubscribe_url(member: Member, scope: str = ALL_EMAIL) -> str:
    return f"{current_app.config['BASE_URL']}/avmeld/{make_token(member.number, scope)}"


def notification_mail(member: Member, notification: Notification) -> Mail:
    base = current_app.config["BASE_URL"]
    stop_url = unsubscribe_url(member)
    context = {
        "member": member,
        "notification": notification,
        "link": f"{base}{notification.url}",
        "unsubscribe_url": stop_url,
        "settings_url": f"{base}/varsler/innstillinger",
        "organisation": current_app.config["ORGANISATION_NAME"],
    }
    return Mail(
        to=str(member.email),
        subject=notification.title,
        text=render_template("notifications/mail/notification.txt", **context),
        html=render_template("notifications/mail/notification.html", **context),
        headers=_headers(stop_url, IMMEDIATE),
    )


def digest_mail(
    member: Member, notifications: Sequence[Notification], items: Sequence[DigestItem]
) -> Mail:
    base = current_app.config["BASE_URL"]
    stop_url = unsubscribe_url(member)
    by_group: dict[str, list[DigestItem]] = {}
    for item in items:
        by_group.setdefault(item.group_name, []).append(item)
    context = {
        "member": member,
        "notifications": notifications,
        "groups": by_group,
        "base": base,
        "unsubscribe_url": stop_url,
        "settings_url": f"{base}/varsler/innstillinger",
        "organisation": current_app.config["ORGANISATION_NAME"],
    }
    return Mail(
        to=str(member.email),
        subject=_(
            "Nytt på Innsiden – %(organisation)s",
            organisation=current_app.config["ORGANISATION_NAME"],
        ),
        text=render_template("notifications/mail/digest.txt", **context),
        html=render_template("notifications/mail/digest.html", **context),
        headers=_headers(stop_url, DIGEST),
    )
