"""The e-mail and the SMS that carry a login code (the only place a code exists in clear)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import current_app, render_template, url_for
from flask_babel import gettext as _

from innsiden.auth.service import CODE_LIFETIME, CodeToSend
from innsiden.db import get_session
from innsiden.i18n import current_language, language
from innsiden.language.service import saved_languages
from innsiden.mail import Mail, Sms, send_mail, send_sms

log = logging.getLogger(__name__)

MINUTES = int(CODE_LIFETIME.total_seconds() // 60)


def _dispatch(send: Callable[[], None]) -> None:
    """Send at once, or in the background when the backend is a slow real one (SMTP, an SMS
    gateway): a stranger must not tell a member's address by how long the answer takes."""
    if not current_app.config["LOGIN_SEND_IN_BACKGROUND"]:
        send()
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def run() -> None:
        with app.app_context():
            try:
                send()
            except Exception:
                log.exception("sending a login code failed")

    threading.Thread(target=run, name="innsiden-login-code", daemon=True).start()


def deliver(message: CodeToSend) -> None:
    """Send the code by the channel the service chose, to the register's address, in the
    language the member chose (else the one the login page is shown in)."""
    chosen = saved_languages(get_session(), message.member_numbers)
    wanted = next((chosen[n] for n in message.member_numbers if n in chosen), None)
    with language(wanted or current_language()):
        _deliver(message)


def _deliver(message: CodeToSend) -> None:
    organisation = current_app.config["ORGANISATION_NAME"]
    if message.channel == "sms":
        text = _(
            "%(code)s er koden din for å logge inn på Innsiden (%(organisation)s). "
            "Den gjelder i %(minutes)s minutter.",
            code=message.code,
            organisation=organisation,
            minutes=MINUTES,
        )
        sms = Sms(to=message.to, text=text)
        _dispatch(lambda: send_sms(sms))
        return
    link = None
    if message.link_token:
        # BASE_URL, not the request's Host header: a forged Host must not end up in the mail.
        link = current_app.config["BASE_URL"] + url_for("auth.link", token=message.link_token)
    text = render_template(
        "auth/code_mail.txt",
        code=message.code,
        link=link,
        minutes=MINUTES,
        organisation=organisation,
    )
    mail = Mail(to=message.to, subject=_("Koden din for å logge inn på Innsiden"), text=text)
    _dispatch(lambda: send_mail(mail))
