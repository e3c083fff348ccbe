"""The content tables: items (pages and news), their versions, their workflow history and
the editor/reviewer roles group administrators grant by hand ("Deling").

Roles the register gives (leaders, informasjonsansvarlig) are derived at each check and
never stored here; see `innsiden.content.roles`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from membersync.db import Base, utcnow

KINDS = ("page", "news")
STATES = ("utkast", "til_godkjenning", "publisert")
GRANTABLE_ROLES = ("editor", "reviewer")


class ContentItem(Base):
    """A page (in a tree per place) or a news item. `group_id` None: the organisation."""

    __tablename__ = "content_item"
    __table_args__ = (
        CheckConstraint("kind IN ('page', 'news')", name="kind"),
        CheckConstraint("state IN ('utkast', 'til_godkjenning', 'publisert')", name="state"),
        Index("ix_content_item_place", "group_id", "kind", "live", "published_at"),
        Index("ix_content_item_tree", "parent_id", "position"),
        Index("ix_content_item_due", "state", "live"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_group.id", ondelete="CASCADE"), default=None
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("content_item.id", ondelete="SET NULL"), default=None
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    lead: Mapped[str] = mapped_column(Text, default="")
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    lead_image_key: Mapped[str | None] = mapped_column(String(200), default=None)
    state: Mapped[str] = mapped_column(String(16), default="utkast")
    # Published, inside its publish-from/expire-at window as of the last check (the job).
    live: Mapped[bool] = mapped_column(Boolean, default=False)
    # News only: also shown in every lokallag group below the item's place.
    cascade: Mapped[bool] = mapped_column(Boolean, default=False)
    # False: roles held at the places above do not reach this item (Plone's "inherit").
    inherit_roles: Mapped[bool] = mapped_column(Boolean, default=True)
    publish_from: Mapped[datetime | None] = mapped_column(default=None)
    expire_at: Mapped[datetime | None] = mapped_column(default=None)
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int | None] = mapped_column(BigInteger, index=True, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContentVersion(Base):
    """One saved state of an item's text: every save, and every restore, makes one."""

    __tablename__ = "content_version"
    __table_args__ = (UniqueConstraint("item_id", "number", name="item_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("content_item.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    lead: Mapped[str] = mapped_column(Text, default="")
    body_source: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(String(300), default="")
    saved_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContentTransition(Base):
    """One workflow step: who moved the item from which state to which, when, and why."""

    __tablename__ = "content_transition"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("content_item.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor_number: Mapped[int | None] = mapped_column(BigInteger, default=None)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContentRole(Base):
    """An editor or reviewer role given by hand at a place (None: the whole organisation)."""

    __tablename__ = "content_role"
    __table_args__ = (
        CheckConstraint("role IN ('editor', 'reviewer')", name="role"),
        UniqueConstraint("group_id", "member_number", "role", name="place_member_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_group.id", ondelete="CASCADE"), index=True, default=None
    )
    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(10))
    granted_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
