"""The OpenAPI 3.1 description of /api/v1, generated from the app's own URL rules.

Every /api/v1 rule becomes an operation, so nothing can be routed and undescribed. A route
says more about itself with `@describe(...)` next to its definition: a summary, the pydantic
models of its query string, its JSON body and its answer, and whether it is a paged list (the
one shape of `innsiden.listing`). A route without `describe` is still documented, from its
docstring, with an answer of "a JSON object". Every operation may answer with problem details
(`innsiden.errors`). Pydantic is the only library this module uses to describe data; its
JSON Schema (draft 2020-12) is what OpenAPI 3.1 speaks.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import models_json_schema

API_PREFIX = "/api/v1"
API_VERSION = "1.0.0"
SKIPPED_METHODS = frozenset({"HEAD", "OPTIONS"})
SCHEMA_REF = "#/components/schemas/{model}"

View = TypeVar("View", bound=Callable[..., Any])


class Problem(BaseModel):
    """RFC 9457 problem details, with the portal's machine `code` as an extension member."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="A URI naming the problem type (its entry in the reference)")
    title: str = Field(description="The HTTP status phrase")
    status: int
    detail: str = Field(description="What went wrong, for a person, in the member's language")
    code: str = Field(description="Stable machine code, e.g. not_found, validation_failed")
    fields: dict[str, str] | None = Field(
        default=None, description="Per input field: what is wrong with it"
    )


@dataclass(frozen=True)
class Operation:
    summary: str | None = None
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    paged: str | None = None  # the list's name when the answer is a paged list
    download: bool = False  # the answer is a file's bytes (or a redirect to them), not JSON


def describe(
    summary: str | None = None,
    *,
    query: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    paged: str | None = None,
    download: bool = False,
) -> Callable[[View], View]:
    """Describe an API route for the OpenAPI document (put it under the route decorator)."""

    def mark(view: View) -> View:
        view.innsiden_openapi = Operation(  # type: ignore[attr-defined]
            summary, query, body, response, status, paged, download
        )
        return view

    return mark


