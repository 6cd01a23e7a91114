"""A signed-in person with real things behind every id the JSON API takes."""

from __future__ import annotations

import functools

import pytest

from models import (
    Blend,
    BlendMember,
    Candidate,
    FeedbackEvent,
    GenerationSession,
    MoodQuery,
    Playlist,
    PlaylistEntry,
)
from tests.factories import add_analysed_tracks


@pytest.fixture(name="world")
def world_fixture(app, client, make_user, login, tmp_path, monkeypatch):
    """Me (alice, signed in on ``client``), bob, 40 analysed tracks with audio and a catalog,
    a completed generation, a playlist with five entries and a blend of us two."""
    from tasks.catalog import rebuild_index
    from webapp.catalog import catalog_cache

    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    me, friend = make_user("alice", id="user-alice"), make_user("bob", id="user-bob")
    audio_dir = app.config["MUSIC_DIRS"][0] / "openapi"
    tracks = add_analysed_tracks(40, seed=11, audio_dir=audio_dir)
    rebuild_index.apply(kwargs={"force": True}).get()
    catalog_cache.cache_clear()
    ids = [t.id for t in tracks]
    for track in tracks[:4]:
        FeedbackEvent(user=me, track=track, event="like").save()
    query = MoodQuery(id="query-1", user=me, text="calm rainy sunday").save()
    GenerationSession(
        id="session-1", user=me, mood_query=query, status="completed", ordering=ids[:6],
        candidates=[Candidate(track_id=t, score=0.5, reason="fits") for t in ids[:6]],
    ).save()  # fmt: skip
    playlist = Playlist(id="playlist-1", owner=me, name="Mine").save()
    for key, track in zip("abcde", tracks[6:11], strict=True):
        PlaylistEntry(playlist=playlist, track=track, order_key=key, added_by=me).save()
    Blend(id="blend-1", owner=me, name="Us", count=6,
          members=[BlendMember(user=me), BlendMember(user=friend)]).save()  # fmt: skip
    login("alice")
    yield {
        "cookie": client.get_cookie("session").value,
        "path": {"session_id": "session-1", "track_id": ids[0], "playlist_id": "playlist-1",
                 "blend_id": "blend-1"},
        "query": {"from": ids[1], "to": ids[2]},
        "people": [friend.id, me.id],
        "tracks": ids,
    }  # fmt: skip
    catalog_cache.cache_clear()


@functools.cache
def api_document() -> dict:
    """The OpenAPI document, written from the views of an app on the test settings.

    Built at collection time (tests are parametrized by its operations): making the app
    touches no server, and the session's own ``app`` fixture has the same routes.
    """
    from webapp import create_app
    from webapp.api.openapi import build_spec
    from webapp.config import TestingConfig

    return build_spec(create_app(TestingConfig))


def stored_counts() -> dict[str, int]:
    """Documents per collection, to show that a refused request stored nothing."""
    from mongoengine.connection import get_db

    db = get_db()
    return {name: db[name].count_documents({}) for name in db.list_collection_names()}
