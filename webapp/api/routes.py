"""``GET /api/openapi.json``, and the request body checks every route shares."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from webapp.api.bodies import check_body
from webapp.api.openapi import OPENAPI_DOCUMENT, build_spec
from webapp.validation import response

bp = Blueprint("api", __name__)
bp.before_app_request(check_body)


@bp.get("/api/openapi.json")
@response(OPENAPI_DOCUMENT, description="OpenAPI 3.0")
def openapi():
    """This document (public: it describes, it reveals no data)."""
    app = current_app._get_current_object()
    if "openapi" not in app.extensions:  # written once per app: the routes do not change
        app.extensions["openapi"] = build_spec(app)
    return jsonify(app.extensions["openapi"])
