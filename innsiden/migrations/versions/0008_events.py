"""events: events, replies, waiting lists, reminders, calendar tokens

Revision ID: 0008_events
Revises: 0007_files
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import membersync.db

revision: str = "0008_events"
down_revision: str | None = "0007_files"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gathering",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("description_html", sa.Text(), nullable=False),
        sa.Column("starts_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("online_url", sa.String(length=500), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("signup_deadline", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("audience_unit_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("cancel_reason", sa.Text(), nullable=False),
        sa.Column("cancelled_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "audience IN ('group', 'organisation', 'fylkeslag')", name=op.f("ck_gathering_audience")
        ),
        sa.CheckConstraint(
            "status IN ('scheduled', 'cancelled')", name=op.f("ck_gathering_status")
        ),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name=op.f("ck_gathering_capacity")),
        sa.CheckConstraint("ends_at >= starts_at", name=op.f("ck_gathering_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["audience_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_gathering_audience_unit_id_org_unit"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["portal_group.id"],
            name=op.f("fk_gathering_group_id_portal_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gathering")),
    )
    with op.batch_alter_table("gathering", schema=None) as batch_op:
        batch_op.create_index(
            "ix_gathering_audience_starts", ["audience", "starts_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_gathering_audience_unit_id"), ["audience_unit_id"], unique=False
        )
        batch_op.create_index("ix_gathering_group_starts", ["group_id", "starts_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_gathering_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "gathering_feed_token",
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("access_epoch", sa.Integer(), nullable=False),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_number"],
            ["member.number"],
            name=op.f("fk_gathering_feed_token_member_number_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_number", name=op.f("pk_gathering_feed_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_gathering_feed_token_token_hash")),
    )
    op.create_table(
        "gathering_preference",
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("reminder_channel", sa.String(length=5), nullable=True),
        sa.Column("reminder_minutes", sa.Integer(), nullable=True),
        sa.Column("updated_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "reminder_channel IS NULL OR reminder_channel IN ('email', 'sms')",
            name=op.f("ck_gathering_preference_reminder_channel"),
        ),
        sa.ForeignKeyConstraint(
            ["member_number"],
            ["member.number"],
            name=op.f("fk_gathering_preference_member_number_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_number", name=op.f("pk_gathering_preference")),
    )
    op.create_table(
        "gathering_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gathering_id", sa.Integer(), nullable=False),
        sa.Column("sender_number", sa.BigInteger(), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["gathering_id"],
            ["gathering.id"],
            name=op.f("fk_gathering_message_gathering_id_gathering"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gathering_message")),
    )
    with op.batch_alter_table("gathering_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gathering_message_gathering_id"), ["gathering_id"], unique=False
        )

    op.create_table(
        "gathering_organiser",
        sa.Column("gathering_id", sa.Integer(), nullable=False),
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["gathering_id"],
            ["gathering.id"],
            name=op.f("fk_gathering_organiser_gathering_id_gathering"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_number"],
            ["member.number"],
            name=op.f("fk_gathering_organiser_member_number_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "gathering_id", "member_number", name=op.f("pk_gathering_organiser")
        ),
    )
    with op.batch_alter_table("gathering_organiser", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gathering_organiser_member_number"), ["member_number"], unique=False
        )

    op.create_table(
        "gathering_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gathering_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.CheckConstraint("kind IN ('text', 'choice')", name=op.f("ck_gathering_question_kind")),
        sa.ForeignKeyConstraint(
            ["gathering_id"],
            ["gathering.id"],
            name=op.f("fk_gathering_question_gathering_id_gathering"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gathering_question")),
    )
    with op.batch_alter_table("gathering_question", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gathering_question_gathering_id"), ["gathering_id"], unique=False
        )

    op.create_table(
        "gathering_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gathering_id", sa.Integer(), nullable=False),
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("queue_number", sa.Integer(), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("signed_up_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("checked_in_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("checked_in_by", sa.BigInteger(), nullable=True),
        sa.Column("reminder_follows_default", sa.Boolean(), nullable=False),
        sa.Column("reminder_channel", sa.String(length=5), nullable=True),
        sa.Column("reminder_minutes", sa.Integer(), nullable=True),
        sa.Column("reminder_due_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reminder_sent_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "reminder_channel IS NULL OR reminder_channel IN ('email', 'sms')",
            name=op.f("ck_gathering_reply_reminder_channel"),
        ),
        sa.CheckConstraint(
            "status IN ('confirmed', 'waiting', 'maybe', 'declined')",
            name=op.f("ck_gathering_reply_status"),
        ),
        sa.ForeignKeyConstraint(
            ["gathering_id"],
            ["gathering.id"],
            name=op.f("fk_gathering_reply_gathering_id_gathering"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_number"],
            ["member.number"],
            name=op.f("fk_gathering_reply_member_number_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gathering_reply")),
        sa.UniqueConstraint(
            "gathering_id",
            "member_number",
            name=op.f("uq_gathering_reply_gathering_id_member_number"),
        ),
        sa.UniqueConstraint("gathering_id", "queue_number", name="uq_gathering_reply_queue"),
    )
    with op.batch_alter_table("gathering_reply", schema=None) as batch_op:
        batch_op.create_index(
            "ix_gathering_reply_gathering_status", ["gathering_id", "status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_gathering_reply_member_number"), ["member_number"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_gathering_reply_reminder_due_at"), ["reminder_due_at"], unique=False
        )

    op.create_table(
        "gathering_message_recipient",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("sent_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_number"],
            ["member.number"],
            name=op.f("fk_gathering_message_recipient_member_number_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["gathering_message.id"],
            name=op.f("fk_gathering_message_recipient_message_id_gathering_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "message_id", "member_number", name=op.f("pk_gathering_message_recipient")
        ),
    )
    with op.batch_alter_table("gathering_message_recipient", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gathering_message_recipient_member_number"),
            ["member_number"],
            unique=False,
        )
        batch_op.create_index(
            "ix_gathering_message_recipient_sent", ["sent_at", "message_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("gathering_message_recipient", schema=None) as batch_op:
        batch_op.drop_index("ix_gathering_message_recipient_sent")
        batch_op.drop_index(batch_op.f("ix_gathering_message_recipient_member_number"))

    op.drop_table("gathering_message_recipient")
    with op.batch_alter_table("gathering_reply", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gathering_reply_reminder_due_at"))
        batch_op.drop_index(batch_op.f("ix_gathering_reply_member_number"))
        batch_op.drop_index("ix_gathering_reply_gathering_status")

    op.drop_table("gathering_reply")
    with op.batch_alter_table("gathering_question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gathering_question_gathering_id"))

    op.drop_table("gathering_question")
    with op.batch_alter_table("gathering_organiser", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gathering_organiser_member_number"))

    op.drop_table("gathering_organiser")
    with op.batch_alter_table("gathering_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gathering_message_gathering_id"))

    op.drop_table("gathering_message")
    op.drop_table("gathering_preference")
    op.drop_table("gathering_feed_token")
    with op.batch_alter_table("gathering", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gathering_starts_at"))
        batch_op.drop_index("ix_gathering_group_starts")
        batch_op.drop_index(batch_op.f("ix_gathering_audience_unit_id"))
        batch_op.drop_index("ix_gathering_audience_starts")

    op.drop_table("gathering")
