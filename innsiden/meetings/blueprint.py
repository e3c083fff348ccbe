"""The meetings blueprint (pages under /grupper/<id>/arsmote and /arsmoter); the modules of
`views/` add its routes."""

from flask import Blueprint

bp = Blueprint("meetings", __name__)
