"""auth: login codes, suspensions

Revision ID: 0003_auth
Revises: 0002_membersync
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import membersync.db

revision: str = "0003_auth"
down_revision: str | None = "0002_membersync"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("salt", sa.String(length=32), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("link_hash", sa.String(length=64), nullable=True),
        sa.Column("device_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("ended_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_reason", sa.String(length=16), nullable=True),
        sa.Column("completed_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_code")),
    )
    with op.batch_alter_table("login_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_code_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_login_code_device_hash"), ["device_hash"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_login_code_link_hash"), ["link_hash"], unique=False)

    op.create_table(
        "login_code_member",
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("access_epoch", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["code_id"],
            ["login_code.id"],
            name=op.f("fk_login_code_member_code_id_login_code"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_number"],
            ["member.number"],
            name=op.f("fk_login_code_member_member_number_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code_id", "member_number", name=op.f("pk_login_code_member")),
    )
    with op.batch_alter_table("login_code_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_login_code_member_member_number"), ["member_number"], unique=False
        )

    op.create_table(
        "suspension",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("suspended_by", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("lifted_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("lifted_by", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_number"],
            ["member.number"],
            name=op.f("fk_suspension_member_number_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suspension")),
    )
    with op.batch_alter_table("suspension", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_suspension_member_number"), ["member_number"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("suspension", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suspension_member_number"))
    op.drop_table("suspension")
    with op.batch_alter_table("login_code_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_code_member_member_number"))
    op.drop_table("login_code_member")
    with op.batch_alter_table("login_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_code_link_hash"))
        batch_op.drop_index(batch_op.f("ix_login_code_device_hash"))
        batch_op.drop_index(batch_op.f("ix_login_code_created_at"))
    op.drop_table("login_code")
