"""meetings: proxies (fullmakt), each right's caster, written ballots, electorate at close

Revision ID: 0027_meeting_proxies
Revises: 0026_api_extras
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import membersync.db

revision: str = "0027_meeting_proxies"
down_revision: str | None = "0026_api_extras"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meeting_vote") as batch:
        batch.add_column(sa.Column("electorate_at_close", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("secret", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("secret_requested_by", sa.BigInteger(), nullable=True))
        batch.add_column(
            sa.Column(
                "secret_requested_at", membersync.db.UTCDateTime(timezone=True), nullable=True
            )
        )
    with op.batch_alter_table("meeting_vote_elector") as batch:
        batch.add_column(sa.Column("cast_by", sa.BigInteger(), nullable=True))
        batch.add_column(
            sa.Column("voted", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.create_index("ix_vote_elector_cast_by", ["vote_id", "cast_by"], unique=False)
    op.execute("UPDATE meeting_vote_elector SET voted = (choice IS NOT NULL)")

    op.create_table(
        "meeting_ballot",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("receipt_hash", sa.String(length=64), nullable=False),
        sa.Column("choice", sa.String(length=5), nullable=False),
        sa.ForeignKeyConstraint(
            ["vote_id"],
            ["meeting_vote.id"],
            name=op.f("fk_meeting_ballot_vote_id_meeting_vote"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_ballot")),
        sa.UniqueConstraint("vote_id", "receipt_hash", name="uq_meeting_ballot_receipt"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "meeting_proxy",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("giver_number", sa.BigInteger(), nullable=False),
        sa.Column("holder_number", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=9), nullable=False),
        sa.Column("issued_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('offered', 'accepted', 'declined', 'revoked', 'voided')",
            name=op.f("ck_meeting_proxy_state"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_proxy_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "giver_number", name=op.f("pk_meeting_proxy")),
    )
    with op.batch_alter_table("meeting_proxy") as batch:
        batch.create_index(
            "ix_meeting_proxy_holder", ["meeting_id", "holder_number", "state"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting_proxy") as batch:
        batch.drop_index("ix_meeting_proxy_holder")
    op.drop_table("meeting_proxy")
    op.drop_table("meeting_ballot")
    with op.batch_alter_table("meeting_vote_elector") as batch:
        batch.drop_index("ix_vote_elector_cast_by")
        batch.drop_column("voted")
        batch.drop_column("cast_by")
    with op.batch_alter_table("meeting_vote") as batch:
        batch.drop_column("secret_requested_at")
        batch.drop_column("secret_requested_by")
        batch.drop_column("secret")
        batch.drop_column("electorate_at_close")
