"""Flask-Login wiring: the member behind each request, re-checked against the register."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, g, request
from flask_babel import lazy_gettext
from flask_login import LoginManager, UserMixin

from innsiden import access, ratelimit
from innsiden.auth import tokens
from innsiden.db import get_session
from innsiden.web import bearer_token
from membersync.models import Member

login_manager = LoginManager()


class PortalUser(UserMixin):
    """The logged-in member as Flask-Login sees them.

    The id carries the member's access epoch, so bumping the epoch (deactivation, "log out
    everywhere", suspension) makes every session and "husk meg" cookie stop working.
    """

    def __init__(self, member: Member) -> None:
        self.member = member

    def get_id(self) -> str:
        return credential_id(self.member)

    @property
    def number(self) -> int:
        return self.member.number


def credential_id(member: Member) -> str:
    return f"{member.number}.{member.access_epoch}"


def load_member_for_credential(credential: str) -> Member | None:
    """The member a session credential belongs to, if it is current and they may use the portal."""
    number_text, _, epoch_text = credential.partition(".")
    if not (number_text.isdigit() and epoch_text.isdigit()):
        return None
    session = get_session()
    member = session.get(Member, int(number_text))
    if member is None or member.access_epoch != int(epoch_text):
        return None
    return member if access.may_use_portal(session, member) else None


@login_manager.user_loader
def _load_user(credential: str) -> PortalUser | None:
    # Returning None logs the member out: this runs on every request, so the register's
    # latest word and any suspension take effect on the very next page.
    member = load_member_for_credential(credential)
    return PortalUser(member) if member is not None else None


def _bearer_login() -> None:
    """On /api/v1, an `Authorization: Bearer` token is the request's only credential.

    The session cookie is then ignored (the token's member, or nobody), a read-only token
    is refused on every write, and each token has a rate limit of its own. Elsewhere the
    header is ignored: a token never opens an HTML page, and it never becomes a session."""
    secret = bearer_token()
    if secret is None:
        return
    g._login_user = login_manager.anonymous_user()  # never the cookie's member, whatever happens
    session = get_session()
    found = tokens.authenticate(session, secret)
    if found is None:
        raise tokens.TokenRefused()
    token, member = found
    ratelimit.check("api-token", current_app.config["API_TOKEN_RATE_LIMIT"], str(token.id))
    if not tokens.may(token, request.method, request.blueprint):
        raise tokens.ScopeMissing()
    if tokens.mark_used(token):
        session.commit()  # its own small transaction: the view's commit may never come
    g.api_token = token
    g._login_user = PortalUser(member)


# Login limits (Flask-Limiter strings); per identifier typed and per client address.
LOGIN_DEFAULTS = {
    "REMEMBER_COOKIE_DURATION": timedelta(days=30),  # "husk meg"
    "LOGIN_SEND_LIMIT_PER_IDENTIFIER": "3/10 minutes;10/day",
    "LOGIN_SEND_LIMIT_PER_ADDRESS": "20/hour;100/day",
    "LOGIN_GUESS_LIMIT_PER_IDENTIFIER": "10/10 minutes",
    "LOGIN_GUESS_LIMIT_PER_ADDRESS": "60/hour",
    "API_TOKEN_RATE_LIMIT": "120/minute;5000/hour",  # per personal access token
}


def init_app(app: Flask) -> None:
    for key, value in LOGIN_DEFAULTS.items():
        app.config.setdefault(key, value)
    real_backend = app.config["MAIL_BACKEND"] != "outbox" or app.config["SMS_BACKEND"] != "outbox"
    app.config.setdefault("LOGIN_SEND_IN_BACKGROUND", real_backend)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Logg inn for å se denne siden.")
    login_manager.session_protection = "basic"
    app.before_request(_bearer_login)
