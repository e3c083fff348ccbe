"""personal access tokens for the JSON API (stored hashed, bound to the access epoch)

Revision ID: 0021_api_tokens
Revises: 0020_job_runs
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import membersync.db

revision: str = "0021_api_tokens"
down_revision: str | None = "0020_job_runs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("scopes", sa.String(length=500), nullable=False),
        sa.Column("access_epoch", sa.Integer(), nullable=False),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_number"],
            ["member.number"],
            name=op.f("fk_api_token_member_number_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_token_member_number"), ["member_number"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_member_number"))
    op.drop_table("api_token")
