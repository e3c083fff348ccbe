"""files: folders, files, versions, trash

Revision ID: 0007_files
Revises: 0006_discussions
Create Date: 2026-11-27
"""

from collections.abc import Sequence

revision: str = "0007_files"
down_revision: str | None = "0006_discussions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # filled in by the capability's change


def downgrade() -> None:
    pass
