"""meetings (årsmøte): statute profiles, meetings, agenda, roll, complaints, attendance, votes

Revision ID: 0022_meetings
Revises: 0020_job_runs
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import membersync.db

revision: str = "0022_meetings"
down_revision: str | None = "0021_api_tokens"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meeting_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_profile")),
        sa.UniqueConstraint("key", "version", name="uq_meeting_profile_version"),
    )
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("online_url", sa.String(length=500), nullable=False),
        sa.Column("cutoff_on", sa.Date(), nullable=False),
        sa.Column("complaints_until", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("roll_state", sa.String(length=8), nullable=False),
        sa.Column("roll_computed_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("roll_frozen_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("room_code", sa.String(length=12), nullable=True),
        sa.Column("called_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("place <> '' OR online_url <> ''", name=op.f("ck_meeting_where")),
        sa.CheckConstraint(
            "roll_state IN ('none', 'open', 'frozen')", name=op.f("ck_meeting_roll_state")
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["portal_group.id"],
            name=op.f("fk_meeting_group_id_portal_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["meeting_profile.id"],
            name=op.f("fk_meeting_profile_id_meeting_profile"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_profile_id"), ["profile_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "meeting_agenda_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_agenda_item_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_agenda_item")),
        sa.UniqueConstraint("meeting_id", "position", name="uq_agenda_position"),
    )
    op.create_table(
        "meeting_attendance",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("first_in_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changed_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("check_ins", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_attendance_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "member_number", name=op.f("pk_meeting_attendance")),
    )
    with op.batch_alter_table("meeting_attendance", schema=None) as batch_op:
        batch_op.create_index("ix_attendance_present", ["meeting_id", "present"], unique=False)

    op.create_table(
        "meeting_roll_complaint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("filed_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'upheld', 'rejected')",
            name=op.f("ck_meeting_roll_complaint_status"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_roll_complaint_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_roll_complaint")),
    )
    with op.batch_alter_table("meeting_roll_complaint", schema=None) as batch_op:
        batch_op.create_index("ix_complaint_meeting_status", ["meeting_id", "status"], unique=False)

    op.create_table(
        "meeting_roll_entry",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_roll_entry_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "member_number", name=op.f("pk_meeting_roll_entry")),
    )
    op.create_table(
        "meeting_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=300), nullable=False),
        sa.Column("majority", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("opened_by", sa.BigInteger(), nullable=True),
        sa.Column("opened_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("electorate_size", sa.Integer(), nullable=False),
        sa.Column("tie_seed", sa.String(length=64), nullable=True),
        sa.Column("closed_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("present_at_close", sa.Integer(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.CheckConstraint("state IN ('open', 'closed')", name=op.f("ck_meeting_vote_state")),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_vote_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_vote")),
    )
    with op.batch_alter_table("meeting_vote", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_vote_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "meeting_vote_elector",
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("choice", sa.String(length=5), nullable=True),
        sa.ForeignKeyConstraint(
            ["vote_id"],
            ["meeting_vote.id"],
            name=op.f("fk_meeting_vote_elector_vote_id_meeting_vote"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("vote_id", "member_number", name=op.f("pk_meeting_vote_elector")),
    )


def downgrade() -> None:
    op.drop_table("meeting_vote_elector")
    with op.batch_alter_table("meeting_vote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_vote_meeting_id"))

    op.drop_table("meeting_vote")
    op.drop_table("meeting_roll_entry")
    with op.batch_alter_table("meeting_roll_complaint", schema=None) as batch_op:
        batch_op.drop_index("ix_complaint_meeting_status")

    op.drop_table("meeting_roll_complaint")
    with op.batch_alter_table("meeting_attendance", schema=None) as batch_op:
        batch_op.drop_index("ix_attendance_present")

    op.drop_table("meeting_attendance")
    op.drop_table("meeting_agenda_item")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_starts_at"))
        batch_op.drop_index(batch_op.f("ix_meeting_profile_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_group_id"))

    op.drop_table("meeting")
    op.drop_table("meeting_profile")
