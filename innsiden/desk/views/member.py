"""What members see of leader messages: their own choices, one-click unsubscribe links and
the SMS gateway's inbound "STOPP"."""

from __future__ import annotations

import hmac

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug import Response

from innsiden.db import get_session
from innsiden.desk import optout
from innsiden.desk.models import OPT_OUT_CHANNELS
from innsiden.security import csrf
from innsiden.web import acting_member, json_body, public
from membersync.phones import normalise_phone

bp = Blueprint("desk_members", __name__, url_prefix="/mitt-lag")


@bp.get("/mine-valg")
def choices() -> str:
    off = optout.opted_out(get_session(), acting_member().number)
    return render_template("desk/choices.html", off=off)


@bp.post("/mine-valg")
def save_choices() -> Response:
    session = get_session()
    member = acting_member()
    for channel in OPT_OUT_CHANNELS:
        wanted = request.form.get(channel) == "ja"
        optout.set_channel(session, member.number, channel, not wanted, "settings")
    session.commit()
    flash(_("Valgene dine er lagret."), "success")
    return redirect(url_for("desk_members.choices"))


@bp.get("/avmeld/<token>")
@public
def unsubscribe_confirm(token: str) -> str:
    """A confirmation page, so that link scanners opening the link change nothing."""
    wanted = optout.read_token(token)
    return render_template("desk/unsubscribe.html", token=token, wanted=wanted, done=False)


@bp.post("/avmeld/<token>")
@public
@csrf.exempt  # RFC 8058 one-click: the mail client posts without a form token
def unsubscribe_apply(token: str) -> str:
    session = get_session()
    wanted = optout.read_token(token)
    optout.apply_link(session, wanted)
    session.commit()
    return render_template("desk/unsubscribe.html", token=token, wanted=wanted, done=True)


@bp.post("/sms/innkommende")
@public
@csrf.exempt  # the SMS gateway authenticates with its bearer token
def inbound_sms() -> Response | tuple[Response, int]:
    """The gateway forwards replies as {"from": "+47…", "text": "STOPP"}."""
    secret = current_app.config["DESK_SMS_INBOUND_TOKEN"]
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        abort(404)
    body = json_body()
    try:
        mobile = normalise_phone(str(body.get("from", "")))
    except ValueError:
        mobile = None
    if not mobile:
        return jsonify({"error": {"code": "validation_failed", "message": "from"}}), 400
    stopped = 0
    if optout.is_stop(str(body.get("text", ""))):
        session = get_session()
        stopped = optout.stop_sms(session, mobile)
        session.commit()
    return jsonify({"stopped": stopped})
