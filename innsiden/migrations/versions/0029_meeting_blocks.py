"""meeting blocks: block votes on the drafting committee's recommendations, pull-outs

Revision ID: 0029_meeting_blocks
Revises: 0028_meeting_room
Create Date: 2026-12-06 03:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import membersync.db

revision: str = "0029_meeting_blocks"
down_revision: str | None = "0028_meeting_room"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meeting_motion_pull_out",
        sa.Column("amendment_id", sa.Integer(), nullable=False),
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("pulled_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["amendment_id"],
            ["meeting_amendment.id"],
            name=op.f("fk_meeting_motion_pull_out_amendment_id_meeting_amendment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["motion_id"],
            ["meeting_motion.id"],
            name=op.f("fk_meeting_motion_pull_out_motion_id_meeting_motion"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "amendment_id", "member_number", name=op.f("pk_meeting_motion_pull_out")
        ),
    )
    with op.batch_alter_table("meeting_motion_pull_out", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_motion_pull_out_motion_id"), ["motion_id"], unique=False
        )
    with op.batch_alter_table("meeting_motion_step", schema=None) as batch_op:
        batch_op.add_column(sa.Column("block", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meeting_motion_step", schema=None) as batch_op:
        batch_op.drop_column("block")
    with op.batch_alter_table("meeting_motion_pull_out", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_motion_pull_out_motion_id"))
    op.drop_table("meeting_motion_pull_out")
