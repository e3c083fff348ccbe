"""The error a reader raises when a source cannot be read as a whole."""

from __future__ import annotations


class SourceError(Exception):
    """The source could not be read; nothing is applied.

    `bad_input` tells a scheduler whether the export itself is wrong (fix the data) or the
    source was unavailable (try again later).
    """

    def __init__(self, message: str, *, bad_input: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.bad_input = bad_input
