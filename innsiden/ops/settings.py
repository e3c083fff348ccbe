"""The operators' settings, read from the environment like every other (see README.md)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from flask import Flask


def init_app(app: Flask, env: Mapping[str, str] = os.environ) -> None:
    # setdefault: a test's (or an embedding's) own config wins over the environment.
    app.config.setdefault(
        "METRICS_ALLOW",
        [part.strip() for part in env.get("INNSIDEN_METRICS_ALLOW", "").split(",") if part.strip()],
    )
    app.config.setdefault("METRICS_TOKEN", env.get("INNSIDEN_METRICS_TOKEN", ""))
    app.config.setdefault("LOG_FORMAT", env.get("INNSIDEN_LOG_FORMAT", "text"))  # text | json
