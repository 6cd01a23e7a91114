"""Mood mixes from any client: a fresh mood playlist for a text, saved ones and blends."""

from __future__ import annotations

import pytest

from models import Playlist
from tests.subsonic_world import call, code_of, sonic_data_dir, sonic_fixture  # noqa: F401
from tests.test_blends_web import accept

pytestmark = pytest.mark.slow


def test_get_mood_playlist_answers_a_fresh_playlist_and_saved_ones_and_blends_list(
    app, client, login, sonic, celery_worker
):
    app.test_cli_runner().invoke(args=["seed"])
    key = sonic["alice_key"]
    body = call(client, "getMoodPlaylist", key, text="calm rainy sunday morning", count=8)
    assert body["status"] == "ok", body
    fresh = body["playlist"]
    assert fresh["id"].startswith("mood-") and fresh["name"] == "calm rainy sunday morning"
    assert 1 <= fresh["songCount"] == len(fresh["entry"]) <= 8
    assert all(song["comment"] for song in fresh["entry"])  # each track's reason
    again = call(client, "getPlaylist", key, id=fresh["id"])["playlist"]
    assert [s["id"] for s in again["entry"]] == [s["id"] for s in fresh["entry"]]
    assert code_of(call(client, "getPlaylist", sonic["bob_key"], id=fresh["id"])) == 70
    assert code_of(call(client, "getMoodPlaylist", key, text="   ")) == 70

    login("alice")  # save it from the web page, and blend with bob
    session_id = fresh["id"].removeprefix("mood-")
    assert client.post(f"/api/generations/{session_id}/save", json={"name": "Sunday"}
                       ).status_code == 201  # fmt: skip
    blend = client.post("/api/blends", json={"name": "Us", "members": [{"user_id": "user-bob"}],
                                             "count": 6})  # fmt: skip
    assert blend.status_code == 201, blend.get_json()
    blend_id = blend.get_json()["blend"]
    accept(app, blend_id, "bob")  # a blend runs once its members have accepted
    assert client.post(f"/api/blends/{blend_id}/regenerate").status_code in (200, 201)
    mine = {p["name"] for p in call(client, "getPlaylists", key)["playlists"]["playlist"]}
    assert {"Sunday", "Us"} <= mine
    bobs = call(client, "getPlaylists", sonic["bob_key"])["playlists"]["playlist"]
    (shared,) = [p for p in bobs if p["name"] == "Us"]
    assert shared["owner"] == "alice" and shared["readonly"] is False  # a blend member edits
    assert shared["songCount"] == len(call(client, "getPlaylist", sonic["bob_key"],
                                           id=shared["id"])["playlist"]["entry"])  # fmt: skip
    assert Playlist.objects(name="Sunday").first().source_session.id == session_id
