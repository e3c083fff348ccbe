"""Running the portal for real: the stored-object sweeper, metrics, readiness, request ids
in the logs and backups, which operators and their tools see; and the one thing members see,
a notice on every page while live updates are down."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from innsiden.ops import degraded, metrics, orphans, requestlog, settings
    from innsiden.ops.cli import backup_command, storage_group
    from innsiden.ops.views import bp

    del orphans  # imported for its job
    settings.init_app(app)
    requestlog.init_app(app)
    metrics.init_app(app)
    degraded.init_app(app)
    app.register_blueprint(bp)
    app.cli.add_command(storage_group)
    app.cli.add_command(backup_command)
