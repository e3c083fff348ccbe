"""discussions: threads, posts, reactions, edits, reports, read marks

Revision ID: 0006_discussions
Revises: 0005_notifications
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import membersync.db

revision: str = "0006_discussions"
down_revision: str | None = "0005_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "discussion_thread",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("author_number", sa.BigInteger(), nullable=True),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_post_id", sa.Integer(), nullable=False),
        sa.Column("last_post_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reply_count", sa.Integer(), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_number"],
            ["member.number"],
            name=op.f("fk_discussion_thread_author_number_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["portal_group.id"],
            name=op.f("fk_discussion_thread_group_id_portal_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_thread")),
    )

    with op.batch_alter_table("discussion_thread", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discussion_thread_author_number"), ["author_number"], unique=False
        )
        batch_op.create_index(
            "ix_discussion_thread_listing", ["group_id", "pinned", "last_post_id"], unique=False
        )

    op.create_table(
        "discussion_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("author_number", sa.BigInteger(), nullable=True),
        sa.Column("quote_of_id", sa.Integer(), nullable=True),
        sa.Column("body_source", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("edited_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("edit_count", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("hidden_reason", sa.Text(), nullable=True),
        sa.Column("hidden_by", sa.BigInteger(), nullable=True),
        sa.Column("hidden_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('visible', 'deleted', 'hidden')", name=op.f("ck_discussion_post_state")
        ),
        sa.ForeignKeyConstraint(
            ["author_number"],
            ["member.number"],
            name=op.f("fk_discussion_post_author_number_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["portal_group.id"],
            name=op.f("fk_discussion_post_group_id_portal_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["quote_of_id"],
            ["discussion_post.id"],
            name=op.f("fk_discussion_post_quote_of_id_discussion_post"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["discussion_thread.id"],
            name=op.f("fk_discussion_post_thread_id_discussion_thread"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_post")),
    )

    with op.batch_alter_table("discussion_post", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discussion_post_author_number"), ["author_number"], unique=False
        )
        batch_op.create_index("ix_discussion_post_group_id_id", ["group_id", "id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_discussion_post_quote_of_id"), ["quote_of_id"], unique=False
        )
        batch_op.create_index("ix_discussion_post_thread_id_id", ["thread_id", "id"], unique=False)

    op.create_table(
        "discussion_read_mark",
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("last_read_post_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_number"],
            ["member.number"],
            name=op.f("fk_discussion_read_mark_member_number_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["discussion_thread.id"],
            name=op.f("fk_discussion_read_mark_thread_id_discussion_thread"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_number", "thread_id", name=op.f("pk_discussion_read_mark")),
    )

    with op.batch_alter_table("discussion_read_mark", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discussion_read_mark_thread_id"), ["thread_id"], unique=False
        )

    op.create_table(
        "discussion_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("thumb_key", sa.String(length=200), nullable=False),
        sa.Column("mime_type", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("thumb_width", sa.Integer(), nullable=False),
        sa.Column("thumb_height", sa.Integer(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["discussion_post.id"],
            name=op.f("fk_discussion_attachment_post_id_discussion_post"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_attachment")),
    )

    with op.batch_alter_table("discussion_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discussion_attachment_post_id"), ["post_id"], unique=False
        )

    op.create_table(
        "discussion_post_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("body_source", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("written_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("replaced_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["discussion_post.id"],
            name=op.f("fk_discussion_post_revision_post_id_discussion_post"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_post_revision")),
    )

    with op.batch_alter_table("discussion_post_revision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discussion_post_revision_post_id"), ["post_id"], unique=False
        )

    op.create_table(
        "discussion_reaction",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("member_number", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('tommel', 'hjerte', 'smil', 'feiring', 'tenker')",
            name=op.f("ck_discussion_reaction_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["member_number"],
            ["member.number"],
            name=op.f("fk_discussion_reaction_member_number_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["discussion_post.id"],
            name=op.f("fk_discussion_reaction_post_id_discussion_post"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "post_id", "member_number", "kind", name=op.f("pk_discussion_reaction")
        ),
    )

    with op.batch_alter_table("discussion_reaction", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discussion_reaction_member_number"), ["member_number"], unique=False
        )

    op.create_table(
        "discussion_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("reporter_number", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'hidden', 'dismissed')", name=op.f("ck_discussion_report_status")
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["portal_group.id"],
            name=op.f("fk_discussion_report_group_id_portal_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["discussion_post.id"],
            name=op.f("fk_discussion_report_post_id_discussion_post"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reporter_number"],
            ["member.number"],
            name=op.f("fk_discussion_report_reporter_number_member"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_report")),
    )

    with op.batch_alter_table("discussion_report", schema=None) as batch_op:
        batch_op.create_index(
            "ix_discussion_report_group_status", ["group_id", "status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_discussion_report_post_id"), ["post_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_discussion_report_reporter_number"), ["reporter_number"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("discussion_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discussion_report_reporter_number"))
        batch_op.drop_index(batch_op.f("ix_discussion_report_post_id"))
        batch_op.drop_index("ix_discussion_report_group_status")

    op.drop_table("discussion_report")

    with op.batch_alter_table("discussion_reaction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discussion_reaction_member_number"))

    op.drop_table("discussion_reaction")

    with op.batch_alter_table("discussion_post_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discussion_post_revision_post_id"))

    op.drop_table("discussion_post_revision")

    with op.batch_alter_table("discussion_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discussion_attachment_post_id"))

    op.drop_table("discussion_attachment")

    with op.batch_alter_table("discussion_read_mark", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discussion_read_mark_thread_id"))

    op.drop_table("discussion_read_mark")

    with op.batch_alter_table("discussion_post", schema=None) as batch_op:
        batch_op.drop_index("ix_discussion_post_thread_id_id")
        batch_op.drop_index(batch_op.f("ix_discussion_post_quote_of_id"))
        batch_op.drop_index("ix_discussion_post_group_id_id")
        batch_op.drop_index(batch_op.f("ix_discussion_post_author_number"))

    op.drop_table("discussion_post")

    with op.batch_alter_table("discussion_thread", schema=None) as batch_op:
        batch_op.drop_index("ix_discussion_thread_listing")
        batch_op.drop_index(batch_op.f("ix_discussion_thread_author_number"))

    op.drop_table("discussion_thread")
