"""groups follow the register's merges, splits and moves of units: where a group went,
who could read it when it was merged or split, and which content came from where

Revision ID: 0016_unit_reshape
Revises: 0015_event_gaps
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import membersync.db

revision: str = "0016_unit_reshape"
down_revision: str | None = "0015_event_gaps"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("portal_group", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reshaped", sa.String(length=8), nullable=True))
    op.create_table(
        "group_reshape",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("old_group_id", sa.Integer(), nullable=True),
        sa.Column("new_group_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.String(length=64), nullable=True),
        sa.Column("sync_change_id", sa.BigInteger(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('merged', 'split', 'moved')", name=op.f("ck_group_reshape_kind")
        ),
        sa.ForeignKeyConstraint(
            ["new_group_id"], ["portal_group.id"],
            name=op.f("fk_group_reshape_new_group_id_portal_group"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["old_group_id"], ["portal_group.id"],
            name=op.f("fk_group_reshape_old_group_id_portal_group"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_reshape")),
    )  # fmt: skip
    op.create_index(
        "ix_group_reshape_old_kind", "group_reshape", ["old_group_id", "kind"], unique=False
    )
    op.create_index(
        op.f("ix_group_reshape_new_group_id"), "group_reshape", ["new_group_id"], unique=False
    )
    op.create_table(
        "group_former_member",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["portal_group.id"],
            name=op.f("fk_group_former_member_group_id_portal_group"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_number"], ["member.number"],
            name=op.f("fk_group_former_member_member_number_member"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "member_number", name=op.f("pk_group_former_member")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_group_former_member_member_number"),
        "group_former_member",
        ["member_number"],
        unique=False,
    )
    op.create_table(
        "group_moved_content",
        sa.Column("item_kind", sa.String(length=24), nullable=False),
        sa.Column("item_id", sa.BigInteger(), nullable=False),
        sa.Column("from_group_id", sa.Integer(), nullable=False),
        sa.Column("from_name", sa.String(length=200), nullable=False),
        sa.Column("moved_by", sa.BigInteger(), nullable=True),
        sa.Column("moved_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_group_id"], ["portal_group.id"],
            name=op.f("fk_group_moved_content_from_group_id_portal_group"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_kind", "item_id", name=op.f("pk_group_moved_content")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_group_moved_content_from_group_id"),
        "group_moved_content",
        ["from_group_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_group_moved_content_from_group_id"), table_name="group_moved_content")
    op.drop_table("group_moved_content")
    op.drop_index(op.f("ix_group_former_member_member_number"), table_name="group_former_member")
    op.drop_table("group_former_member")
    op.drop_index(op.f("ix_group_reshape_new_group_id"), table_name="group_reshape")
    op.drop_index("ix_group_reshape_old_kind", table_name="group_reshape")
    op.drop_table("group_reshape")
    with op.batch_alter_table("portal_group", schema=None) as batch_op:
        batch_op.drop_column("reshaped")
