"""The gatherings blueprint (pages under /arrangementer) and the template filters for times;
the modules of `views/` add its routes."""

from __future__ import annotations

from flask import Blueprint

from innsiden.gatherings import timefmt

bp = Blueprint("gatherings", __name__, url_prefix="/arrangementer")

# Oslo time in Norwegian for every template (the group page's section uses them too).
bp.add_app_template_filter(timefmt.when, "oslo_when")
bp.add_app_template_filter(timefmt.span, "oslo_span")
bp.add_app_template_filter(timefmt.clock, "oslo_clock")
bp.add_app_template_filter(timefmt.day, "oslo_day")
bp.add_app_template_filter(timefmt.input_value, "oslo_input")
bp.add_app_template_filter(timefmt.month_name, "oslo_month")
