"""GET /api/v1/openapi.json: the OpenAPI 3.1 document of every /api/v1 route."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from pydantic import BaseModel, ConfigDict
from werkzeug import Response

from innsiden import openapi

bp = Blueprint("apidocs_api", __name__, url_prefix="/api/v1")

_DOCUMENT_KEY = "innsiden.openapi"


class OpenApiDocument(BaseModel):
    """An OpenAPI 3.1 document (its full schema is the OpenAPI specification's own)."""

    model_config = ConfigDict(extra="allow")

    openapi: str
    info: dict[str, Any]
    paths: dict[str, Any]
    components: dict[str, Any]


def cached_document() -> dict[str, Any]:
    """The document, built once per app (routes do not change while it runs)."""
    extensions = current_app.extensions
    if _DOCUMENT_KEY not in extensions:
        extensions[_DOCUMENT_KEY] = openapi.document(current_app)
    return extensions[_DOCUMENT_KEY]


@bp.get("/openapi.json")
@openapi.describe("This document: the OpenAPI 3.1 description of /api/v1", response=OpenApiDocument)
def document() -> Response:
    return jsonify(cached_document())
