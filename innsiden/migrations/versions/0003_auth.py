"""auth: login codes, suspensions

Revision ID: 0003_auth
Revises: 0002_membersync
Create Date: 2026-11-27
"""

from collections.abc import Sequence

revision: str = "0003_auth"
down_revision: str | None = "0002_membersync"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # filled in by the capability's change


def downgrade() -> None:
    pass
