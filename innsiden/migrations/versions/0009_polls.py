"""polls: polls, options, electorate, ballots

Revision ID: 0009_polls
Revises: 0008_events
Create Date: 2026-11-27
"""

from collections.abc import Sequence

revision: str = "0009_polls"
down_revision: str | None = "0008_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # filled in by the capability's change


def downgrade() -> None:
    pass
