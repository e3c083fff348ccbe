"""auth tables: one-time login codes (stored only as hashes) and administrators' suspensions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from membersync.db import Base, utcnow


class LoginCode(Base):
    """A six-digit code (and its one-click link) sent to a member's e-mail or mobile.

    Neither the code nor the link token is stored, only keyed hashes of them. The code is bound
    to the browser that asked for it (`device_hash`) and to each member's access epoch at the
    time (`LoginCodeMember.access_epoch`), so an epoch bump kills it.
    """

    __tablename__ = "login_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(8))  # email | sms
    salt: Mapped[str] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(64))
    link_hash: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    device_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Set once the code can no longer be typed or clicked: verified, link, exhausted, replaced.
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_reason: Mapped[str | None] = mapped_column(String(16), default=None)
    # Who logged in with it (for a shared e-mail, the member chosen after verification).
    completed_by: Mapped[int | None] = mapped_column(BigInteger, default=None)

    members: Mapped[list[LoginCodeMember]] = relationship(
        back_populates="code", cascade="all, delete-orphan", lazy="selectin"
    )


class LoginCodeMember(Base):
    """One member a code may log in (several where a household shares an e-mail address)."""

    __tablename__ = "login_code_member"

    code_id: Mapped[int] = mapped_column(
        ForeignKey("login_code.id", ondelete="CASCADE"), primary_key=True
    )
    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), primary_key=True, index=True
    )
    access_epoch: Mapped[int] = mapped_column(Integer)

    code: Mapped[LoginCode] = relationship(back_populates="members")


class Suspension(Base):
    """An administrator's stop on a member's portal access; the register is not touched."""

    __tablename__ = "suspension"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), index=True
    )
    suspended_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(default=None)
    lifted_by: Mapped[int | None] = mapped_column(BigInteger, default=None)


class ApiToken(Base):
    """A member's personal access token for integrations (`Authorization: Bearer` on /api/v1).

    Only the SHA-256 of the token is stored (the token is shown once, when made); `prefix`
    lets the member recognise it. It is bound to the member's access epoch when it was made,
    so it dies with membership, "log out everywhere" and suspension. `scopes` is a space-
    separated list of write scopes ("discussions:write …"); empty means read-only.
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    scopes: Mapped[str] = mapped_column(String(500), default="")
    access_epoch: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_by: Mapped[int | None] = mapped_column(BigInteger, default=None)

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()
