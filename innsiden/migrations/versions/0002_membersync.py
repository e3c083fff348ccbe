"""membersync: webhook replay protection and sync additions

Revision ID: 0002_membersync
Revises: 0001_foundation
Create Date: 2026-11-27
"""

from collections.abc import Sequence

revision: str = "0002_membersync"
down_revision: str | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # filled in by the capability's change


def downgrade() -> None:
    pass
