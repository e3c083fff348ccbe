"""auth rules: one-time codes and links, choosing a member, suspensions, ending every session."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from innsiden import access, audit
from innsiden.auth.identifiers import Identifier
from innsiden.auth.models import LoginCode, LoginCodeMember, Suspension
from innsiden.errors import Conflict, InnsidenError, NotFound, ValidationFailed
from innsiden.jobs import job
from membersync.access import end_all_credentials
from membersync.db import utcnow
from membersync.models import Member

CODE_LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5
# Ended codes are kept a day for the audit trail of attempts, then deleted (data minimisation).
CODE_RETENTION = timedelta(days=1)


class OtherDevice(InnsidenError):
    """A login link opened in another browser than the one that asked for it."""

    status = 400
    code = "login_link_other_device"

    def default_message(self) -> str:
        return _(
            "Denne lenken virker bare i nettleseren der du ba om koden. "
            "Skriv inn koden fra e-posten der, eller be om en ny kode her."
        )


@dataclass(frozen=True)
class CodeToSend:
    """What the view must send after the commit (the only time the code exists in clear)."""

    channel: str  # email | sms
    to: str
    code: str
    link_token: str | None
    member_numbers: tuple[int, ...] = ()  # whose language the message is written in


@dataclass(frozen=True)
class Verified:
    """A code or link that was accepted, and the members it may log in."""

    code_id: int
    channel: str
    members: list[Member]


def keyed_hash(secret: str, purpose: str, *parts: str) -> str:
    """HMAC-SHA256 with the app secret: a stolen database alone does not reveal codes."""
    message = "\x1f".join((purpose, *parts)).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _recipient(session: Session, ident: Identifier) -> tuple[str, str, list[Member]] | None:
    """The channel, the register's address and the members with access behind `ident`."""
    if ident.kind == "number":
        member = session.get(Member, int(ident.value))
        if member is None or not access.may_use_portal(session, member):
            return None
        if member.email:
            return "email", member.email, [member]
        return ("sms", member.mobile, [member]) if member.mobile else None
    # membersync stores e-mail lower-cased and mobiles in E.164, so plain indexed lookups do.
    column = Member.email if ident.kind == "email" else Member.mobile
    found = session.scalars(select(Member).where(column == ident.value).order_by(Member.number))
    members = [m for m in found if access.may_use_portal(session, m)]
    if not members:
        return None
    if ident.kind == "email":
        return "email", members[0].email or ident.value, members
    return "sms", ident.value, members


def request_code(
    session: Session, ident: Identifier, *, device: str, secret: str, now: datetime | None = None
) -> CodeToSend | None:
    """Make a code for the members behind `ident`; None if nobody with access is (the caller
    must answer exactly as if a code was sent). A newer code replaces this browser's older one."""
    now = now or utcnow()
    device_hash = keyed_hash(secret, "device", device)
    session.execute(
        update(LoginCode)
        .where(LoginCode.device_hash == device_hash, LoginCode.ended_at.is_(None))
        .values(ended_at=now, ended_reason="replaced")
    )
    recipient = _recipient(session, ident)
    if recipient is None:
        return None
    channel, to, members = recipient
    code = f"{secrets.randbelow(1_000_000):06d}"
    salt = secrets.token_hex(16)
    link_token = secrets.token_urlsafe(32) if channel == "email" else None
    session.add(
        LoginCode(
            channel=channel,
            salt=salt,
            code_hash=keyed_hash(secret, "code", salt, code),
            link_hash=keyed_hash(secret, "link", link_token) if link_token else None,
            device_hash=device_hash,
            created_at=now,
            expires_at=now + CODE_LIFETIME,
            members=[
                LoginCodeMember(member_number=m.number, access_epoch=m.access_epoch)
                for m in members
            ],
        )
    )
    session.flush()
    return CodeToSend(
        channel=channel,
        to=to,
        code=code,
        link_token=link_token,
        member_numbers=tuple(m.number for m in members),
    )


