"""The leader's desk ("Mitt lag"): changes, restanse, messages to members by e-mail and SMS."""

from __future__ import annotations

import os

from flask import Flask
from flask_babel import lazy_gettext as _l

from innsiden import menu


def init_app(app: Flask) -> None:
    from innsiden.desk import (  # noqa: F401 - routes, rules, the job, the demo seeder
        activity,
        api,
        demo,
        permissions,
        sending,
        views,
    )

    env = os.environ
    # Provider settings: what one SMS part costs (NOK, for the estimate), how many messages a
    # minute each provider takes (0: no limit), and the gateway's token for inbound "STOPP".
    app.config.setdefault("DESK_SMS_PRICE", env.get("INNSIDEN_DESK_SMS_PRICE", "0.45"))
    app.config.setdefault(
        "DESK_SMS_PER_MINUTE", int(env.get("INNSIDEN_DESK_SMS_PER_MINUTE", "600"))
    )
    app.config.setdefault(
        "DESK_EMAIL_PER_MINUTE", int(env.get("INNSIDEN_DESK_EMAIL_PER_MINUTE", "3000"))
    )
    app.config.setdefault("DESK_SMS_INBOUND_TOKEN", env.get("INNSIDEN_SMS_INBOUND_TOKEN", ""))
    app.register_blueprint(views.leader.bp)
    app.register_blueprint(views.member.bp)
    app.register_blueprint(api.bp)
    menu.item("desk", _l("Mitt lag"), "desk.index", allowed="desk.open", order=60)
