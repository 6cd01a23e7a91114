"""Editors' tempo/key corrections: kept apart from analysis, shown with who, used by generation."""

from __future__ import annotations

import time

import pytest

from models import Track, TrackCorrection, User
from tests.audio_factory import make_known_tracks

pytestmark = pytest.mark.slow


@pytest.fixture
def analysed(app, celery_worker, tmp_path, monkeypatch):
    """Twelve real files of known tempo and key, scanned and analysed by the worker."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    app.test_cli_runner().invoke(args=["seed"])
    folder = tmp_path / "music"
    folder.mkdir()
    make_known_tracks(folder, n=12, seconds=20)
    from tasks.catalog import rebuild_index
    from tasks.library import scan_root
    from tasks.moods import catalog_cache

    scan_root.delay(str(folder)).get(timeout=120)
    deadline = time.monotonic() + 300
    while Track.objects(analysis__status__in=["pending", "processing"]).count():
        assert time.monotonic() < deadline, "analysis did not finish"
        time.sleep(0.5)
    assert Track.objects(analysis__status="done").count() == 12
    rebuild_index.delay(force=True).get(timeout=120)
    catalog_cache.cache_clear()
    yield {t.tags.title: t for t in Track.objects}
    catalog_cache.cache_clear()


def signed_in(app, username: str):
    client = app.test_client()
    client.post("/auth/login", data={"username": username, "password": "correct horse"})
    return client


def generate(client, text: str) -> dict:
    session = client.post("/api/moods/generate", json={"text": text}).get_json()["session"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        body = client.get(f"/api/generations/{session}").get_json()
        if body["status"] in ("completed", "failed"):
            assert body["status"] == "completed", body
            return body
        time.sleep(0.2)
    pytest.fail("generation did not finish")


def ids_for(client, text: str, track_id: str, present: bool, timeout: float = 90) -> dict:
    """Generate until ``track_id`` is (or is not) in the playlist: the catalog rebuilds
    in the background after a correction."""
    deadline = time.monotonic() + timeout
    while True:
        body = generate(client, text)
        if (track_id in [t["id"] for t in body["tracks"]]) == present:
            return body
        assert time.monotonic() < deadline, body["tracks"]
        time.sleep(1)


def test_a_correction_survives_reanalysis_and_changes_the_next_generation(app, make_user, analysed):
    from tasks.analysis import analyse_track
    from tasks.catalog import rebuild_index

    make_user("ed", library_editor=True)
    client = signed_in(app, "ed")
    fast = analysed["Song 03"]  # rendered at 160 BPM, C major
    assert fast.features.bpm > 140
    before = generate(client, "around 72 bpm, 3 songs")
    assert fast.id not in [t["id"] for t in before["tracks"]]

    response = client.post(f"/api/tracks/{fast.id}/correction",
                           json={"bpm": 72, "reason": "counted it by hand"})  # fmt: skip
    assert response.status_code == 201, response.get_json()
    effective = response.get_json()["effective"]["bpm"]
    assert effective["value"] == 72 and effective["by_name"] == "ed"
    after = ids_for(client, "around 72 bpm, 3 songs", fast.id, present=True)
    row = next(t for t in after["tracks"] if t["id"] == fast.id)
    assert row["bpm"] == 72 and row["corrected"] == ["bpm"]
    assert "72 BPM" in row["reason"]  # reasons use the corrected tempo
    assert [t["id"] for t in after["tracks"]] != [t["id"] for t in before["tracks"]]

    # Analysed again (its file changed, or the analyzer was upgraded): the analysis keeps
    # its own tempo, the correction still wins.
    Track.objects(id=fast.id).update(set__analysis__status="pending")
    assert analyse_track.delay(fast.id).get(timeout=120) == "done"
    assert Track.objects.get(id=fast.id).features.bpm > 140
    rebuild_index.delay(force=True).get(timeout=120)
    again = generate(client, "around 72 bpm, 3 songs")
    assert fast.id in [t["id"] for t in again["tracks"]]
    page = client.get("/library").get_data(as_text=True)
    assert "corrected by ed: counted it by hand" in page


def test_only_editors_correct_and_input_is_checked(app, make_user, analysed):
    make_user("ed", library_editor=True)
    make_user("vi")
    track = analysed["Song 00"]
    url = f"/api/tracks/{track.id}/correction"
    viewer = signed_in(app, "vi")
    assert viewer.post(url, json={"bpm": 90, "reason": "x"}).status_code == 403
    editor = signed_in(app, "ed")
    bad = [
        {"reason": "nothing to correct"},
        {"bpm": 900, "reason": "too fast"},
        {"bpm": True, "reason": "not a number"},
        {"bpm": 90},
        {"bpm": 90, "reason": "   "},
        {"key": "H", "scale": "minor", "reason": "no such note"},
        {"key": "A", "reason": "no mode"},
        {"key": "A", "scale": "dorian", "reason": "unknown mode"},
        "just text",
    ]
    for body in bad:
        assert editor.post(url, json=body).status_code == 400, body
    assert (
        editor.post("/api/tracks/nope/correction", json={"bpm": 90, "reason": "x"}).status_code
        == 404
    )
    assert TrackCorrection.objects.count() == 0

    assert (
        editor.post(url, json={"key": "bb", "scale": "minor", "reason": "by ear"}).status_code
        == 201
    )
    assert editor.post(url, json={"bpm": 75, "reason": "half time"}).status_code == 201
    history = viewer.get(f"/api/tracks/{track.id}/corrections").get_json()
    assert [h["reason"] for h in history["history"]] == ["half time", "by ear"]
    assert history["effective"]["key"]["value"] == "Bb"  # both fields stay corrected
    assert history["effective"]["bpm"]["value"] == 75
    assert all(h["by_name"] == "ed" for h in history["history"])
    # The analysis itself is untouched.
    assert Track.objects.get(id=track.id).features.key == track.features.key
    User.objects(username="ed").delete()  # a deleted editor's corrections stay, unsigned
    TrackCorrection.objects.update(set__by=None)
    assert viewer.get(f"/api/tracks/{track.id}/corrections").get_json()["history"][0][
        "by_name"] == "a former member"  # fmt: skip
