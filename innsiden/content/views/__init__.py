"""Content pages: reading (a place's pages and news, an item), writing (new, edit, move,
lead picture), the workflow and versions, and Deling."""

from innsiden.content.blueprint import bp
from innsiden.content.views import editing, reading, review, sharing

__all__ = ["bp", "editing", "reading", "review", "sharing"]
