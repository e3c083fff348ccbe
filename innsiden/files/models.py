"""The files' tables: folders in a group's file area, files, and every stored version.

The bytes live in `innsiden.storage` under generated keys; a row is written only after its
object was stored, and a row is deleted only after its objects were (see `trash.purge`),
so the database never points at a missing object.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from innsiden.groups.models import Group
from innsiden.storedkeys import stored_keys
from membersync.db import Base, utcnow


class Folder(Base):
    """A folder in a group's file area; None as parent is the area's top level."""

    __tablename__ = "file_folder"
    __table_args__ = (
        # Names are unique per parent folder, compared case-insensitively (name_key).
        Index("uq_file_folder_parent_name", "parent_id", "name_key", unique=True),
        # …and at the top level, where parent_id is NULL (NULLs never clash in a unique index).
        Index(
            "uq_file_folder_top_name",
            "group_id",
            "name_key",
            unique=True,
            sqlite_where="parent_id IS NULL",  # type: ignore[arg-type]
            postgresql_where="parent_id IS NULL",  # type: ignore[arg-type]
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("portal_group.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("file_folder.id", ondelete="CASCADE"), default=None
    )
    name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120))
    created_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class File(Base):
    """A file in a group's file area: its current name and place; its bytes are versions.

    `deleted_at` puts it in the trash (restorable by group administrators for 30 days);
    `purge_started_at` marks it for good before its stored objects are deleted.
    """

    __tablename__ = "group_file"
    __table_args__ = (
        Index("ix_group_file_group_folder", "group_id", "folder_id"),
        Index("ix_group_file_group_created", "group_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("portal_group.id", ondelete="CASCADE"))
    # A folder deleted later leaves its (trashed) files at the top level.
    folder_id: Mapped[int | None] = mapped_column(
        ForeignKey("file_folder.id", ondelete="SET NULL"), index=True, default=None
    )
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    # Member numbers without a foreign key: the file stays with the organisation.
    uploaded_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    # What it is attached to, e.g. "event:12" or "post:42"; None for plain uploads.
    source: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    version_count: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(index=True, default=None)
    deleted_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    purge_started_at: Mapped[datetime | None] = mapped_column(index=True, default=None)

    group: Mapped[Group] = relationship(lazy="joined", innerjoin=True)

    @property
    def in_trash(self) -> bool:
        return self.deleted_at is not None

    @property
    def live(self) -> bool:
        return self.deleted_at is None and self.purge_started_at is None


class FileVersion(Base):
    """One stored version of a file: its object, and for pictures our re-encoded renditions."""

    __tablename__ = "file_version"
    __table_args__ = (UniqueConstraint("file_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("group_file.id", ondelete="CASCADE"))
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(160))  # the file's name with this version's type
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    mime_type: Mapped[str] = mapped_column(String(100))
    uploaded_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Pictures only: two re-encoded renditions (no metadata), the only form in which an
    # uploaded picture is ever shown inline; the original is always a download.
    rendition_type: Mapped[str | None] = mapped_column(String(20), default=None)
    thumb_key: Mapped[str | None] = mapped_column(String(64), default=None)
    thumb_width: Mapped[int | None] = mapped_column(default=None)
    thumb_height: Mapped[int | None] = mapped_column(default=None)
    preview_key: Mapped[str | None] = mapped_column(String(64), default=None)
    preview_width: Mapped[int | None] = mapped_column(default=None)
    preview_height: Mapped[int | None] = mapped_column(default=None)

    @property
    def keys(self) -> list[str]:
        """Every stored object of this version."""
        return [k for k in (self.storage_key, self.thumb_key, self.preview_key) if k]

    @property
    def is_picture(self) -> bool:
        return self.thumb_key is not None


# The orphan sweep (innsiden.orphans) keeps every object these columns point at.
stored_keys(FileVersion.storage_key, FileVersion.thumb_key, FileVersion.preview_key)
