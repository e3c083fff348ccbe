"""The admin blueprint; each admin page module (sync runs, suspensions, …) adds its routes."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
