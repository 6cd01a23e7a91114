"""One way to refuse a request: ``abort(code, description=...)`` or a schema's
``ValidationError``, answered as ``{"error": "..."}`` to JSON callers and as a page to others."""

from __future__ import annotations

from flask import Flask, jsonify, render_template
from marshmallow import ValidationError
from werkzeug.exceptions import BadRequest

from webapp.outages import wants_json

# 409 too: the JSON API answers "not possible in the current state" with it.
CODES = (400, 403, 404, 405, 409, 413, 429)


def install_error_handlers(app: Flask) -> None:
    """Answer ``CODES`` and every ``ValidationError`` through ``render_error``."""
    for code in CODES:
        app.register_error_handler(code, render_error)
    app.register_error_handler(
        ValidationError, lambda exc: render_error(BadRequest(first_message(exc.messages)))
    )


def render_error(error):
    code = getattr(error, "code", 500)
    if wants_json():  # the page's fetch calls read ``error`` (static/js/api.js)
        return jsonify(error=getattr(error, "description", None) or str(error)), code
    return render_template("error.html", code=code, error=error), code


def first_message(messages) -> str:
    """The first refusal, in the schema's field order (each field words its own)."""
    while not isinstance(messages, str):
        messages = next(iter(messages.values() if isinstance(messages, dict) else messages))
    return messages
