"""Mood search end to end: HTTP -> Celery chain (parse, rank, order) -> saved playlist."""

from __future__ import annotations

import json
import time

import pytest

from models import GenerationSession, MoodQuery, Playlist, PlaylistEntry, Track
from tests.factories import add_analysed_tracks

pytestmark = pytest.mark.slow


@pytest.fixture
def library(app, celery_worker):
    app.test_cli_runner().invoke(args=["seed"])
    add_analysed_tracks(400)
    from tasks.catalog import rebuild_index

    assert rebuild_index.delay(force=True).get(timeout=120)["tracks"] == 400


def wait_for(client, session_id: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/api/generations/{session_id}").get_json()
        if body["status"] in ("completed", "failed"):
            return body
        time.sleep(0.2)
    pytest.fail("generation did not finish")


def test_mood_query_becomes_an_ordered_explained_playlist(client, make_user, login, library):
    make_user()
    login()
    response = client.post(
        "/api/moods/generate", json={"text": "calm rainy sunday morning, 40 minutes, no metal"}
    )
    assert response.status_code == 202, response.get_json()
    body = wait_for(client, response.get_json()["session"])
    assert body["status"] == "completed", body
    assert "rainy_day" in body["parsed"]["moods"]
    assert body["parsed"]["length"] == {"minutes": 40.0}
    minutes = sum(t["duration"] for t in body["tracks"]) / 60
    assert 33 <= minutes <= 47
    assert all(t["reason"] and "BPM" in t["reason"] for t in body["tracks"])
    assert [t["position"] for t in body["tracks"]] == list(range(len(body["tracks"])))
    assert body["stats"]["camelot_compatible"] > 0.5
    session = GenerationSession.objects.get(id=response.get_json()["session"])
    assert session.algorithms["parser"].startswith("all-MiniLM-L6-v2")
    constraints = MoodQuery.objects.get(id=session.mood_query.id).parsed["constraints"]
    assert "metal" in constraints["exclude_tags"]
    assert constraints["exclude_genres"] == ["metal"]  # also a genre in this library
    genres = {t.tags.genre for t in Track.objects(id__in=session.ordering)}
    assert genres and "metal" not in genres

    saved = client.post(f"/api/generations/{session.id}/save", json={"name": "Sunday"})
    assert saved.status_code == 201
    playlist = Playlist.objects.get(id=saved.get_json()["playlist"])
    entries = PlaylistEntry.objects(playlist=playlist).order_by("order_key")
    assert [e.track.id for e in entries] == session.ordering
    page = client.get(saved.get_json()["url"]).get_data(as_text=True)
    assert "Sunday" in page and "BPM" in page


def test_bad_queries_get_clear_messages_and_store_nothing(client, make_user, login):
    make_user()
    login()
    cases = [
        (None, "Send a JSON object"),
        ({"text": "   "}, "Describe a mood"),
        ({"text": "x" * 301}, "too long"),
        ({"text": "chill", "count": 0}, "'count'"),
        ({"text": "chill", "count": "5"}, "'count'"),
        ({"text": "chill", "seed": -1}, "'seed'"),
    ]
    for payload, message in cases:
        if payload is None:
            response = client.post("/api/moods/generate", data="not json",
                                   content_type="application/json")  # fmt: skip
        else:
            response = client.post("/api/moods/generate", json=payload)
        assert response.status_code == 400
        assert message in response.get_json()["error"]
    assert MoodQuery.objects.count() == 0


def test_unparseable_query_fails_the_session_with_the_reason(client, make_user, login, library):
    make_user()
    login()
    response = client.post("/api/moods/generate", json={"text": "!!! ??? 123"})
    body = wait_for(client, response.get_json()["session"])
    assert body["status"] == "failed" and body["error"]


def test_generations_are_private(client, make_user, login, library):
    make_user("alice")
    make_user("bob")
    login("alice")
    session = client.post("/api/moods/generate", json={"text": "party"}).get_json()["session"]
    wait_for(client, session)
    client.post("/auth/logout")
    login("bob")
    assert client.get(f"/api/generations/{session}").status_code == 404
    assert client.post(f"/api/generations/{session}/save", json={}).status_code == 404


def test_similar_tracks_path_and_search(client, make_user, login, library):
    make_user()
    login()
    similar = client.get("/api/tracks/t0-0000001/similar?count=5").get_json()
    assert len(similar["similar"]) == 5
    path = client.get("/api/path?from=t0-0000001&to=t0-0000002&count=6").get_json()
    assert [t["id"] for t in path["tracks"]][::5] == ["t0-0000001", "t0-0000002"]
    assert client.get("/api/tracks/nope/similar").status_code == 404
    found = client.get("/api/tracks/search?q=track 12").get_json()["tracks"]
    assert found and all("12" in f"{t['title']} {t['artist']}" for t in found)
    assert any(t["title"] == "Track 12" for t in found)


def test_generate_command_prints_the_playlist_as_json(app, make_user, library):
    make_user("carol")
    result = app.test_cli_runner().invoke(
        args=["generate", "start chill and build up to a party", "--user", "carol",
              "--count", "12", "--json"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert len(body["tracks"]) == 12 and body["parsed"]["arc"]
    energy = [t["energy"] for t in body["tracks"]]
    assert sum(energy[-4:]) > sum(energy[:4])
    mood = app.test_cli_runner().invoke(args=["mood", "something in A minor, 120 bpm", "--json"])
    parsed = json.loads(mood.stdout)
    assert parsed["constraints"]["key"] == "A" and parsed["constraints"]["scale"] == "minor"


def test_generate_command_names_untagged_artists_unknown(app, make_user, library):
    from models import Track

    make_user("carol")
    Track.objects.update(set__tags__artist=None, set__tags__title=None)  # files without tags
    file_names = {t.path.rsplit("/", 1)[-1] for t in Track.objects}
    result = app.test_cli_runner().invoke(args=["generate", "calm", "--user", "carol",
                                                "--count", "5"])  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 5 and all(". Unknown artist - " in line for line in lines), lines
    titles = [line.split(". Unknown artist - ", 1)[1].split("  [", 1)[0] for line in lines]
    assert set(titles) <= file_names, titles  # an untitled track is called by its file name
    assert "None" not in result.stdout


def generate_and_wait(client, text: str, count: int) -> dict:
    started = client.post("/api/moods/generate", json={"text": text, "count": count})
    return wait_for(client, started.get_json()["session"])


def test_feedback_changes_the_next_playlist(client, make_user, login, library):
    make_user()
    login()
    ids = [t["id"] for t in generate_and_wait(client, "chill", 10)["tracks"]]
    for track_id in ids[:3]:
        response = client.post("/api/feedback", json={"track_id": track_id, "event": "dislike"})
        assert response.status_code == 201
    client.post("/api/feedback", json={"track_id": ids[3], "event": "like"})
    second = generate_and_wait(client, "chill", 10)
    again = [t["id"] for t in second["tracks"]]
    assert not set(ids[:3]) & set(again)  # disliked tracks are out
    assert "liked" in " ".join(t["reason"] for t in second["tracks"])
    assert any(t["parts"]["taste"] > 0 for t in second["tracks"])


def test_more_like_these_extends_a_playlist(client, make_user, login, library):
    make_user()
    login()
    session = generate_and_wait(client, "party", 8)["session"]
    saved = client.post(f"/api/generations/{session}/save", json={"name": "P"}).get_json()
    more = client.get(f"/api/playlists/{saved['playlist']}/more?count=5").get_json()["tracks"]
    in_playlist = set(GenerationSession.objects.get(id=session).ordering)
    assert len(more) == 5 and not {t["id"] for t in more} & in_playlist
    assert all("close to the rest of this playlist" in t["reason"] for t in more)
    make_user("outsider")
    client.post("/auth/logout")
    login("outsider")
    assert client.get(f"/api/playlists/{saved['playlist']}/more").status_code == 404
