"""The front page a member lands on, and a health check for load balancers."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from sqlalchemy import text
from werkzeug import Response

from innsiden.db import get_session
from innsiden.web import public

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    return render_template("home/index.html")


@bp.get("/helse")
@public
def health() -> Response:
    get_session().execute(text("SELECT 1"))
    return jsonify({"status": "ok"})
