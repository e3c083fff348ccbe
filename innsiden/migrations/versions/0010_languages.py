"""languages: each member's chosen language (no row: the organisation's default)

Revision ID: 0010_languages
Revises: 0009_polls
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import membersync.db

revision: str = "0010_languages"
down_revision: str | None = "0009_polls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "member_language",
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("updated_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "language IN ('nb', 'nn', 'en', 'da')", name=op.f("ck_member_language_language")
        ),
        sa.ForeignKeyConstraint(
            ["member_number"],
            ["member.number"],
            name=op.f("fk_member_language_member_number_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_number", name=op.f("pk_member_language")),
    )


def downgrade() -> None:
    op.drop_table("member_language")
