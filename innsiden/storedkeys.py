"""Which columns hold storage keys: each capability that stores bytes names its columns here
(beside its models), so the orphan sweeper knows every key a row may point at."""

from __future__ import annotations

from typing import Any

_columns: list[Any] = []


def stored_keys(*columns: Any) -> None:
    """Register mapped columns (e.g. `FileVersion.storage_key`) whose values are storage keys."""
    _columns.extend(column for column in columns if column not in _columns)


def key_columns() -> list[Any]:
    return list(_columns)
