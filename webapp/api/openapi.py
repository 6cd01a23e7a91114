"""Write the OpenAPI 3 document from the routed views and what their decorators recorded.

Every view with ``webapp/validation.py`` facts is an operation: its request body, query
and header schemas, its answers, and (from ``login_required``) whether it needs a session.
"""

from __future__ import annotations

import inspect
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from flask_login import login_required

from webapp.api.components import RESPONSES, SECURITY_SCHEMES, describe_answers
from webapp.schemas.fields import Error
from webapp.validation import JSON, required_fields

INFO = {
    "description": "Calls made by Moodroom's pages. Sign in through the `POST /auth/login` "
    "form; the session cookie then authenticates, and every POST also sends the page's "
    'CSRF token in `X-CSRFToken` (from `<meta name="csrf-token">`).'
}
OPENAPI_DOCUMENT = {"type": "object"}  # the schema of this document, in itself
# Every login_required view shares this code object, whatever it wraps.
_SIGNED_IN_CODE = login_required(lambda: None).__code__


def build_spec(app: Flask) -> dict:
    """The whole document as a dict (JSON-ready)."""
    spec = APISpec(title="Moodroom JSON API", version=app.config["VERSION"],
                   openapi_version="3.0.3", info=INFO, plugins=[MarshmallowPlugin()])  # fmt: skip
    for name, scheme in SECURITY_SCHEMES.items():
        spec.components.security_scheme(name, scheme)
    spec.components.schema("Error", schema=Error)
    for code, answer in RESPONSES.items():
        spec.components.response(code, answer)
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        if not getattr(view, "api_facts", None):  # not a described JSON view
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(view, rule, method)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def _operation(view, rule, method: str) -> dict:
    facts = view.api_facts
    summary, _, description = (inspect.getdoc(view) or "").partition("\n\n")
    signed_in = _needs_session(view)
    operation = {
        "tags": [rule.endpoint.split(".")[0]],
        "summary": " ".join(summary.split()),
        "security": [] if not signed_in else
        [{"session": [], "csrf": []}] if method == "POST" else [{"session": []}],
        "parameters": [{"name": name, "in": "path", "required": True,
                        "schema": {"type": "string"}} for name in sorted(rule.arguments)]
        + [{"in": location, "schema": schema} for schema, location in facts.get("arguments", [])],
    }  # fmt: skip
    if description.strip():
        operation["description"] = description.strip()
    other = dict(facts.get("other", {}))
    if signed_in:
        other.setdefault(401, None)
    if "arguments" in facts:
        other.setdefault(400, None)
    if "body" in facts:
        schema = facts["body"]
        operation["requestBody"] = {
            "required": bool(required_fields(schema)),
            "content": {JSON: {"schema": schema}},
        }
        other.setdefault(400, None)
        other.setdefault(413, None)
    operation["responses"] = describe_answers(facts.get("responses", {}), other)
    return operation


def _needs_session(view) -> bool:
    while view is not None:
        if getattr(view, "__code__", None) is _SIGNED_IN_CODE:
            return True
        view = getattr(view, "__wrapped__", None)
    return False
