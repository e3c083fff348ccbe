"""groups: location and interest groups

Revision ID: 0004_groups
Revises: 0003_auth
Create Date: 2026-11-27
"""

from collections.abc import Sequence

revision: str = "0004_groups"
down_revision: str | None = "0003_auth"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # filled in by the capability's change


def downgrade() -> None:
    pass
