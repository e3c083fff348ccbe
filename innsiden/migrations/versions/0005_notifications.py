"""notifications: per-recipient notifications, e-mail choices, used unsubscribe links

Revision ID: 0005_notifications
Revises: 0004_groups
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import membersync.db

revision: str = "0005_notifications"
down_revision: str | None = "0004_groups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "used_unsubscribe_token",
        sa.Column("token_id", sa.String(length=32), nullable=False),
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("used_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_id", name=op.f("pk_used_unsubscribe_token")),
    )
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_number", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=96), nullable=True),
        sa.Column("actor_number", sa.BigInteger(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("email_state", sa.String(length=10), nullable=False),
        sa.Column("claimed_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("emailed_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "email_state IN ('pending', 'sending', 'sent', 'digest', 'skipped', 'withheld')",
            name=op.f("ck_notification_email_state"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["portal_group.id"],
            name=op.f("fk_notification_group_id_portal_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_number"],
            ["member.number"],
            name=op.f("fk_notification_recipient_number_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index("ix_notification_email_state", ["email_state", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notification_group_id"), ["group_id"], unique=False)
        batch_op.create_index(
            "ix_notification_recipient_unread", ["recipient_number", "read_at"], unique=False
        )
    op.create_table(
        "notification_settings",
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("email_mode", sa.String(length=10), nullable=False),
        sa.Column("last_digest_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "email_mode IN ('immediate', 'digest', 'none')",
            name=op.f("ck_notification_settings_email_mode"),
        ),
        sa.ForeignKeyConstraint(
            ["member_number"],
            ["member.number"],
            name=op.f("fk_notification_settings_member_number_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_number", name=op.f("pk_notification_settings")),
    )
    # ### end Alembic commands ###


def downgrade() -> None:
    op.drop_table("notification_settings")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_recipient_unread")
        batch_op.drop_index(batch_op.f("ix_notification_group_id"))
        batch_op.drop_index("ix_notification_email_state")
    op.drop_table("notification")
    op.drop_table("used_unsubscribe_token")
    # ### end Alembic commands ###
