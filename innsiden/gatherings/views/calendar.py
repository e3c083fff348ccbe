"""Calendar files and settings: an .ics per event, the personal feed calendar apps subscribe
to (public, authenticated by its secret token), and the member's reminder and feed settings."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug import Response

from innsiden.db import get_session
from innsiden.errors import NotFound, ValidationFailed
from innsiden.gatherings import feed, ical, listing, reminders, service
from innsiden.gatherings.blueprint import bp
from innsiden.web import acting_member, public


def _ics(text: str, filename: str) -> Response:
    response = Response(text, mimetype=ical.MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<int:gathering_id>.ics")
def event_ics(gathering_id: int) -> Response:
    session, member = get_session(), acting_member()
    gathering = service.visible(session, member, gathering_id)
    text = ical.calendar([gathering], current_app.config["BASE_URL"], gathering.title)
    return _ics(text, f"arrangement-{gathering.id}.ics")


@bp.get("/kalender/<token>.ics")
@public
def feed_ics(token: str) -> Response:
    """The member's calendar for their calendar app; access is checked on every fetch."""
    session = get_session()
    member = feed.member_for(session, token)
    if member is None:
        raise NotFound()
    name = f"{current_app.config['ORGANISATION_NAME']} – {_('mine arrangementer')}"
    text = ical.calendar(listing.feed(session, member), current_app.config["BASE_URL"], name)
    return _ics(text, "innsiden.ics")


@bp.route("/innstillinger", methods=["GET", "POST"])
def settings() -> Any:
    session, member = get_session(), acting_member()
    errors: dict[str, str] = {}
    if request.method == "POST":
        channel = request.form.get("reminder_channel") or None
        minutes_text = request.form.get("reminder_minutes", "")
        minutes = int(minutes_text) if minutes_text.isdigit() else None
        try:
            reminders.set_preference(
                session, member, None if channel == "ingen" else channel, minutes
            )
        except ValidationFailed as error:
            session.rollback()
            errors = error.fields
        else:
            session.commit()
            flash(_("Innstillingene er lagret."), "success")
            return redirect(url_for("gatherings.settings"))
    page = render_template(
        "gatherings/settings.html",
        preference=reminders.preference(session, member.number),
        minutes=reminders.MINUTES,
        feed_token=feed.current(session, member),
        new_feed_url=None,
        errors=errors,
    )
    return page, 400 if errors else 200


@bp.post("/innstillinger/kalender")
def new_feed() -> str:
    """Make a new feed address and show it this once (only its hash is kept)."""
    session, member = get_session(), acting_member()
    token = feed.regenerate(session, member)
    session.commit()
    url = f"{current_app.config['BASE_URL']}{url_for('gatherings.feed_ics', token=token)}"
    return render_template(
        "gatherings/settings.html",
        preference=reminders.preference(session, member.number),
        minutes=reminders.MINUTES,
        feed_token=feed.current(session, member),
        new_feed_url=url,
        errors={},
    )


@bp.post("/innstillinger/kalender/slett")
def revoke_feed() -> Response:
    session, member = get_session(), acting_member()
    feed.revoke(session, member)
    session.commit()
    flash(_("Kalenderadressen er slettet og virker ikke lenger."), "success")
    return redirect(url_for("gatherings.settings"))
