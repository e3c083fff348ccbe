"""Login with a one-time code or link, the household chooser, and logging out (everywhere).

What the browser holds between the steps lives in the signed session cookie under "login":
a random device nonce (binds codes and links to this browser), a keyed hash of what was
typed (for rate limits), what kind it was, when, and how many tries were made. It never says
whether a code was sent, so a stranger learns nothing about who is a member, not even by
reading their own cookie.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy.orm import Session
from werkzeug import Response

from innsiden import ratelimit, realtime
from innsiden.auth import service
from innsiden.auth.identifiers import parse_identifier
from innsiden.auth.messages import deliver
from innsiden.auth.session import PortalUser
from innsiden.db import get_session, session_factory
from innsiden.web import current_member, public, safe_next
from membersync.models import Member

bp = Blueprint("auth", __name__)

LOGIN_KEY = "login"
CHOICE_KEY = "login_choice"


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _login_state() -> dict[str, Any] | None:
    """The pending login of this browser, if it is still within the code's lifetime and tries."""
    state = session.get(LOGIN_KEY)
    if not isinstance(state, dict):
        return None
    fresh = time.time() - float(state.get("at", 0)) < service.CODE_LIFETIME.total_seconds()
    return state if fresh and int(state.get("tries", 0)) < service.MAX_ATTEMPTS else None


def _start_over() -> Response:
    session.pop(LOGIN_KEY, None)
    flash(_("Koden virker ikke lenger. Be om en ny kode."), "error")
    return redirect(url_for("auth.login"))


def _log_in(member: Member, remember: bool, neste: str | None) -> Response:
    # A fresh session on login: nothing from before (fixation, old login state) survives.
    session.clear()
    login_user(PortalUser(member), remember=remember)
    if not remember:
        # Forget an earlier member's "husk meg" on this device, or it would outlive this login.
        session["_remember"] = "clear"
    return redirect(safe_next(neste) or url_for("home.index"))


def _count_attempt(kind: str, key: str, message: str) -> None:
    """Count a code sent or guessed against its limits per client address and per identifier
    (`key`, a keyed hash of what was typed); raises RateLimited with `message` past either."""
    config = current_app.config
    address = ratelimit.client_address()
    limit = config[f"LOGIN_{kind.upper()}_LIMIT_PER_ADDRESS"]
    ratelimit.check(f"login-{kind}-address", limit, address, message)
    limit = config[f"LOGIN_{kind.upper()}_LIMIT_PER_IDENTIFIER"]
    ratelimit.check(f"login-{kind}-identifier", limit, key, message)


def _finish(
    db: Session, verified: service.Verified, state: dict[str, Any], method: str
) -> Response:
    """Log in the one member the code was for, or let a household choose who they are."""
    remember, neste = bool(state.get("remember")), state.get("neste")
    if len(verified.members) == 1:
        member = service.complete_login(
            db, verified.code_id, verified.members[0].number, method=method, remember=remember
        )
        db.commit()
        return _log_in(member, remember, neste)
    db.commit()
    session.pop(LOGIN_KEY, None)
    session[CHOICE_KEY] = {
        "code": verified.code_id, "remember": remember, "neste": neste, "method": method,
    }  # fmt: skip
    return redirect(url_for("auth.choose"))


@bp.get("/logg-inn")
@public
def login() -> str | Response:
    neste = safe_next(request.args.get("neste"))
    if current_user.is_authenticated:
        return redirect(neste or url_for("home.index"))
    return render_template("auth/login.html", neste=neste or "", identifier="", error=None)


@bp.post("/logg-inn")
@public
def request_code() -> str | Response | tuple[str, int]:
    typed = request.form.get("identifier", "")
    remember = request.form.get("remember") == "ja"
    neste = safe_next(request.form.get("neste"))
    ident = parse_identifier(typed)
    if ident is None:
        error = _("Skriv e-postadressen, mobilnummeret (8 siffer) eller medlemsnummeret ditt.")
        page = render_template(
            "auth/login.html", neste=neste or "", identifier=typed, error=error, remember=remember
        )
        return page, 400
    key = service.keyed_hash(_secret(), "identifier", ident.kind, ident.value)
    _count_attempt(
        "send", key, _("Du har bedt om for mange koder. Vent en stund før du prøver igjen.")
    )
    previous = session.get(LOGIN_KEY)
    nonce = previous.get("nonce") if isinstance(previous, dict) else None
    nonce = nonce or secrets.token_urlsafe(32)
    db = get_session()
    message = service.request_code(db, ident, device=nonce, secret=_secret())
    db.commit()
    if message is not None:
        deliver(message)
    session[LOGIN_KEY] = {
        "nonce": nonce, "key": key, "kind": ident.kind, "at": time.time(), "tries": 0,
        "remember": remember, "neste": neste,
    }  # fmt: skip
    return redirect(url_for("auth.enter_code"))


