"""outgoing webhooks: registered endpoints and their deliveries

Revision ID: 0026_api_extras
Revises: 0025_meeting_motions
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import membersync.db

revision: str = "0026_api_extras"
down_revision: str | None = "0025_meeting_motions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outgoing_webhook",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("secret", sa.String(length=128), nullable=False),
        sa.Column("events", sa.String(length=200), nullable=False),
        sa.Column("after_event_id", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outgoing_webhook")),
    )
    op.create_table(
        "outgoing_webhook_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["outgoing_webhook.id"],
            name=op.f("fk_outgoing_webhook_delivery_webhook_id_outgoing_webhook"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outgoing_webhook_delivery")),
        sa.UniqueConstraint("webhook_id", "event_id", name="webhook_event"),
    )
    with op.batch_alter_table("outgoing_webhook_delivery", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outgoing_webhook_delivery_due", ["state", "next_attempt_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("outgoing_webhook_delivery", schema=None) as batch_op:
        batch_op.drop_index("ix_outgoing_webhook_delivery_due")
    op.drop_table("outgoing_webhook_delivery")
    op.drop_table("outgoing_webhook")
