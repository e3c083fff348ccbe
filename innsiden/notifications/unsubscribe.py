"""One-click unsubscribe links: signed for one member and one setting, usable once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.errors import NotFound
from innsiden.groups import service as groups
from innsiden.groups.models import Group
from innsiden.notifications.models import UsedUnsubscribeToken
from innsiden.notifications.service import settings_for
from membersync.models import Member

SALT = "innsiden.unsubscribe"
ALL_EMAIL = "email"  # scope: stop all e-mail; "group:<id>": mute one group


@dataclass(frozen=True)
class Unsubscribe:
    member_number: int
    scope: str
    token_id: str


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(member_number: int, scope: str) -> str:
    payload = {"m": member_number, "s": scope, "t": secrets.token_hex(8)}
    return _serializer().dumps(payload)


def read_token(token: str) -> Unsubscribe:
    """The unsubscribe a token stands for; a forged or altered token is NotFound."""
    try:
        payload = _serializer().loads(token)
        return Unsubscribe(int(payload["m"]), str(payload["s"]), str(payload["t"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        raise NotFound() from None


def is_used(session: Session, unsubscribe: Unsubscribe) -> bool:
    return session.get(UsedUnsubscribeToken, unsubscribe.token_id) is not None


def apply(session: Session, unsubscribe: Unsubscribe) -> bool:
    """Change only the setting the token names, once. False if it was used already."""
    member = session.get(Member, unsubscribe.member_number)
    if member is None or is_used(session, unsubscribe):
        return False
    try:
        with session.begin_nested():
            session.add(
                UsedUnsubscribeToken(
                    token_id=unsubscribe.token_id, member_number=unsubscribe.member_number
                )
            )
    except IntegrityError:
        return False  # used at the same moment by another click
    if unsubscribe.scope == ALL_EMAIL:
        settings_for(session, unsubscribe.member_number).email_mode = "none"
    elif unsubscribe.scope.startswith("group:"):
        group = session.get(Group, int(unsubscribe.scope.removeprefix("group:")))
        if group is not None and access.can(session, member, "group.read", group):
            groups.set_notification_level(session, member, group, "none")
    session.flush()
    return True
