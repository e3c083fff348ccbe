"""The administrators' front page, linking to every admin page."""

from __future__ import annotations

from flask import render_template

from innsiden import access
from innsiden.admin.blueprint import bp
from innsiden.db import get_session
from innsiden.web import current_member


@bp.get("/")
def index() -> str:
    access.require(get_session(), current_member(), "admin.use")
    return render_template("admin/index.html")
