"""discussions: threads, posts, reactions, edits, reports, read marks

Revision ID: 0006_discussions
Revises: 0005_notifications
Create Date: 2026-11-27
"""

from collections.abc import Sequence

revision: str = "0006_discussions"
down_revision: str | None = "0005_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # filled in by the capability's change


def downgrade() -> None:
    pass
