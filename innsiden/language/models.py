"""A member's chosen language; no row means the organisation's default."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from membersync.db import Base, utcnow


class MemberLanguage(Base):
    """Portal-side: the register knows nothing of it, and a sync never touches it."""

    __tablename__ = "member_language"
    __table_args__ = (CheckConstraint("language IN ('nb', 'nn', 'en', 'da')", name="language"),)

    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(5))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
