"""The polls blueprint; `views` (reading and voting) and `manage_views` add its routes."""

from flask import Blueprint

bp = Blueprint("polls", __name__, url_prefix="/avstemninger")
