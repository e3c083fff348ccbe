"""The content blueprint; the modules of `innsiden.content.views` add its routes."""

from flask import Blueprint

from innsiden.content.workflow import STATE_LABELS
from innsiden.polls.forms import local_input

bp = Blueprint("content", __name__, url_prefix="/innhold")

ORGANISATION = "organisasjonen"


def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))


bp.add_app_template_filter(state_label, "content_state")

bp.add_app_template_filter(local_input, "content_local_time")
