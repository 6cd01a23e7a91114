"""``GET /api/openapi.json``, and the request body checks every route shares."""

from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, current_app, jsonify

from webapp.api.bodies import check_body
from webapp.api.openapi import build_spec

bp = Blueprint("api", __name__)
bp.before_app_request(check_body)


@lru_cache(maxsize=4)
def _spec(version: str) -> dict:
    return build_spec(version)


@bp.get("/api/openapi.json")
def openapi():
    """The OpenAPI 3 document of the JSON API (public: it describes, it reveals no data)."""
    return jsonify(_spec(current_app.config["VERSION"]))
