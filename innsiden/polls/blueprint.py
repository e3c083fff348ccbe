"""The polls blueprint (pages under /avstemninger); the modules of `views/` add its routes."""

from flask import Blueprint

bp = Blueprint("polls", __name__, url_prefix="/avstemninger")
