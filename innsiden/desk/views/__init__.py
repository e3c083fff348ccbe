"""Mitt lag's pages: the leader's desk (`leader`, /mitt-lag/<unit>) and the member's own
choices and unsubscribe links for leader messages (`member`)."""

from innsiden.desk.views import leader, member

__all__ = ["leader", "member"]