_CONVERTER = re.compile(r"<(?:(?P<converter>[a-z]+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
_PARAMETER_TYPES = {"int": "integer", "float": "number"}
_ERROR_STATUSES = {
    "400": "The request was refused: nothing was changed",
    "401": "No member: log in, or send a valid `Authorization: Bearer` token",
    "403": "Not allowed (or the token lacks the write scope)",
    "404": "Not found, or not visible to this member",
    "409": "The state changed: someone saved since, or it is already done (writes only)",
    "429": "Too many requests",
}
# A read changes nothing, so it never conflicts with another change.
_WRITE_ONLY_STATUSES = frozenset({"409"})


def openapi_path(rule: str) -> str:
    """Werkzeug's `/groups/<int:group_id>` as OpenAPI's `/groups/{group_id}`."""
    return _CONVERTER.sub(lambda m: "{" + m.group("name") + "}", rule)


def _path_parameters(rule: str) -> list[dict[str, Any]]:
    return [
        {
            "name": m.group("name"),
            "in": "path",
            "required": True,
            "schema": {"type": _PARAMETER_TYPES.get(m.group("converter") or "", "string")},
        }
        for m in _CONVERTER.finditer(rule)
    ]


def _query_parameters(model: type[BaseModel] | None, paged: bool) -> list[dict[str, Any]]:
    parameters = []
    if model is not None:
        properties = model.model_json_schema()["properties"]
        for field_name, info in model.model_fields.items():
            name = info.alias or field_name
            schema = _without_null(properties[name])
            parameter: dict[str, Any] = {"name": name, "in": "query", "schema": schema}
            if info.description:
                parameter["description"] = info.description
            parameter["required"] = info.is_required()
            parameters.append(parameter)
    if paged:
        parameters.append({"$ref": "#/components/parameters/Cursor"})
    return parameters


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter's schema without pydantic's `| None`: an absent parameter is its null."""
    variants = [v for v in schema.get("anyOf", []) if v.get("type") != "null"]
    if len(variants) != 1:
        return schema
    rest = {k: v for k, v in schema.items() if k not in {"anyOf", "default"}}
    return {**rest, **variants[0]}


def _summary(view: Callable[..., Any], operation: Operation, endpoint: str) -> str:
    if operation.summary:
        return operation.summary
    doc = inspect.getdoc(view)
    if doc:
        return doc.strip().splitlines()[0]
    return endpoint.split(".")[-1].replace("_", " ").capitalize()


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _answer_schema(operation: Operation) -> dict[str, Any]:
    if operation.response is not None:
        schema: dict[str, Any] = {"$ref": SCHEMA_REF.format(model=operation.response.__name__)}
    else:
        schema = {"type": "object"}
    if operation.paged:
        return {
            "allOf": [
                schema,
                {
                    "type": "object",
                    "required": [operation.paged, "next"],
                    "properties": {"next": {"$ref": "#/components/schemas/NextCursor"}},
                },
            ]
        }
    return schema


def _success(operation: Operation) -> dict[str, Any]:
    """The operation's 2xx answer: JSON of its declared schema, or a file's bytes."""
    if operation.download:
        return {
            str(operation.status): {
                "description": "The file's bytes",
                "content": {
                    "application/octet-stream": {
                        "schema": {"type": "string", "contentMediaType": "application/octet-stream"}
                    }
                },
            },
            "302": {"description": "A short-lived link to the bytes in object storage"},
        }
    return {
        str(operation.status): {"description": "OK", "content": _json(_answer_schema(operation))}
    }


def _operation(
    rule_text: str, method: str, endpoint: str, view: Callable[..., Any], operation_id: str
) -> tuple[dict[str, Any], list[type[BaseModel]]]:
    operation: Operation = getattr(view, "innsiden_openapi", None) or Operation()
    blueprint = endpoint.split(".")[0]
    doc: dict[str, Any] = {
        "operationId": operation_id,
        "summary": _summary(view, operation, endpoint),
        "tags": [blueprint.removesuffix("_api")],
        "responses": {
            **_success(operation),
            **{
                status: {"$ref": f"#/components/responses/Problem{status}"}
                for status in _ERROR_STATUSES
                if method != "GET" or status not in _WRITE_ONLY_STATUSES
            },
        },
    }
    parameters = _path_parameters(rule_text) + _query_parameters(
        operation.query, bool(operation.paged)
    )
    if parameters:
        doc["parameters"] = parameters
    if operation.body is not None:
        ref = SCHEMA_REF.format(model=operation.body.__name__)
        doc["requestBody"] = {"required": True, "content": _json({"$ref": ref})}
    models = [m for m in (operation.body, operation.response) if m is not None]
    return doc, models


def api_rules(app: Flask) -> list[Any]:
    """The app's /api/v1 URL rules, in a stable order."""
    return sorted(
        (r for r in app.url_map.iter_rules() if r.rule.startswith(API_PREFIX + "/")),
        key=lambda r: (r.rule, r.endpoint),
    )


def document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every /api/v1 route of `app`."""
    paths: dict[str, dict[str, Any]] = {}
    models: list[type[BaseModel]] = [Problem]
    for rule in api_rules(app):
        view = app.view_functions[rule.endpoint]
        methods = sorted(set(rule.methods or ()) - SKIPPED_METHODS)
        for method in methods:
            operation_id = f"{rule.endpoint.replace('.', '_')}_{method.lower()}"
            item = paths.setdefault(openapi_path(rule.rule.removeprefix(API_PREFIX)), {})
            item[method.lower()], used = _operation(
                rule.rule, method, rule.endpoint, view, operation_id
            )
            models.extend(used)
    _unique_operation_ids(paths)
    by_name: dict[str, type[BaseModel]] = {}
    for model in models:
        if by_name.setdefault(model.__name__, model) is not model:
            raise TypeError(f"two API models are named {model.__name__}: rename one")
    unique = list(by_name.values())
    _, schemas = models_json_schema([(m, "serialization") for m in unique], ref_template=SCHEMA_REF)
    components = schemas.get("$defs", {})
    components["NextCursor"] = {
        "type": ["integer", "null"],
        "description": "The cursor of the next page (pass it back as ?cursor=), null on the last",
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Innsiden API",
            "version": API_VERSION,
            "description": (
                "The members' portal as JSON. Authenticate with a personal access token "
                "(`Authorization: Bearer inn_…`, made under Min profil → API-nøkler) or, "
                "from the portal's own pages, the session cookie. Errors are RFC 9457 "
                "problem details; paged lists carry `next`, passed back as `?cursor=`."
            ),
        },
        "servers": [{"url": API_PREFIX}],
        "security": [{"bearerToken": []}, {"sessionCookie": []}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": components,
            "parameters": {
                "Cursor": {
                    "name": "cursor",
                    "in": "query",
                    "required": False,
                    "description": "The `next` of the previous page",
                    "schema": {"type": "integer", "minimum": 0},
                }
            },
            "responses": {
                f"Problem{status}": {
                    "description": description,
                    "content": {
                        "application/problem+json": {
                            "schema": {"$ref": SCHEMA_REF.format(model="Problem")}
                        }
                    },
                }
                for status, description in _ERROR_STATUSES.items()
            },
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal access token; read-only unless given write scopes",
                },
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }


def _unique_operation_ids(paths: dict[str, dict[str, Any]]) -> None:
    seen: dict[str, int] = {}
    for item in paths.values():
        for operation in item.values():
            base = operation["operationId"]
            seen[base] = seen.get(base, 0) + 1
            if seen[base] > 1:
                operation["operationId"] = f"{base}_{seen[base]}"
