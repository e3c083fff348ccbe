"""files: meeting papers and shared documents in every group's file area, on disk or in S3.

Module map (one job each):
- models.py       folders, files and their stored versions (with picture renditions)
- permissions.py  the "file.*" and "folder.change" access rules
- intake.py       an upload turned into stored objects: type from content, clean name,
                  virus scan, picture renditions; nothing left behind on failure
- virusscan.py    the optional clamd INSTREAM client (fail closed)
- pending.py      objects of rows not yet committed, deleted again unless the commit happens
- service.py      folders, uploads, versions, rename, move, delete; `attach` for other
                  capabilities (events, discussions)
- trash.py        the trash, restoring, and the `files.purge_trash` job
- listing.py      read models for pages: folder contents, versions, attachments, newest files
- transfer.py     staging uploads outside the transaction; downloads after the check
                  (streamed, or a redirect to a presigned URL on S3)
- views.py, api.py   pages and the JSON API under /api/v1/files
- activity.py     the "Filer" section of group pages and the daily digest
- search.py       search documents for files
- demo.py         demo files in Bergen lokallag's group
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the file area pages and API, the file.* rules, the group-page section and digest
    items, the demo seeder, search documents and the trash purge job."""
    from innsiden.files import (  # noqa: F401 - each registers what it defines on import
        activity,
        api,
        demo,
        permissions,
        regroup,
        search,
        trash,
        views,
    )

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
