"""Login pages (the one-time-code flow is built in issue 4; this is its entry point)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, logout_user
from werkzeug import Response

from innsiden.web import public

bp = Blueprint("auth", __name__)


@bp.get("/logg-inn")
@public
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return render_template("auth/login.html")


@bp.post("/logg-ut")
def logout() -> Response:
    logout_user()
    return redirect(url_for("auth.login"))
