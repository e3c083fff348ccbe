"""members choose whether group announcements (poll openings) come at once, and an hourly cap
on immediate e-mails per member

Revision ID: 0017_quieter_mail
Revises: 0016_unit_reshape
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import membersync.db

revision: str = "0017_quieter_mail"
down_revision: str | None = "0016_unit_reshape"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notification_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "announcements_immediate", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("mail_window_start", membersync.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("mail_window_count", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("notification_settings", schema=None) as batch_op:
        batch_op.drop_column("mail_window_count")
        batch_op.drop_column("mail_window_start")
        batch_op.drop_column("announcements_immediate")
