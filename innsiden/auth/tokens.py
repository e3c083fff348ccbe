"""Personal access tokens: a member's credential for integrations on the JSON API.

A token is `inn_` and 43 random URL-safe characters, shown once when made; only its SHA-256
is stored. It is accepted only as `Authorization: Bearer` on /api/v1 (see
`innsiden.auth.session`), never on HTML pages and never as a browser session. It works while
it is neither revoked nor expired, and only while its member holds the access epoch it was
made under and may use the portal: leaving the register, "log out everywhere" and a
suspension all end it. Read methods need no scope; a write needs the write scope of the
capability it goes to (`discussions:write` for /api/v1/discussions, …).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innsiden import access, audit
from innsiden.auth.models import ApiToken
from innsiden.errors import LoginRequired, NotFound, PermissionDenied, ValidationFailed
from membersync.db import utcnow
from membersync.models import Member

TOKEN_PREFIX = "inn_"  # noqa: S105 - the visible start of every token, not a secret
SHOWN_PREFIX_LENGTH = 10  # "inn_" and six characters: enough to recognise, useless to guess
MAX_NAME_LENGTH = 100
MAX_LIVE_TOKENS = 20
EXPIRY_DAYS = (30, 90, 365)
DEFAULT_EXPIRY_DAYS = 90
# last_used_at is written at most this often per token (not one write per API call).
LAST_USED_RESOLUTION = timedelta(minutes=1)

# Methods that only read; every other method is a write and needs a write scope.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# The write scopes a token may carry: one per capability with writes in the API. The auth
# capability has none on purpose: a token cannot log its member out everywhere.
WRITE_SCOPES = {
    "groups:write": _l("Grupper: bli med, gå ut, svare på invitasjoner og forespørsler"),
    "discussions:write": _l("Diskusjoner: skrive, endre, reagere og rapportere"),
    "files:write": _l("Filer: laste opp, endre, slette og ordne mapper"),
    "gatherings:write": _l("Arrangementer: lage, endre, melde seg på og sjekke inn"),
    "polls:write": _l("Avstemninger: lage, endre og stemme"),
    "content:write": _l("Nyheter og sider: skrive, endre og publisere"),
    "notifications:write": _l("Varsler: merke som lest og endre innstillinger"),
    "profile:write": _l("Min profil: endre profilen, be om endringer og eksport"),
    "desk:write": _l("Lederpulten: forhåndsvise og sende meldinger"),
}


class TokenRefused(LoginRequired):
    """A bearer token that is unknown, expired, revoked or no longer its member's."""

    code = "invalid_token"

    def default_message(self) -> str:
        return _("Nøkkelen er ugyldig, utløpt eller trukket tilbake.")


class ScopeMissing(PermissionDenied):
    """A token without the write scope the request needs (read-only tokens never write)."""

    code = "insufficient_scope"

    def default_message(self) -> str:
        return _("Nøkkelen har ikke lov til å gjøre endringer her.")


@dataclass(frozen=True)
class TokenRow:
    """A token as its lists show it, with its state now ("active", "expired", "revoked",
    "ended": the member logged out everywhere or lost access since it was made)."""

    token: ApiToken
    state: str
    member: Member | None = None


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def write_scope(blueprint: str | None) -> str | None:
    """The scope a write to an API blueprint needs ("discussions_api" → "discussions:write")."""
    if not blueprint or not blueprint.endswith("_api"):
        return None
    return f"{blueprint.removesuffix('_api')}:write"


def may(token: ApiToken, method: str, blueprint: str | None) -> bool:
    """True if `token` may make a `method` request to a route of `blueprint`."""
    if method.upper() in READ_METHODS:
        return True
    scope = write_scope(blueprint)
    return scope is not None and scope in token.scope_list


