"""The discussions blueprint (pages under /diskusjoner) and its template helpers; the modules
of `views/` add its routes."""

from __future__ import annotations

from flask import Blueprint

from innsiden.discussions import rendering

bp = Blueprint("discussions", __name__, url_prefix="/diskusjoner")

bp.context_processor(rendering.template_helpers)
# Thread lists are also shown on group pages, outside this blueprint.
bp.app_template_filter("oslo_time")(rendering.short_time)
