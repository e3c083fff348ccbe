"""Innsiden: the members-only portal of a membership organisation."""

from __future__ import annotations

import logging
import os
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask

from innsiden.config import PROJECT_ROOT, load_config

# Each capability is a sub-package whose `init_app(app)` registers its blueprints, access
# rules, jobs, notification producers, search sources, group-page hooks and demo seeder.
# They are wired in this order, which is the order of blueprints, group-page sections, digest
# parts and demo seeders (groups' data first). A new capability adds one line at the end.
CAPABILITIES = (
    "home",
    "auth",
    "admin",
    "registerhook",
    "groups",
    "discussions",
    "files",
    "gatherings",
    "polls",
    "search",
    "notifications",
    "language",
    "profile",
    "content",
    "desk",
    "ops",
    "meetings",
    "webhooks",
    "apidocs",
)


def templates_folder() -> str:
    """The top-level templates/ in a checkout, or the copy shipped inside the wheel."""
    checkout = PROJECT_ROOT / "templates"
    if checkout.is_dir():
        return str(checkout)
    return str(Path(__file__).parent / "_templates")


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the portal. `test_config` overrides settings read from the environment."""
    instance_path = os.environ.get("INNSIDEN_INSTANCE_PATH") or str(PROJECT_ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=instance_path,
        template_folder=templates_folder(),
        static_folder="static",
    )
    from innsiden.web import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route is added
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(load_config(Path(app.instance_path)))
    if test_config:
        app.config.update(test_config)
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("innsiden").setLevel(logging.INFO)
    logging.getLogger("membersync").setLevel(logging.INFO)

    _init_extensions(app)
    _register_capabilities(app)
    return app


def _init_extensions(app: Flask) -> None:
    from innsiden import db, errors, i18n, mail, ratelimit, realtime, security, storage, web
    from innsiden.auth import session as auth_session

    db.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    mail.init_app(app)
    storage.init_app(app)
    ratelimit.init_app(app)
    auth_session.init_app(app)
    web.init_app(app)
    realtime.init_app(app)


def _register_capabilities(app: Flask) -> None:
    from innsiden import cli, schema  # noqa: F401 - schema maps every model before the first query

    for name in CAPABILITIES:
        import_module(f"innsiden.{name}").init_app(app)
    cli.init_app(app)
