"""The tables of the PostgreSQL search engine (`innsiden.search.pgengine`).

Used only when `INNSIDEN_SEARCH=postgres`: on SQLite the tables exist but stay empty (the
Whoosh engine keeps its index on disk). `search_document` holds one row per findable thing,
with its words as a `tsvector` (GIN-indexed); `search_word` is the vocabulary members have
written, for "mente du …?" (one edit away, looked up by primary key, so no extension).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from membersync.db import Base

# A tsvector on PostgreSQL; plain text on SQLite, where the table is never used.
TSV = Text().with_variant(TSVECTOR(), "postgresql")


class SearchDocumentRow(Base):
    """One findable thing, as the engine-neutral `SearchDocument` describes it."""

    __tablename__ = "search_document"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # e.g. "post:123"
    parent: Mapped[str | None] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    audience: Mapped[str] = mapped_column(String(64), index=True)
    group_id: Mapped[int | None] = mapped_column()  # no foreign key: rows are derived
    created_at: Mapped[datetime | None] = mapped_column()
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")  # the opening shown in excerpts
    author_name: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")
    words: Mapped[str] = mapped_column(TSV)

    __table_args__ = (Index("ix_search_document_words", "words", postgresql_using="gin"),)


class SearchWord(Base):
    """A word (normalised, unstemmed) that some document held; never pruned, since a
    suggestion is only offered after checking that it finds something for the member."""

    __tablename__ = "search_word"

    word: Mapped[str] = mapped_column(String(100), primary_key=True)
