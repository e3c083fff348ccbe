"""auth's part of the permission module: suspended members are kept out; who may suspend."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from innsiden.access import portal_check, rule
from innsiden.admin.permissions import is_portal_admin
from innsiden.auth.models import Suspension
from membersync.models import Member


@portal_check
def _not_suspended(session: Session, member: Member) -> bool:
    # Runs on every request and socket event through access.may_use_portal (index on member).
    suspended = exists().where(
        Suspension.member_number == member.number, Suspension.lifted_at.is_(None)
    )
    return not session.scalar(select(suspended))


@rule("auth.suspend")
def _suspend(_session: Session, member: Member, _target: Any) -> bool:
    return is_portal_admin(member)


@rule("auth.tokens_admin")
def _tokens_admin(_session: Session, member: Member, _target: Any) -> bool:
    return is_portal_admin(member)
