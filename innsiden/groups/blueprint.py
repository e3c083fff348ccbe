"""The groups blueprint; pages (views), actions and the leaders' member lists add routes."""

from flask import Blueprint

bp = Blueprint("groups", __name__, url_prefix="/grupper")
