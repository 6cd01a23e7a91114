"""The OpenAPI document: served, valid, complete, and no generated request gets a 5xx.

Schemathesis runs in-process against the WSGI app, signed in, with real data behind the
path parameters (tracks with audio, a catalog, a completed generation, a playlist and a
blend I own), so generated requests reach the views' checks instead of stopping at 404.
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from tests.api_world import (
    api_document,
    world_fixture,  # noqa: F401 (the ``world`` fixture)
)

SPEC = api_document()
OPERATIONS = [
    f"{method.upper()} {path}"
    for path, operations in SPEC["paths"].items()
    for method in operations
    # /healthz takes no input, and its 503 without a Celery worker is the designed
    # answer (tests/test_health.py), not a crash.
    if path != "/healthz"
]
EXAMPLES = 40  # per operation; enough to cross every branch of the schemas' checks
# Every JSON body a route takes, by the schema that must check it: a view that loses its
# ``@body`` (or gets another schema) fails the test below.
REQUEST_SCHEMAS = {
    ("POST", "/api/moods/generate"): "MoodRequest",
    ("POST", "/api/feedback"): "Feedback",
    ("POST", "/api/generations/{session_id}/save"): "SaveRequest",
    ("POST", "/api/blends"): "BlendRequest",
    ("POST", "/api/blends/{blend_id}/invite"): "BlendInvite",
    ("POST", "/api/tracks/{track_id}/correction"): "CorrectionRequest",
    ("POST", "/api/playlists/{playlist_id}/tracks"): "AddTrack",
    ("POST", "/rooms/{playlist_id}/invites"): "InviteRequest",
    ("POST", "/rooms/{playlist_id}/visibility"): "Visibility",
}


def test_the_document_is_public_and_valid_openapi(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.is_json
    document = response.get_json()
    assert document["openapi"].startswith("3.0")
    assert set(document["components"]["securitySchemes"]) == {"session", "csrf"}
    schemathesis.openapi.from_dict(document).validate()  # raises on an invalid document


def test_every_api_rule_is_described(app):
    """Fails when a JSON route is added without describing it (or one is removed)."""
    described = {(m.upper(), path) for path, ops in SPEC["paths"].items() for m in ops}
    json_rules = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if path.startswith("/api/"):
                json_rules.add((method, path))
    missing = json_rules - described
    assert not missing, f"give these views a @response (webapp/validation.py): {sorted(missing)}"
    routes = {
        (m, re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", r.rule))
        for r in app.url_map.iter_rules()
        for m in r.methods
    }
    assert described <= routes, f"described but not routed: {sorted(described - routes)}"


def _rule_path(rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def test_each_request_body_is_the_schema_its_view_validates_with(app):
    """The document's request bodies are the views' ``@body`` schemas, field for field."""
    bodies = {}
    for rule in app.url_map.iter_rules():
        schema = getattr(app.view_functions[rule.endpoint], "api_facts", {}).get("body")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if schema is not None:
                bodies[(method, _rule_path(rule))] = schema
    assert {key: schema.__name__ for key, schema in bodies.items()} == REQUEST_SCHEMAS
    documented = {
        (method.upper(), path): operation["requestBody"]["content"]["application/json"]
        for path, operations in SPEC["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }
    assert set(documented) == set(REQUEST_SCHEMAS)
    for key, name in REQUEST_SCHEMAS.items():
        assert documented[key]["schema"] == {"$ref": f"#/components/schemas/{name}"}, key
        component = SPEC["components"]["schemas"][name]
        fields = {f.data_key or n for n, f in bodies[key]().fields.items()}
        assert set(component["properties"]) == fields, key


def _with_real_ids(case, world: dict):
    """Point ids inside a generated body at real documents, keeping everything else."""
    body = case.body
    if isinstance(body, dict):
        if isinstance(body.get("members"), list):
            for member, person in zip(body["members"], world["people"], strict=False):
                if isinstance(member, dict):
                    member["user_id"] = person
        if "track_id" in body:
            body["track_id"] = world["tracks"][3]
        if isinstance(body.get("context"), dict) and "playlist_id" in body["context"]:
            body["context"]["playlist_id"] = "playlist-1"
    return case


def _with_lone_surrogate(case):
    """Append ``\\ud800`` to the body's first text value: valid JSON, but not storable text.

    Schemathesis generates only encodable text; this variant keeps the run sensitive to the
    500s such text once caused (tests/test_request_bodies.py has the exact cases).
    """
    pending = [case.body]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pairs = list(item.items())
        elif isinstance(item, list):
            pairs = list(enumerate(item))
        else:
            continue
        for key, value in pairs:
            if isinstance(value, str):
                item[key] = value + "\ud800"
                return case
            pending.append(value)
    return case


@pytest.mark.slow
@pytest.mark.parametrize("label", OPERATIONS)
def test_no_generated_request_gets_a_server_error(app, world, label):
    method, path = label.split(" ", 1)
    operation = schemathesis.openapi.from_dict(SPEC)[path][method]
    declared = SPEC["paths"][path][method.lower()]
    names = {p["name"] for p in declared.get("parameters", [])}
    real = {
        "path_parameters": {k: v for k, v in world["path"].items() if k in names} or None,
        "query": {k: v for k, v in world["query"].items() if k in names} or None,
    }
    variants = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        variants.append(operation.as_strategy(generation_mode=mode))
        variants.append(
            operation.as_strategy(generation_mode=mode, **real).map(
                lambda case: _with_real_ids(case, world)
            )
        )
    if "requestBody" in declared:
        variants.append(
            operation.as_strategy(**real)
            .map(lambda case: _with_real_ids(case, world))
            .map(_with_lone_surrogate)
        )

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(variants))
    def check(case):
        # The signed-in cookie replaces whatever value was generated for the scheme.
        response = case.call(app=app, cookies={"session": world["cookie"]})
        case.validate_response(response, checks=[not_a_server_error])

    check()
