"""The groups blueprint (pages under /grupper); the modules of `views/` add its routes."""

from flask import Blueprint

bp = Blueprint("groups", __name__, url_prefix="/grupper")