def _eligible(session: Session, row: LoginCode) -> list[Member]:
    """The code's members who still hold the epoch it was made for and may use the portal."""
    eligible = []
    for link in row.members:
        member = session.get(Member, link.member_number)
        if (
            member is not None
            and member.access_epoch == link.access_epoch
            and access.may_use_portal(session, member)
        ):
            eligible.append(member)
    return sorted(eligible, key=lambda m: (m.first_name, m.last_name, m.number))


def _end(row: LoginCode, reason: str, now: datetime) -> None:
    row.ended_at = now
    row.ended_reason = reason


def verify_code(
    session: Session, *, device: str, code: str, secret: str, now: datetime | None = None
) -> Verified | None:
    """Check a typed code against this browser's newest live code. A wrong guess counts even
    when None is returned, so the caller must commit either way."""
    now = now or utcnow()
    row = session.scalars(
        select(LoginCode)
        .where(
            LoginCode.device_hash == keyed_hash(secret, "device", device),
            LoginCode.ended_at.is_(None),
        )
        .order_by(LoginCode.id.desc())
        .limit(1)
        .with_for_update()  # concurrent guesses must not share one attempt
    ).first()
    if row is None or row.expires_at <= now:
        return None
    expected = keyed_hash(secret, "code", row.salt, code.strip())
    if hmac.compare_digest(expected, row.code_hash):
        _end(row, "verified", now)
        return Verified(row.id, row.channel, _eligible(session, row))
    row.attempts += 1
    if row.attempts >= MAX_ATTEMPTS:
        _end(row, "exhausted", now)
        for link in row.members:
            audit.record(
                session, "auth.code_exhausted", target=f"member:{link.member_number}",
                attempts=row.attempts, channel=row.channel,
            )  # fmt: skip
    session.flush()
    return None


def consume_link(
    session: Session, *, token: str, device: str, secret: str, now: datetime | None = None
) -> Verified | None:
    """Accept a one-click login link once, and only in the browser that asked for the code."""
    now = now or utcnow()
    row = session.scalars(
        select(LoginCode)
        .where(LoginCode.link_hash == keyed_hash(secret, "link", token))
        .with_for_update()
    ).first()
    if row is None or row.ended_at is not None or row.expires_at <= now:
        return None
    # Mail scanners and forwarded links arrive without this browser's cookie: refuse them
    # without spending the link, so the member can still use it.
    if not hmac.compare_digest(row.device_hash, keyed_hash(secret, "device", device)):
        raise OtherDevice()
    _end(row, "link", now)
    session.flush()
    return Verified(row.id, row.channel, _eligible(session, row))


def choosable_members(session: Session, code_id: int, now: datetime | None = None) -> list[Member]:
    """Members a just-verified code may still log in (the household chooser lists these)."""
    now = now or utcnow()
    row = session.get(LoginCode, code_id)
    if (
        row is None
        or row.ended_reason not in {"verified", "link"}
        or row.completed_by is not None
        or row.ended_at is None
        or row.ended_at + CODE_LIFETIME <= now
    ):
        return []
    return _eligible(session, row)


def complete_login(
    session: Session,
    code_id: int,
    member_number: int,
    *,
    method: str,
    remember: bool,
    now: datetime | None = None,
) -> Member:
    """Log `member_number` in with a verified code: once, and only a member the code was for."""
    row = session.get(LoginCode, code_id, with_for_update=True)
    chosen = next(
        (m for m in choosable_members(session, code_id, now) if m.number == member_number), None
    )
    if row is None or chosen is None:
        raise ValidationFailed(_("Innloggingen er utløpt. Be om en ny kode."))
    row.completed_by = chosen.number
    audit.record(
        session, "auth.login", actor_number=chosen.number, target=f"member:{chosen.number}",
        channel=row.channel, method=method, remember=remember,
    )  # fmt: skip
    session.flush()
    return chosen


