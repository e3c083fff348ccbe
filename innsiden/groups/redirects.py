"""Old links to a merged group lead to the group it was merged into.

`groups.service.get_group` / `visible_group` raise `GroupMerged` for a merged group's
archive; this handler answers a GET with a permanent redirect to the same page of the new
group (the API's too: the Location carries the new id). Anything else gets "not found":
a merged group takes no writes.
"""

from __future__ import annotations

from flask import Flask, Response, redirect, request, url_for

from innsiden.errors import NotFound, error_response
from innsiden.groups.reshape import GroupMerged


def _to_new_group(error: GroupMerged) -> Response:
    args = dict(request.view_args or {})
    if request.method in ("GET", "HEAD") and request.endpoint and "group_id" in args:
        args["group_id"] = error.new_group_id
        query = {k: v for k, v in request.args.items() if k != "group_id"}
        return redirect(url_for(request.endpoint, **args, **query), 301)  # type: ignore[return-value]
    missing = NotFound()
    return error_response(missing.status, missing.code, missing.message)


def init_app(app: Flask) -> None:
    app.register_error_handler(GroupMerged, _to_new_group)
