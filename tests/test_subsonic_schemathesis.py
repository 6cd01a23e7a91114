"""Schemathesis over ``/rest/``: no generated request gets a 5xx, a crash or an unknown code.

The OpenAPI description (``/rest/openapi.json``, ``webapp/subsonic/openapi.py``) lists
every registered method with its parameters. Requests run in-process, with alice's
API key and, in half the cases, real ids (songs, albums, artists, a playlist) behind
the id parameters, so they reach the handlers' checks instead of stopping at "not found".
"""

from __future__ import annotations

import logging

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from models import Playlist, PlaylistEntry
from tests.subsonic_world import sonic_data_dir, sonic_fixture  # noqa: F401 (fixtures)
from webapp.subsonic.openapi import build_spec
from webapp.subsonic.registry import ENDPOINTS
from webapp.subsonic.responses import ERROR_CODES

SPEC = build_spec("test")
OPERATIONS = sorted(SPEC["paths"])
EXAMPLES = 25
BINARY = ("stream", "download", "getCoverArt")
SONG_KEYS = ("id", "startSongId", "endSongId", "songId", "songIdToAdd")


def test_the_description_is_served_valid_and_complete(client):
    document = client.get("/rest/openapi.json").get_json()
    schemathesis.openapi.from_dict(document).validate()
    assert {p.removeprefix("/rest/") for p in document["paths"]} == set(ENDPOINTS)


@pytest.fixture
def rest_world(app, sonic, monkeypatch):
    from tasks import celery
    from webapp.subsonic import library, mood

    monkeypatch.setattr(mood, "WAIT_S", 0.2)  # no worker here: "not ready" (code 0) at once
    playlist = Playlist(id="pl-fuzz", owner="user-alice", name="Fuzz").save()
    for key, track in zip("abc", sonic["tracks"][:3], strict=True):
        PlaylistEntry(playlist=playlist, track=track, order_key=key).save()
    with app.app_context():
        lib = library.view()
    yield {
        "key": sonic["alice_key"],
        "songs": [t.id for t in sonic["tracks"]],
        "album": next(iter(lib.albums)),
        "artist": next(iter(lib.artists)),
    }
    celery.control.purge()  # scans and mood chains queued by the run: no worker takes them


def _with_real_ids(case, world: dict):
    query = case.query or {}
    for name in SONG_KEYS:
        if name in query:
            many = isinstance(query[name], list)
            query[name] = [world["songs"][1]] if many else world["songs"][0]
    if "startSongId" in query:
        query["endSongId"] = world["songs"][7]
    if "playlistId" in query:
        query["playlistId"] = "pl-fuzz"
    if case.path.endswith(("getPlaylist", "deletePlaylist")):
        query["id"] = "pl-fuzz"
    if case.path.endswith(("getArtist", "getMusicDirectory")):
        query["id"] = world["artist"]
    if case.path.endswith("getAlbum"):
        query["id"] = world["album"]
    case.query = query
    return case


def _answers_by_the_book(response, method: str) -> None:
    if method in BINARY and response.status_code in (200, 206) and not response.is_json:
        assert response.mimetype.startswith(("audio/", "image/")), response.mimetype
        return
    assert response.is_json, (method, response.status_code, response.get_data(as_text=True)[:200])
    body = response.get_json()["subsonic-response"]
    assert body["version"] == "1.16.1"
    if body["status"] == "failed":
        assert body["error"]["code"] in ERROR_CODES, body
    else:
        assert body["status"] == "ok" and response.status_code == 200


@pytest.mark.slow
@pytest.mark.parametrize("path", OPERATIONS)
def test_no_generated_request_gets_a_server_error(app, rest_world, path, caplog):
    operation = schemathesis.openapi.from_dict(SPEC)[path]["GET"]
    method = path.removeprefix("/rest/")
    variants = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        variants.append(operation.as_strategy(generation_mode=mode))
        variants.append(operation.as_strategy(generation_mode=mode).map(
            lambda case: _with_real_ids(case, rest_world)))  # fmt: skip
    client = app.test_client()

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=st.one_of(variants))
    def check(case):
        query = {**(case.query or {}), "apiKey": rest_world["key"], "f": "json"}
        response = client.get(path, query_string=query)
        assert response.status_code < 500
        _answers_by_the_book(response, method)
        # A crash is answered as code 0 too (never a 500): the log tells them apart.
        crashes = [r for r in caplog.records if r.name == "webapp.subsonic.routes"]
        assert not crashes, (query, crashes[0].getMessage(), crashes[0].exc_text)

    with caplog.at_level(logging.ERROR, logger="webapp.subsonic.routes"):
        check()
