"""Request bodies no view can use get a clear 4xx and store nothing.

Each case here crashed with a 500 (or was stored) before ``webapp/api/bodies.py``;
``MAX_CONTENT_LENGTH`` is the 2 MB limit of docs/security.md.
"""

from __future__ import annotations

import json

import pytest

from models import FeedbackEvent, MoodQuery
from tests.api_world import (
    api_document,
    stored_counts,
    world_fixture,  # noqa: F401 (the ``world`` fixture)
)


class _AnyId(dict):
    def __missing__(self, name: str) -> str:  # {session_id} -> "session-1", any new id too
        return name.removesuffix("_id") + "-1"


JSON_BODY_ROUTES = sorted(
    path.format_map(_AnyId())
    for path, operations in api_document()["paths"].items()
    if "requestBody" in operations.get("post", {})
)
DEEP = "[" * 5000 + "]" * 5000


def test_an_oversized_json_body_gets_413_naming_the_limit_and_stores_nothing(client, world):
    body = {"event": "like", "track_id": world["tracks"][0], "padding": "x" * (2 * 2**20)}
    before = stored_counts()
    response = client.post("/api/feedback", json=body)
    assert response.status_code == 413
    assert "the limit is 2 MB" in response.get_json()["error"]
    assert stored_counts() == before and FeedbackEvent.objects(event="like").count() == 4
    # Just under the limit, the same call is accepted: the limit is what refused it.
    body["padding"] = "x" * (2**20)
    assert client.post("/api/feedback", json=body).status_code == 201


def test_an_oversized_form_gets_the_413_page(client, world):
    response = client.post("/auth/login", data={"username": "a" * (3 * 2**20)})
    assert response.status_code == 413
    assert "the limit is 2 MB" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", JSON_BODY_ROUTES)
def test_json_nested_too_deeply_is_refused(client, world, path):
    before = stored_counts()
    response = client.post(path, data=DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"] == "The JSON is nested too deeply."
    assert stored_counts() == before


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/moods/generate", {"text": "calm \ud800 night"}),
        ("/api/feedback", {"event": "play", "track_id": "TRACK", "context": {"page": "\udfff"}}),
        ("/api/blends", {"members": [{"user_id": "user-bob"}], "name": "Us \ud83d"}),
        ("/api/generations/session-1/save", {"name": "Mine \ud800"}),
        ("/api/feedback", {"event": "play", "track_id": "TRACK", "context": {"\ud800": "x"}}),
    ],
)
def test_text_that_cannot_be_stored_is_refused(client, world, path, body):
    """Lone surrogates are valid JSON escapes but not storable text (BSON is UTF-8)."""
    raw = json.dumps(body).replace("TRACK", world["tracks"][0])
    before = stored_counts()
    response = client.post(path, data=raw, content_type="application/json")
    assert response.status_code == 400
    assert "not valid Unicode" in response.get_json()["error"]
    assert stored_counts() == before


def test_real_characters_beyond_the_basic_plane_are_kept(client, world):
    response = client.post("/api/moods/generate", json={"text": "calm night 🌙"})
    assert response.status_code == 202
    assert MoodQuery.objects(text="calm night 🌙").count() == 1


def test_a_boolean_is_not_a_count(client, world):
    response = client.post("/api/moods/generate", json={"text": "calm", "count": True})
    assert response.status_code == 400 and "'count'" in response.get_json()["error"]
    assert MoodQuery.objects(text="calm").count() == 0
