"""Shared fixtures for the Subsonic tests: people, API keys, analysed tracks with audio."""

from __future__ import annotations

import pytest

from models import ApiKey
from tests.factories import add_analysed_tracks


@pytest.fixture
def sonic_data_dir(tmp_path):
    """Where the catalog is built (a live server's module overrides it with its own)."""
    return tmp_path / "data"


@pytest.fixture(name="sonic")
def sonic_fixture(app, make_user, sonic_data_dir, monkeypatch):
    """alice (admin) with an API key, bob, 40 analysed tracks with audio, and a catalog."""
    from tasks.analysis_progress import mark_index_stale
    from tasks.catalog import rebuild_index
    from tasks.moods import catalog_cache as worker_catalog
    from webapp.catalog import catalog_cache
    from webapp.subsonic import library

    monkeypatch.setenv("DATA_DIR", str(sonic_data_dir))
    alice = make_user("alice", id="user-alice", is_admin=True)
    bob = make_user("bob", id="user-bob")
    _, alice_key = ApiKey.issue(alice.id, "phone")
    _, bob_key = ApiKey.issue(bob.id, "desktop")
    audio_dir = app.config["MUSIC_DIRS"][0] / "subsonic"
    tracks = add_analysed_tracks(40, seed=7, audio_dir=audio_dir)
    rebuild_index.apply(kwargs={"force": True}).get()
    mark_index_stale()  # as a finished analysis does: servers regroup artists and albums
    catalog_cache.cache_clear()
    worker_catalog.cache_clear()  # a worker thread in this process keeps its own
    library.forget()
    yield {"alice": alice, "bob": bob, "alice_key": alice_key, "bob_key": bob_key,
           "tracks": tracks}  # fmt: skip
    catalog_cache.cache_clear()
    worker_catalog.cache_clear()
    library.forget()


def call(client, method: str, key: str | None = None, **params):
    """GET /rest/<method>.view as JSON; the ``subsonic-response`` object."""
    if key is not None:
        params["apiKey"] = key
    response = client.get(f"/rest/{method}.view", query_string={"f": "json", **params})
    assert response.status_code == 200 and response.is_json, response.get_data(as_text=True)
    return response.get_json()["subsonic-response"]


def code_of(body: dict) -> int | None:
    return body["error"]["code"] if body["status"] == "failed" else None
