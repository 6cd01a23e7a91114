"""``index.rebuild``: full builds, incremental appends, and when it refuses to append."""

from __future__ import annotations

import json

import pytest

from core.catalog import CatalogCache
from models import IndexBuild, Track
from models.index_build import DatabaseSource
from tasks.analysis_progress import mark_index_stale
from tasks.catalog import rebuild_index
from tests.factories import add_analysed_tracks


@pytest.fixture
def fresh_index(app, redis_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    import redis

    redis.Redis.from_url(redis_url).delete("moodroom:index:built-generation")  # fmt: skip
    return tmp_path


def finish(tracks):
    """What analysis.analyse_track does when tracks finish."""
    generation = mark_index_stale()
    Track.objects(id__in=[t.id for t in tracks]).update(set__analysis__generation=generation)


def test_new_tracks_are_appended_then_a_big_change_rebuilds(fresh_index):
    finish(add_analysed_tracks(100, seed=1))
    first = rebuild_index.apply().get()
    assert first["incremental"] is False and first["tracks"] == 100
    assert rebuild_index.apply().get() == {"rebuilt": False, "version": first["version"]}

    finish(add_analysed_tracks(5, seed=2))
    second = rebuild_index.apply().get()
    assert second["incremental"] is True and second["tracks"] == 105 and second["added"] == 5
    catalog, index = CatalogCache(fresh_index / "other", DatabaseSource()).get()
    assert len(catalog) == 105 and index.size == 105
    earlier = json.loads(IndexBuild.objects.get(version=first["version"]).manifest)
    assert catalog.space.to_dict() == earlier["space"]

    finish(add_analysed_tracks(40, seed=3))
    third = rebuild_index.apply().get()
    assert third["incremental"] is False and third["tracks"] == 145


def test_a_reanalysed_track_forces_a_full_rebuild(fresh_index):
    tracks = add_analysed_tracks(50, seed=4)
    finish(tracks)
    rebuild_index.apply().get()
    finish(tracks[:1] + add_analysed_tracks(2, seed=5))
    assert rebuild_index.apply().get()["incremental"] is False
