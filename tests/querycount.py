"""Counting the SQL statements a request runs (no N+1 queries on list pages)."""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    """Collect every statement the app's engine executes inside the block."""
    engine = app.extensions["innsiden.engine"]
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
