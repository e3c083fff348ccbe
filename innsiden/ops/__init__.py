"""Running the portal for real: the stored-object sweeper, metrics, readiness, request ids
in the logs and backups. No member sees any of it; operators and their tools do."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from innsiden.ops import metrics, orphans, requestlog, settings
    from innsiden.ops.cli import backup_command, storage_group
    from innsiden.ops.views import bp

    del orphans  # imported for its job
    settings.init_app(app)
    requestlog.init_app(app)
    metrics.init_app(app)
    app.register_blueprint(bp)
    app.cli.add_command(storage_group)
    app.cli.add_command(backup_command)
