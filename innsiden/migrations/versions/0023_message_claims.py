"""organisers' messages: claimed before sending, marked sent after, so failed sends retry

Revision ID: 0023_message_claims
Revises: 0022_meetings
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import membersync.db

revision: str = "0023_message_claims"
down_revision: str | None = "0022_meetings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("gathering_message_recipient") as batch:
        batch.add_column(
            sa.Column("claimed_at", membersync.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("gathering_message_recipient") as batch:
        batch.drop_column("claimed_at")
