"""/utviklere/api: the API reference, rendered from the OpenAPI document on the server.

The problem types are listed here too (every `InnsidenError` code and the HTTP ones), each
at the anchor `problem-<code>` that a problem's `type` URI names."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from innsiden.apidocs.api import cached_document
from innsiden.errors import InnsidenError

bp = Blueprint("apidocs", __name__, url_prefix="/utviklere")

HTTP_PROBLEMS = (400, 403, 404, 405, 413, 429, 500)


def _error_classes(base: type[InnsidenError]) -> list[type[InnsidenError]]:
    found: list[type[InnsidenError]] = []
    for sub in base.__subclasses__():
        found += [sub, *_error_classes(sub)]
    return found


def problem_types() -> list[tuple[str, int, str]]:
    """(code, status, description) of every problem the API can answer, sorted by code."""
    rows: dict[str, tuple[str, int, str]] = {}
    for cls in _error_classes(InnsidenError):
        doc = (cls.__doc__ or "").strip().splitlines()
        rows.setdefault(cls.code, (cls.code, cls.status, doc[0] if doc else ""))
    for status in HTTP_PROBLEMS:
        code = f"http_{status}" if status != 500 else "internal_error"
        rows.setdefault(code, (code, status, ""))
    rows.setdefault("csrf_failed", ("csrf_failed", 400, ""))
    return sorted(rows.values())


def _operations(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The document's operations grouped by tag, each with its path and method."""
    by_tag: dict[str, list[dict[str, Any]]] = {}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            tag = operation["tags"][0]
            by_tag.setdefault(tag, []).append({"path": path, "method": method, **operation})
    return dict(sorted(by_tag.items()))


def schema_label(schema: dict[str, Any]) -> str:
    """A short type for a JSON Schema: `Thread`, `Thread[]`, `integer | null`, `object`."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            joiner = " & " if key == "allOf" else " | "
            return joiner.join(schema_label(part) for part in schema[key])
    kind = schema.get("type", "any")
    if kind == "array":
        return schema_label(schema.get("items", {})) + "[]"
    if isinstance(kind, list):
        return " | ".join(kind)
    if "enum" in schema:
        return " | ".join(repr(v) for v in schema["enum"])
    return str(kind)


@bp.get("/api")
def reference() -> str:
    document = cached_document()
    return render_template(
        "apidocs/reference.html",
        document=document,
        operations=_operations(document),
        schemas=document["components"]["schemas"],
        problems=problem_types(),
        schema_label=schema_label,
    )