@bp.get("/logg-inn/kode")
@public
def enter_code() -> str | Response:
    if session.get(LOGIN_KEY) is None:
        return redirect(url_for("auth.login"))
    state = _login_state()
    if state is None:
        return _start_over()
    return render_template("auth/code.html", kind=state["kind"], error=None)


@bp.post("/logg-inn/kode")
@public
def verify_code() -> str | Response | tuple[str, int]:
    if session.get(LOGIN_KEY) is None:
        return redirect(url_for("auth.login"))
    state = _login_state()
    if state is None:
        return _start_over()
    _count_attempt(
        "guess", state["key"], _("Du har prøvd for mange koder. Vent en stund før du prøver igjen.")
    )
    code = "".join(request.form.get("code", "").split())
    db = get_session()
    verified = service.verify_code(db, device=state["nonce"], code=code, secret=_secret())
    if verified is not None and verified.members:
        return _finish(db, verified, state, "code")
    db.commit()  # the wrong guess counts
    state["tries"] = int(state.get("tries", 0)) + 1
    session[LOGIN_KEY] = state
    if state["tries"] >= service.MAX_ATTEMPTS:
        return _start_over()
    error = _("Koden stemmer ikke, eller den er utløpt. Sjekk koden, eller be om en ny.")
    return render_template("auth/code.html", kind=state["kind"], error=error), 400


@bp.get("/logg-inn/lenke/<token>")
@public
def link(token: str) -> Response | tuple[str, int]:
    state = session.get(LOGIN_KEY)
    # Without this browser's login state the link is someone else's: use a nonce nobody holds.
    device = state.get("nonce") if isinstance(state, dict) else None
    ratelimit.check(
        "login-guess-address", current_app.config["LOGIN_GUESS_LIMIT_PER_ADDRESS"],
        ratelimit.client_address(),
    )  # fmt: skip
    # This GET changes state, so it needs a writing session (GETs read without the write lock).
    with session_factory()() as db:
        try:
            verified = service.consume_link(
                db, token=token, device=device or secrets.token_urlsafe(32), secret=_secret()
            )
        except service.OtherDevice as refused:
            return _notice(_("Åpne lenken i samme nettleser"), refused.message)
        db.commit()
        if verified is None or not verified.members or not isinstance(state, dict):
            return _notice(
                _("Lenken virker ikke lenger"),
                _("Lenken er allerede brukt eller utløpt. Be om en ny kode."),
            )
        return _finish(db, verified, state, "link")


def _notice(title: str, message: str) -> tuple[str, int]:
    return render_template("auth/notice.html", title=title, message=message), 400


@bp.get("/logg-inn/hvem")
@public
def choose() -> str | Response:
    state = session.get(CHOICE_KEY)
    members = service.choosable_members(get_session(), int(state["code"])) if state else []
    if not members:
        session.pop(CHOICE_KEY, None)
        return redirect(url_for("auth.login"))
    return render_template("auth/choose.html", members=members)


@bp.post("/logg-inn/hvem")
@public
def choose_member() -> Response:
    state = session.get(CHOICE_KEY)
    number = request.form.get("member", "")
    if not state or not number.isdigit():
        return redirect(url_for("auth.choose" if state else "auth.login"))
    db = get_session()
    member = service.complete_login(
        db, int(state["code"]), int(number), method=state["method"], remember=state["remember"]
    )
    db.commit()
    return _log_in(member, bool(state["remember"]), state.get("neste"))


@bp.get("/logg-ut")
def logout_page() -> str:
    return render_template("auth/logout.html")


@bp.post("/logg-ut")
def logout() -> Response:
    logout_user()
    flash(_("Du er logget ut."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/logg-ut-overalt")
def logout_everywhere() -> Response:
    member = current_member()
    assert member is not None  # the login requirement has let only members through
    db = get_session()
    service.log_out_everywhere(db, member)
    db.commit()
    realtime.disconnect_member(member.number)
    logout_user()
    flash(_("Du er logget ut på alle enheter."), "info")
    return redirect(url_for("auth.login"))
