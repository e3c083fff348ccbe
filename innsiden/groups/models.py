"""The groups' tables: only what the portal owns, never who is in a lokallag or leads it.

Location groups (one per lokallag and fylkeslag) get a `Group` row that is just an anchor
(a stable integer id for content to point at, plus portal-side settings such as the
description); their name, archived state, members and register-given administrators are
read from the register mirror at each check (see `innsiden.groups.membership`).
Interest groups are wholly the portal's, so their members are stored here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from membersync.db import Base, utcnow
from membersync.models import OrgUnit

KINDS = ("lokallag", "fylkeslag", "interest")
LOCATION_KINDS = ("lokallag", "fylkeslag")
VISIBILITIES = ("open", "closed", "hidden")
# An interest group is proposed by a member, then approved (active) or declined by a
# portal administrator; an administrator may later archive it (read-only, content kept).
STATUSES = ("proposed", "active", "declined", "archived")
ROLES = ("administrator", "moderator", "member")
NOTIFICATION_LEVELS = ("all", "mine", "none")


class Group(Base):
    """A group: the anchor of a lokallag/fylkeslag group, or an interest group."""

    __tablename__ = "portal_group"
    __table_args__ = (
        CheckConstraint("kind IN ('lokallag', 'fylkeslag', 'interest')", name="kind"),
        CheckConstraint(
            "visibility IS NULL OR visibility IN ('open', 'closed', 'hidden')", name="visibility"
        ),
        CheckConstraint("status IN ('proposed', 'active', 'declined', 'archived')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    # The register unit of a location group (unique: one group per unit); None for interest.
    unit_id: Mapped[str | None] = mapped_column(
        ForeignKey("org_unit.id"), unique=True, default=None
    )
    # Interest groups only: a location group's name is always its unit's current name.
    own_name: Mapped[str | None] = mapped_column(String(120), default=None)
    description: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str | None] = mapped_column(String(8), default=None)
    # Interest groups only: the fylkeslag or lokallag whose members may see and join it;
    # None means the whole organisation.
    scope_unit_id: Mapped[str | None] = mapped_column(
        ForeignKey("org_unit.id"), index=True, default=None
    )
    status: Mapped[str] = mapped_column(String(10), default="active")
    created_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    # Location groups only: "merged" or "split" once the register merged or split the unit.
    # Its archive is then readable by exactly its members at that moment (GroupFormerMember).
    reshaped: Mapped[str | None] = mapped_column(String(8), default=None)

    unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[unit_id], lazy="joined")
    scope_unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[scope_unit_id], lazy="joined")

    @property
    def is_location(self) -> bool:
        return self.kind in LOCATION_KINDS

    @property
    def name(self) -> str:
        """The unit's current name for a location group (a rename in the register follows)."""
        if self.unit is not None:
            return self.unit.name
        return self.own_name or ""

    @property
    def archived(self) -> bool:
        """Read-only: the register removed the unit, or an administrator archived the group."""
        if self.unit is not None:
            return self.unit.removed_at is not None
        return self.status == "archived"


class GroupMembership(Base):
    """A member of an interest group (location group members are derived, never stored)."""

    __tablename__ = "group_membership"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("portal_group.id", ondelete="CASCADE"), primary_key=True
    )
    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GroupAppointment(Base):
    """A role given by hand: a moderator in any group, an administrator of an interest group.

    It counts only while the member is in the group; register-given administrators are
    derived from positions and never stored here.
    """

    __tablename__ = "group_appointment"
    __table_args__ = (CheckConstraint("role IN ('administrator', 'moderator')", name="role"),)

    group_id: Mapped[int] = mapped_column(
        ForeignKey("portal_group.id", ondelete="CASCADE"), primary_key=True
    )
    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    appointed_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class JoinRequest(Base):
    """A member asking to join a closed interest group, and the administrators' answer."""

    __tablename__ = "group_join_request"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'declined')", name="status"),
        Index("ix_group_join_request_group_status", "group_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("portal_group.id", ondelete="CASCADE"))
    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), index=True
    )
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)


class Invitation(Base):
    """An invitation to an interest group (the only way into a hidden one)."""

    __tablename__ = "group_invitation"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'accepted', 'declined')", name="status"),
        Index("ix_group_invitation_group_status", "group_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("portal_group.id", ondelete="CASCADE"))
    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), index=True
    )
    invited_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(default=None)


class GroupSubscription(Base):
    """How much a member wants to hear from one group: all, only threads they are in, none.

    No row means "all". Location groups cannot be left, so muting is done here.
    """

    __tablename__ = "group_subscription"
    __table_args__ = (CheckConstraint("level IN ('all', 'mine', 'none')", name="level"),)

    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("portal_group.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    level: Mapped[str] = mapped_column(String(8), default="all")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MemberProfile(Base):
    """What a member shows other members: a few words, and whether e-mail and mobile show.

    Nothing shows unless the member says so (privacy by default).
    """

    __tablename__ = "member_profile"

    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), primary_key=True
    )
    show_email: Mapped[bool] = mapped_column(Boolean, default=False)
    show_mobile: Mapped[bool] = mapped_column(Boolean, default=False)
    about: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


RESHAPE_KINDS = ("merged", "split", "moved")


class GroupReshape(Base):
    """A change of the organisation's shape as it reached the groups, one row each:

    - merged: `old_group_id` was merged into `new_group_id` (old links redirect there);
    - split: `new_group_id` was split from `old_group_id` (its page links the archive);
    - moved: the lokallag of `unit_id` moved from fylkeslag group `old_group_id` to
      `new_group_id` (listed for the leaders of both).
    """

    __tablename__ = "group_reshape"
    __table_args__ = (
        CheckConstraint("kind IN ('merged', 'split', 'moved')", name="kind"),
        Index("ix_group_reshape_old_kind", "old_group_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    old_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_group.id", ondelete="CASCADE"), default=None
    )
    new_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_group.id", ondelete="CASCADE"), index=True, default=None
    )
    unit_id: Mapped[str | None] = mapped_column(String(64), default=None)
    # The register's own record of the change (membersync's sync_change row).
    sync_change_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GroupFormerMember(Base):
    """Who was in a location group when the register merged or split its unit: frozen then,
    never changed after, so the archive stays readable for them and for no one else."""

    __tablename__ = "group_former_member"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("portal_group.id", ondelete="CASCADE"), primary_key=True
    )
    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), primary_key=True, index=True
    )


class MovedContent(Base):
    """Content carried from one group to another ("fra Nord-Fron lokallag"): the item
    (a kind each capability names, e.g. "thread", "file", "gathering", "poll") and where it
    came from, with that group's name as it was."""

    __tablename__ = "group_moved_content"

    item_kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    item_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    from_group_id: Mapped[int] = mapped_column(
        ForeignKey("portal_group.id", ondelete="CASCADE"), index=True
    )
    from_name: Mapped[str] = mapped_column(String(200))
    moved_by: Mapped[int | None] = mapped_column(BigInteger, default=None)  # None: the register
    moved_at: Mapped[datetime] = mapped_column(default=utcnow)
