"""Validate a JSON view's input with marshmallow, and record what the view takes and answers.

``@body`` and ``@arguments`` load the request with a schema and pass the view the loaded
dict (before its path parameters); a refusal raises ``ValidationError``, which
``webapp/errors.py`` answers as a 400. ``@response`` and ``@other_responses`` only
describe. Each decorator leaves its facts in the view's ``api_facts`` dict, from which
``webapp/api/openapi.py`` writes the OpenAPI document: one source for the checks and the
contract.
"""

from __future__ import annotations

from functools import wraps

from flask import request
from marshmallow import Schema, ValidationError

JSON = "application/json"


def api_facts(view) -> dict:
    """What the decorators recorded about ``view`` (``functools.wraps`` carries it outward)."""
    return view.__dict__.setdefault("api_facts", {})


def body(schema: type[Schema]):
    """Load the JSON body with ``schema``; the view gets the loaded dict first."""

    def decorator(view):
        @wraps(view)
        def loaded(*args, **kwargs):
            return view(load_body(schema), *args, **kwargs)

        api_facts(loaded)["body"] = schema
        return loaded

    return decorator


def arguments(schema: type[Schema], location: str = "query"):
    """Load the query string (or the ``headers``) with ``schema``; the view gets the dict."""

    def decorator(view):
        @wraps(view)
        def loaded(*args, **kwargs):
            source = request.args if location == "query" else request.headers
            return view(schema().load(dict(source)), *args, **kwargs)

        api_facts(loaded).setdefault("arguments", []).append((schema, location))
        return loaded

    return decorator


def response(
    schema: type[Schema] | dict,
    status: int = 200,
    description: str = "",
    media=JSON,
    errors: tuple[int, ...] = (),
):
    """Describe the success answer (the view still builds it) and the shared ``errors``."""

    def decorator(view):
        api_facts(view).setdefault("responses", {})[status] = (schema, description, media)
        return other_responses(*errors)(view)

    return decorator


def other_responses(*answers: int | dict[int, str]):
    """Describe other answers: shared error codes (``404``) or ``{206: "description"}``."""

    def decorator(view):
        facts = api_facts(view).setdefault("other", {})
        for answer in answers:
            facts.update(answer if isinstance(answer, dict) else {answer: None})
        return view

    return decorator


def required_fields(schema: type[Schema]) -> list[str]:
    """The JSON names of the fields ``schema`` requires."""
    return [f.data_key or name for name, f in schema().fields.items() if f.required]


def load_body(schema: type[Schema]) -> dict:
    """The request's JSON object loaded with ``schema``; no body counts as ``{}`` when every
    field is optional."""
    data = request.get_json(silent=True)
    needed = required_fields(schema)
    if data is None and not needed:
        data = {}
    if not isinstance(data, dict):
        fields = " and ".join(f"'{name}'" for name in needed)
        raise ValidationError(
            f"Send a JSON object with {fields}." if needed else "Send a JSON object."
        )
    return schema().load(data)
