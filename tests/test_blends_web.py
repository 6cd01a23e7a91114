"""Blends over HTTP: fair shares, sources, taste match, append-only regenerations."""

from __future__ import annotations

import html
import json
import re
from collections import Counter

import pytest

from models import Blend, BlendRun, FeedbackEvent, Playlist, PlaylistEntry
from tests.factories import add_analysed_tracks

pytestmark = pytest.mark.slow


@pytest.fixture
def library(app, celery_worker, tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    tracks = add_analysed_tracks(300, seed=7)
    from tasks.catalog import rebuild_index

    rebuild_index.delay(force=True).get(timeout=120)
    from webapp.catalog import catalog_cache

    catalog_cache.cache_clear()
    yield tracks
    catalog_cache.cache_clear()


def accept(app, blend_id: str, *usernames: str) -> None:
    """Each person signs in on their own client and accepts the invitation."""
    for name in usernames:
        other = app.test_client()
        other.post("/auth/login", data={"username": name, "password": "correct horse"})
        response = other.post(f"/api/blends/{blend_id}/accept")
        assert response.status_code == 200, response.get_json()


def test_balanced_blend_is_fair_and_regenerations_are_kept(app, client, make_user, login, library):
    me, friend, third = make_user("amy"), make_user("ben"), make_user("cat")
    for track in library[:5]:
        FeedbackEvent(user=friend, track=track, event="like").save()
    login("amy")
    response = client.post(
        "/api/blends",
        json={
            "name": "Road trip",
            "count": 12,
            "algorithm": "balanced",
            "members": [{"user_id": friend.id, "weight": 1}, {"user_id": third.id, "weight": 1}],
        },
    )
    assert response.status_code == 201, response.get_json()
    assert sorted(response.get_json()["pending"]) == ["ben", "cat"]
    accept(app, response.get_json()["blend"], "ben", "cat")
    response = client.post(f"/api/blends/{response.get_json()['blend']}/regenerate")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["run"] == 1 and body["pending"] == []
    assert body["tracks"] == 12 and sorted(body["shares"].values()) == [4, 4, 4]
    assert 0 <= body["match"] <= 100
    playlist = Playlist.objects.get(id=body["playlist"])
    entries = PlaylistEntry.objects(playlist=playlist)
    assert len({e.track.id for e in entries}) == 12
    assert all(e.reason and e.reason.startswith("for ") for e in entries)
    assert Counter(e.added_by.id for e in entries) == {me.id: 4, friend.id: 4, third.id: 4}
    assert playlist.role_of(friend.id) == "editor"

    regenerated = client.post(f"/api/blends/{body['blend']}/regenerate")
    assert regenerated.status_code == 201, regenerated.get_data(as_text=True)[:2000]
    again = regenerated.get_json()
    assert again["run"] == 2 and again["playlist"] != body["playlist"]
    assert BlendRun.objects(blend=body["blend"]).count() == 2
    assert Playlist.objects(id=body["playlist"]).count() == 1  # the first run is untouched
    blends_page = client.get("/blends").get_data(as_text=True)
    assert f'<a href="/rooms/{again["playlist"]}">Road trip</a>' in blends_page  # the newest run
    # The room view keeps each track's "for whom" reason and who it came from.
    room = client.get(f"/rooms/{body['playlist']}").get_data(as_text=True)
    reasons = json.loads(html.unescape(re.search(r'data-reasons="([^"]*)"', room)[1]))
    assert reasons == {e.id: e.reason for e in entries}
    names = json.loads(html.unescape(re.search(r'data-names="([^"]*)"', room)[1]))
    assert {names[u] for u in (me.id, friend.id, third.id)} == {"amy", "ben", "cat"}


def test_blend_input_is_checked(client, make_user, login, library):
    make_user("amy")
    friend = make_user("ben")
    login("amy")
    bad = [
        {"members": []},
        {"members": [{"user_id": "ghost"}]},
        {"members": [{"user_id": friend.id, "weight": 0}]},
        {"members": [{"user_id": friend.id}], "algorithm": "chaos"},
        {"members": [{"user_id": friend.id}], "count": 1},
        {"members": "everyone"},
    ]
    for payload in bad:
        assert client.post("/api/blends", json=payload).status_code in (400, 404), payload
    assert Blend.objects.count() == 0


def test_strangers_cannot_regenerate_a_blend(app, client, make_user, login, library):
    make_user("amy")
    friend, stranger = make_user("ben"), make_user("eve")
    login("amy")
    blend = client.post("/api/blends", json={"members": [{"user_id": friend.id}],
                                             "count": 4}).get_json()["blend"]  # fmt: skip
    accept(app, blend, "ben")
    assert client.post(f"/api/blends/{blend}/regenerate").status_code == 201
    client.post("/auth/logout")
    login("eve")
    assert client.post(f"/api/blends/{blend}/regenerate").status_code == 404
    assert stranger.id not in {m.user.id for m in Blend.objects.get(id=blend).members}


def test_regenerations_at_the_same_time_each_get_their_own_run(app, make_user, library):
    from concurrent.futures import ThreadPoolExecutor

    make_user("amy")
    ben = make_user("ben")
    clients = [app.test_client() for _ in range(3)]
    for http in clients:
        http.post("/auth/login", data={"username": "amy", "password": "correct horse"})
    created = clients[0].post("/api/blends", json={
        "name": "Rush", "count": 6, "members": [{"user_id": ben.id, "weight": 1}]})  # fmt: skip
    blend = created.get_json()["blend"]
    accept(app, blend, "ben")
    assert clients[0].post(f"/api/blends/{blend}/regenerate").status_code == 201
    # Each run's number was once read before its (slow) mix and written after it: two at
    # once chose the same number and one of them failed on the unique (blend, run) index.
    with ThreadPoolExecutor(3) as pool:
        answers = list(pool.map(lambda c: c.post(f"/api/blends/{blend}/regenerate"), clients))
    assert [a.status_code for a in answers] == [201, 201, 201]
    runs = sorted(a.get_json()["run"] for a in answers)
    assert runs == [2, 3, 4]
    names = {Playlist.objects.get(id=a.get_json()["playlist"]).name for a in answers}
    assert names == {"Rush #2", "Rush #3", "Rush #4"}
    assert sorted(r.run for r in BlendRun.objects(blend=blend)) == [1, 2, 3, 4]
