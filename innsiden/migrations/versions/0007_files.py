"""files: folders, files, versions, trash

Revision ID: 0007_files
Revises: 0006_discussions
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import membersync.db

revision: str = "0007_files"
down_revision: str | None = "0006_discussions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "file_folder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_key", sa.String(length=120), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["portal_group.id"],
            name=op.f("fk_file_folder_group_id_portal_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["file_folder.id"],
            name=op.f("fk_file_folder_parent_id_file_folder"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_folder")),
    )
    with op.batch_alter_table("file_folder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_file_folder_group_id"), ["group_id"], unique=False)
        batch_op.create_index("uq_file_folder_parent_name", ["parent_id", "name_key"], unique=True)
        batch_op.create_index(
            "uq_file_folder_top_name",
            ["group_id", "name_key"],
            unique=True,
            sqlite_where=sa.text("parent_id IS NULL"),
            postgresql_where=sa.text("parent_id IS NULL"),
        )

    op.create_table(
        "group_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("folder_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("uploaded_by", sa.BigInteger(), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.Column("version_count", sa.Integer(), nullable=False),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.BigInteger(), nullable=True),
        sa.Column("purge_started_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["folder_id"],
            ["file_folder.id"],
            name=op.f("fk_group_file_folder_id_file_folder"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["portal_group.id"],
            name=op.f("fk_group_file_group_id_portal_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_file")),
    )
    with op.batch_alter_table("group_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_file_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_file_folder_id"), ["folder_id"], unique=False)
        batch_op.create_index(
            "ix_group_file_group_created", ["group_id", "created_at"], unique=False
        )
        batch_op.create_index("ix_group_file_group_folder", ["group_id", "folder_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_group_file_purge_started_at"), ["purge_started_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_group_file_source"), ["source"], unique=False)

    op.create_table(
        "file_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("storage_key", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("mime_type", sa.String(length=100), nullable=False),
        sa.Column("uploaded_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("rendition_type", sa.String(length=20), nullable=True),
        sa.Column("thumb_key", sa.String(length=64), nullable=True),
        sa.Column("thumb_width", sa.Integer(), nullable=True),
        sa.Column("thumb_height", sa.Integer(), nullable=True),
        sa.Column("preview_key", sa.String(length=64), nullable=True),
        sa.Column("preview_width", sa.Integer(), nullable=True),
        sa.Column("preview_height", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["group_file.id"],
            name=op.f("fk_file_version_file_id_group_file"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_version")),
        sa.UniqueConstraint("file_id", "number", name=op.f("uq_file_version_file_id_number")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_file_version_storage_key")),
    )


def downgrade() -> None:
    op.drop_table("file_version")
    with op.batch_alter_table("group_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_file_source"))
        batch_op.drop_index(batch_op.f("ix_group_file_purge_started_at"))
        batch_op.drop_index("ix_group_file_group_folder")
        batch_op.drop_index("ix_group_file_group_created")
        batch_op.drop_index(batch_op.f("ix_group_file_folder_id"))
        batch_op.drop_index(batch_op.f("ix_group_file_deleted_at"))
    op.drop_table("group_file")
    with op.batch_alter_table("file_folder", schema=None) as batch_op:
        batch_op.drop_index("uq_file_folder_top_name")
        batch_op.drop_index("uq_file_folder_parent_name")
        batch_op.drop_index(batch_op.f("ix_file_folder_group_id"))
    op.drop_table("file_folder")
