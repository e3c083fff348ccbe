"""event cursors remember the ids they passed before those events committed (open gaps)

Revision ID: 0015_event_gaps
Revises: 0014_leader_desk
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_event_gaps"
down_revision: str | None = "0014_leader_desk"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event_cursor", schema=None) as batch_op:
        batch_op.add_column(sa.Column("open_gaps", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("event_cursor", schema=None) as batch_op:
        batch_op.drop_column("open_gaps")
