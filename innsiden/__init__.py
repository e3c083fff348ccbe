"""Innsiden: the members-only portal of a membership organisation."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask

from innsiden.config import PROJECT_ROOT, load_config


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
    # One line per capability: its HTML blueprint, then its JSON API under /api/v1.
    from innsiden import cli, schema  # noqa: F401 - schema registers every table's model.
    from innsiden.admin import blueprint as admin_blueprint
    from innsiden.admin import permissions as admin_permissions  # noqa: F401
    from innsiden.admin import suspensions as admin_suspensions  # noqa: F401
    from innsiden.admin import sync_runs as admin_sync_runs  # noqa: F401
    from innsiden.admin import views as admin_views  # noqa: F401
    from innsiden.auth import api as auth_api
    from innsiden.auth import permissions as auth_permissions  # noqa: F401
    from innsiden.auth import views as auth_views
    from innsiden.discussions import actions as discussions_actions  # noqa: F401 - form routes
    from innsiden.discussions import activity as discussions_activity  # noqa: F401 - group hooks
    from innsiden.discussions import api as discussions_api
    from innsiden.discussions import demo as discussions_demo  # noqa: F401 - its seeder
    from innsiden.discussions import live as discussions_live  # noqa: F401 - pushes
    from innsiden.discussions import notify as discussions_notify  # noqa: F401 - producers
    from innsiden.discussions import permissions as discussions_permissions  # noqa: F401
    from innsiden.discussions import search as discussions_search  # noqa: F401 - documents
    from innsiden.discussions import views as discussions_views
    from innsiden.files import activity as files_activity  # noqa: F401 - group page, digest
    from innsiden.files import api as files_api
    from innsiden.files import demo as files_demo  # noqa: F401 - registers its seeder
    from innsiden.files import permissions as files_permissions  # noqa: F401
    from innsiden.files import search as files_search  # noqa: F401 - search documents
    from innsiden.files import trash as files_trash  # noqa: F401 - the purge job
    from innsiden.files import views as files_views
    from innsiden.gatherings import api as gatherings_api
    from innsiden.gatherings import calendar_views as gatherings_calendar  # noqa: F401 - routes
    from innsiden.gatherings import demo as gatherings_demo  # noqa: F401 - its seeder
    from innsiden.gatherings import group_page as gatherings_group_page  # noqa: F401 - hooks
    from innsiden.gatherings import messages as gatherings_messages  # noqa: F401 - the job
    from innsiden.gatherings import notify as gatherings_notify  # noqa: F401 - producers
    from innsiden.gatherings import organiser_views as gatherings_organise  # noqa: F401
    from innsiden.gatherings import permissions as gatherings_permissions  # noqa: F401
    from innsiden.gatherings import reminders as gatherings_reminders  # noqa: F401 - the job
    from innsiden.gatherings import search as gatherings_search  # noqa: F401 - documents
    from innsiden.gatherings import views as gatherings_views  # noqa: F401
    from innsiden.gatherings.blueprint import bp as gatherings_bp
    from innsiden.groups import actions as groups_actions  # noqa: F401 - adds routes to groups
    from innsiden.groups import api as groups_api
    from innsiden.groups import demo as groups_demo  # noqa: F401 - registers its seeder
    from innsiden.groups import leader_views as groups_leader_views  # noqa: F401
    from innsiden.groups import moves as groups_moves  # noqa: F401 - job
    from innsiden.groups import notify as groups_notify  # noqa: F401 - e-mails on group events
    from innsiden.groups import permissions as groups_permissions  # noqa: F401
    from innsiden.groups import search as groups_search  # noqa: F401 - documents
    from innsiden.groups import views as groups_views  # noqa: F401
    from innsiden.groups.blueprint import bp as groups_bp
    from innsiden.home import views as home_views
    from innsiden.notifications import api as notifications_api
    from innsiden.notifications import bell as notifications_bell
    from innsiden.notifications import delivery as notifications_delivery  # noqa: F401 - jobs
    from innsiden.notifications import views as notifications_views
    from innsiden.polls import api as polls_api
    from innsiden.polls import demo as polls_demo  # noqa: F401 - registers its seeder
    from innsiden.polls import group_page as polls_group_page  # noqa: F401 - group hooks
    from innsiden.polls import lifecycle as polls_lifecycle  # noqa: F401 - the open/close job
    from innsiden.polls import live as polls_live  # noqa: F401 - realtime pushes
    from innsiden.polls import manage_views as polls_manage_views  # noqa: F401 - adds routes
    from innsiden.polls import notify as polls_notify  # noqa: F401 - producers
    from innsiden.polls import permissions as polls_permissions  # noqa: F401
    from innsiden.polls import views as polls_views  # noqa: F401
    from innsiden.polls.blueprint import bp as polls_bp
    from innsiden.registerhook import views as registerhook_views
    from innsiden.search import api as search_api
    from innsiden.search import indexer as search_indexer  # noqa: F401 - the index job
    from innsiden.search import views as search_views

    app.register_blueprint(home_views.bp)
    app.register_blueprint(auth_views.bp)
    app.register_blueprint(auth_api.bp)
    app.register_blueprint(admin_blueprint.bp)
    app.register_blueprint(registerhook_views.bp)
    app.register_blueprint(groups_bp)
    app.register_blueprint(groups_api.bp)
    app.register_blueprint(files_views.bp)
    app.register_blueprint(files_api.bp)
    app.register_blueprint(gatherings_bp)
    app.register_blueprint(gatherings_api.bp)
    app.register_blueprint(polls_bp)
    app.register_blueprint(polls_api.bp)
    app.register_blueprint(discussions_views.bp)
    app.register_blueprint(discussions_api.bp)
    app.register_blueprint(search_views.bp)
    app.register_blueprint(search_api.bp)
    app.register_blueprint(notifications_views.bp)
    app.register_blueprint(notifications_api.bp)
    notifications_bell.init_app(app)
    cli.init_app(app)
