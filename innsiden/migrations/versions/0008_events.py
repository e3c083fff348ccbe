"""events: events, replies, waiting lists, reminders, calendar tokens

Revision ID: 0008_events
Revises: 0007_files
Create Date: 2026-11-27
"""

from collections.abc import Sequence

revision: str = "0008_events"
down_revision: str | None = "0007_files"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # filled in by the capability's change


def downgrade() -> None:
    pass
