"""The admin blueprint (pages under /admin); the modules of `views/` add its routes."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
