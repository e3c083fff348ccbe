"""meeting notice with proof, papers, officers, minutes with signed versions

Revision ID: 0024_meeting_minutes
Revises: 0023_message_claims
Create Date: 2026-12-06 02:02:26.250701
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import membersync.db

revision: str = "0024_meeting_minutes"
down_revision: str | None = "0023_message_claims"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meeting_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("audience", sa.String(length=8), nullable=True),
        sa.Column("sent_by", sa.BigInteger(), nullable=True),
        sa.Column("queued_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_notice_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_notice")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_meeting_notice_meeting_id")),
    )
    with op.batch_alter_table("meeting_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_notice_state"), ["state"], unique=False)

    op.create_table(
        "meeting_officer",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("recorded_by", sa.BigInteger(), nullable=True),
        sa.Column("recorded_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_officer_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "meeting_id", "role", "member_number", name=op.f("pk_meeting_officer")
        ),
    )
    op.create_table(
        "meeting_minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sign_by", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["group_file.id"],
            name=op.f("fk_meeting_minutes_file_id_group_file"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_minutes_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_minutes")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_meeting_minutes_meeting_id")),
    )
    with op.batch_alter_table("meeting_minutes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_minutes_file_id"), ["file_id"], unique=False)

    op.create_table(
        "meeting_notice_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("channels", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("claim", sa.String(length=32), nullable=True),
        sa.Column("claimed_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["meeting_notice.id"],
            name=op.f("fk_meeting_notice_recipient_notice_id_meeting_notice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_notice_recipient")),
        sa.UniqueConstraint(
            "notice_id",
            "member_number",
            name=op.f("uq_meeting_notice_recipient_notice_id_member_number"),
        ),
    )
    with op.batch_alter_table("meeting_notice_recipient", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_notice_recipient_claim"), ["claim"], unique=False
        )
        batch_op.create_index("ix_notice_recipient_state", ["notice_id", "state"], unique=False)

    op.create_table(
        "meeting_paper",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("added_by", sa.BigInteger(), nullable=True),
        sa.Column("added_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["meeting_agenda_item.id"],
            name=op.f("fk_meeting_paper_agenda_item_id_meeting_agenda_item"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["group_file.id"],
            name=op.f("fk_meeting_paper_file_id_group_file"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_paper_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_paper")),
        sa.UniqueConstraint(
            "meeting_id", "file_id", name=op.f("uq_meeting_paper_meeting_id_file_id")
        ),
    )
    with op.batch_alter_table("meeting_paper", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_paper_agenda_item_id"), ["agenda_item_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_meeting_paper_file_id"), ["file_id"], unique=False)

    op.create_table(
        "meeting_minutes_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("written_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["meeting_minutes.id"],
            name=op.f("fk_meeting_minutes_version_minutes_id_meeting_minutes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_minutes_version")),
        sa.UniqueConstraint(
            "minutes_id", "number", name=op.f("uq_meeting_minutes_version_minutes_id_number")
        ),
    )
    op.create_table(
        "meeting_minutes_signature",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("signed_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["meeting_minutes_version.id"],
            name=op.f("fk_meeting_minutes_signature_version_id_meeting_minutes_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "version_id", "member_number", name=op.f("pk_meeting_minutes_signature")
        ),
    )


def downgrade() -> None:
    op.drop_table("meeting_minutes_signature")
    op.drop_table("meeting_minutes_version")
    with op.batch_alter_table("meeting_paper", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_paper_file_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_paper_agenda_item_id"))

    op.drop_table("meeting_paper")
    with op.batch_alter_table("meeting_notice_recipient", schema=None) as batch_op:
        batch_op.drop_index("ix_notice_recipient_state")
        batch_op.drop_index(batch_op.f("ix_meeting_notice_recipient_claim"))

    op.drop_table("meeting_notice_recipient")
    with op.batch_alter_table("meeting_minutes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_minutes_file_id"))

    op.drop_table("meeting_minutes")
    op.drop_table("meeting_officer")
    with op.batch_alter_table("meeting_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_notice_state"))

    op.drop_table("meeting_notice")