def log_out_everywhere(session: Session, member: Member) -> None:
    """End every session, "husk meg" cookie, code and link the member holds."""
    end_all_credentials(session, member.number)
    audit.record(
        session, "auth.logout_everywhere", actor_number=member.number,
        target=f"member:{member.number}",
    )  # fmt: skip
    session.flush()


# --- Administrators: suspensions and forced logout -------------------------------------------


def active_suspension(session: Session, member_number: int) -> Suspension | None:
    return session.scalars(
        select(Suspension)
        .where(Suspension.member_number == member_number, Suspension.lifted_at.is_(None))
        .limit(1)
    ).first()


def _member_for_admin(session: Session, member_number: int) -> Member:
    member = session.get(Member, member_number)
    if member is None:
        message = _("Fant ingen medlem med dette medlemsnummeret.")
        raise ValidationFailed(message, fields={"member_number": message})
    return member


def suspend(session: Session, actor: Member | None, member_number: int, reason: str) -> Suspension:
    """Stop a member's portal access (the register is untouched) and end their sessions."""
    access.require(session, actor, "auth.suspend")
    assert actor is not None  # require() has refused anonymous actors
    member = _member_for_admin(session, member_number)
    if member.number == actor.number:
        raise ValidationFailed(_("Du kan ikke sperre deg selv."))
    if active_suspension(session, member.number) is not None:
        raise Conflict(_("Medlemmet er allerede sperret."))
    suspension = Suspension(
        member_number=member.number, suspended_by=actor.number, reason=reason.strip()[:2000]
    )
    session.add(suspension)
    end_all_credentials(session, member.number)
    audit.record(
        session, "auth.suspended", actor_number=actor.number, target=f"member:{member.number}",
        reason=suspension.reason,
    )  # fmt: skip
    session.flush()
    return suspension


def lift_suspension(session: Session, actor: Member | None, suspension_id: int) -> Suspension:
    """Give a suspended member their portal access back (they log in again with a code)."""
    access.require(session, actor, "auth.suspend")
    assert actor is not None
    suspension = session.get(Suspension, suspension_id, with_for_update=True)
    if suspension is None:
        raise NotFound()
    if suspension.lifted_at is not None:
        raise Conflict(_("Sperringen er allerede opphevet."))
    suspension.lifted_at = utcnow()
    suspension.lifted_by = actor.number
    audit.record(
        session, "auth.suspension_lifted", actor_number=actor.number,
        target=f"member:{suspension.member_number}", suspension_id=suspension.id,
    )  # fmt: skip
    session.flush()
    return suspension


def force_logout(session: Session, actor: Member | None, member_number: int) -> Member:
    """An administrator ends every session of a member without suspending them."""
    access.require(session, actor, "auth.suspend")
    assert actor is not None
    member = _member_for_admin(session, member_number)
    end_all_credentials(session, member.number)
    audit.record(
        session, "auth.forced_logout", actor_number=actor.number, target=f"member:{member.number}"
    )
    session.flush()
    return member


def suspensions_overview(session: Session, limit: int = 50) -> list[tuple[Suspension, Member]]:
    """Active suspensions first, then the most recently lifted, with their members."""
    rows = session.execute(
        select(Suspension, Member)
        .join(Member, Member.number == Suspension.member_number)
        .order_by(Suspension.lifted_at.is_not(None), Suspension.created_at.desc())
        .limit(limit)
    )
    return [(suspension, member) for suspension, member in rows]


@job("auth.purge_login_codes")
def purge_login_codes(session: Session) -> int:
    """Delete login codes older than a day: nothing needs them any more."""
    result = session.execute(
        delete(LoginCode).where(LoginCode.created_at < utcnow() - CODE_RETENTION)
    )
    return int(getattr(result, "rowcount", 0) or 0)