def create(
    session: Session,
    member: Member,
    *,
    name: str,
    scopes: list[str],
    days: int,
    now: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Make a token for `member`; returns the row and the token itself (shown once, now)."""
    now = now or utcnow()
    name = name.strip()
    fields: dict[str, str] = {}
    if not name or len(name) > MAX_NAME_LENGTH:
        fields["name"] = _("Gi nøkkelen et navn på høyst %(count)d tegn.", count=MAX_NAME_LENGTH)
    unknown = [s for s in scopes if s not in WRITE_SCOPES]
    if unknown:
        fields["scopes"] = _("Ukjent tilgang: %(scopes)s.", scopes=", ".join(unknown))
    if days not in EXPIRY_DAYS:
        fields["days"] = _("Velg hvor lenge nøkkelen skal virke.")
    if fields:
        raise ValidationFailed(fields=fields)
    live = session.scalar(
        select(func.count())
        .select_from(ApiToken)
        .where(
            ApiToken.member_number == member.number,
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > now,
        )
    )
    if (live or 0) >= MAX_LIVE_TOKENS:
        raise ValidationFailed(
            _("Du har %(count)d nøkler i bruk. Trekk tilbake en før du lager en ny.", count=live)
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        member_number=member.number,
        name=name,
        token_hash=hash_token(secret),
        prefix=secret[:SHOWN_PREFIX_LENGTH],
        scopes=" ".join(s for s in WRITE_SCOPES if s in scopes),
        access_epoch=member.access_epoch,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(token)
    session.flush()
    audit.record(
        session, "auth.token_created", actor_number=member.number,
        target=f"member:{member.number}", token_id=token.id, scopes=token.scopes, days=days,
    )  # fmt: skip
    return token, secret


def _state(token: ApiToken, member: Member | None, now: datetime) -> str:
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at <= now:
        return "expired"
    if member is not None and member.access_epoch != token.access_epoch:
        return "ended"
    return "active"


def tokens_of(session: Session, member: Member, now: datetime | None = None) -> list[TokenRow]:
    """The member's own tokens, newest first, with their state."""
    now = now or utcnow()
    rows = session.scalars(
        select(ApiToken).where(ApiToken.member_number == member.number).order_by(ApiToken.id.desc())
    )
    return [TokenRow(t, _state(t, member, now)) for t in rows]


def all_tokens(
    session: Session, actor: Member | None, limit: int = 200, now: datetime | None = None
) -> list[TokenRow]:
    """Every member's tokens for portal administrators: live ones first, newest first."""
    access.require(session, actor, "auth.tokens_admin")
    now = now or utcnow()
    rows = session.execute(
        select(ApiToken, Member)
        .join(Member, Member.number == ApiToken.member_number)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())
        .limit(limit)
    )
    return [TokenRow(t, _state(t, m, now), m) for t, m in rows]


def revoke(session: Session, actor: Member | None, token_id: int) -> ApiToken:
    """Revoke a token: its own member may, and so may a portal administrator."""
    if actor is None:
        raise NotFound()
    token = session.get(ApiToken, token_id, with_for_update=True)
    if token is None:
        raise NotFound()
    if token.member_number != actor.number and not access.can(session, actor, "auth.tokens_admin"):
        raise NotFound()  # someone else's token looks exactly like no token
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        token.revoked_by = actor.number
        audit.record(
            session, "auth.token_revoked", actor_number=actor.number,
            target=f"member:{token.member_number}", token_id=token.id,
        )  # fmt: skip
        session.flush()
    return token


def authenticate(
    session: Session, secret: str, now: datetime | None = None
) -> tuple[ApiToken, Member] | None:
    """The live token and its member behind `secret`, or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = now or utcnow()
    token = session.scalars(
        select(ApiToken).where(ApiToken.token_hash == hash_token(secret))
    ).first()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return None
    member = session.get(Member, token.member_number)
    if member is None or member.access_epoch != token.access_epoch:
        return None
    if not access.may_use_portal(session, member):
        return None
    return token, member


def mark_used(token: ApiToken, now: datetime | None = None) -> bool:
    """Note that `token` was used now; True if that changed the row (the caller commits)."""
    now = now or utcnow()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return False
    token.last_used_at = now
    return True
