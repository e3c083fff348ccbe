"""search on PostgreSQL: documents with a GIN-indexed tsvector, and the written vocabulary

Only the PostgreSQL engine (`INNSIDEN_SEARCH=postgres`) uses these tables. On SQLite they are
created as plain tables with a plain index, which nothing reads or writes (SQLite portals
search with Whoosh), so both backends keep one schema.

Revision ID: 0019_search_postgres
Revises: 0017_quieter_mail
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import membersync.db

revision: str = "0019_search_postgres"
down_revision: str | None = "0017_quieter_mail"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TSV = sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "search_document",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("parent", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("audience", sa.String(length=64), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("created_at", membersync.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("words", TSV, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_document")),
    )
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_document_audience"), ["audience"])
        batch_op.create_index(batch_op.f("ix_search_document_parent"), ["parent"])
        batch_op.create_index("ix_search_document_words", ["words"], postgresql_using="gin")
    op.create_table(
        "search_word",
        sa.Column("word", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_word")),
    )


def downgrade() -> None:
    op.drop_table("search_word")
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.drop_index("ix_search_document_words", postgresql_using="gin")
        batch_op.drop_index(batch_op.f("ix_search_document_parent"))
        batch_op.drop_index(batch_op.f("ix_search_document_audience"))
    op.drop_table("search_document")
