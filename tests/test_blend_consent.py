"""Blend consent: invited people count only once they accept; they can decline or leave."""

from __future__ import annotations

import pytest

from models import Blend, FeedbackEvent, Playlist, PlaylistEntry
from tests.factories import add_analysed_tracks
from tests.test_blends_web import accept

pytestmark = pytest.mark.slow


@pytest.fixture
def library(app, celery_worker, tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    tracks = add_analysed_tracks(300, seed=7)
    from tasks.catalog import rebuild_index

    rebuild_index.delay(force=True).get(timeout=120)
    from tasks import moods
    from webapp.catalog import catalog_cache

    # Both caches name a DATA_DIR when first used: forget this test's one afterwards.
    catalog_cache.cache_clear()
    moods.catalog_cache.cache_clear()
    yield tracks
    catalog_cache.cache_clear()
    moods.catalog_cache.cache_clear()


def create(client, *members, count=12) -> dict:
    response = client.post("/api/blends", json={
        "name": "Friday", "count": count, "algorithm": "balanced",
        "members": [{"user_id": m.id, "weight": 1} for m in members]})  # fmt: skip
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_pending_members_taste_is_not_used(app, client, make_user, login, library):
    make_user("amy")
    ben, cat = make_user("ben"), make_user("cat")
    for track in library[:8]:
        FeedbackEvent(user=cat, track=track, event="like").save()
    login("amy")
    blend = create(client, ben, cat)
    assert blend["pending"] == ["ben", "cat"] and blend["ready"] is False
    statuses = {m["name"]: m["status"] for m in blend["members"]}
    assert statuses == {"amy": "accepted", "ben": "pending", "cat": "pending"}
    # Nobody accepted yet: nothing to blend, and the answer says who is awaited.
    waiting = client.post(f"/api/blends/{blend['blend']}/regenerate")
    assert waiting.status_code == 409 and "ben, cat" in waiting.get_json()["error"]

    accept(app, blend["blend"], "ben")
    run = client.post(f"/api/blends/{blend['blend']}/regenerate").get_json()
    assert run["pending"] == ["cat"]
    assert set(run["shares"]) == {"amy", "ben"} and sum(run["shares"].values()) == 12
    assert all("cat" not in pair for pair in run["pairs"])
    entries = PlaylistEntry.objects(playlist=run["playlist"])
    assert cat.id not in {e.added_by.id for e in entries}
    assert Playlist.objects.get(id=run["playlist"]).role_of(cat.id) is None
    page = client.get("/blends").get_data(as_text=True)
    assert "waiting for cat to accept" in page

    accept(app, blend["blend"], "cat")  # now her taste counts
    run = client.post(f"/api/blends/{blend['blend']}/regenerate").get_json()
    assert run["pending"] == [] and run["shares"]["cat"] == 4


def test_invitations_can_be_declined_and_blends_left(app, client, make_user, login, library):
    make_user("amy")
    ben, cat, eve = make_user("ben"), make_user("cat"), make_user("eve")
    login("amy")
    blend = create(client, ben, cat)["blend"]
    accept(app, blend, "ben")
    assert client.post(f"/api/blends/{blend}/leave").status_code == 409  # the owner stays

    as_cat = app.test_client()
    as_cat.post("/auth/login", data={"username": "cat", "password": "correct horse"})
    assert "Friday" in as_cat.get("/blends").get_data(as_text=True)  # listed as an invitation
    assert as_cat.post(f"/api/blends/{blend}/regenerate").status_code == 409  # accept first
    assert as_cat.post(f"/api/blends/{blend}/leave").get_json() == {"blend": blend, "left": True}
    assert {m.user.username for m in Blend.objects.get(id=blend).members} == {"amy", "ben"}
    assert as_cat.post(f"/api/blends/{blend}/accept").status_code == 404  # no longer invited

    as_ben = app.test_client()
    as_ben.post("/auth/login", data={"username": "ben", "password": "correct horse"})
    invite = f"/api/blends/{blend}/invite"
    assert as_ben.post(invite, json={"user_ids": [eve.id]}).status_code == 403
    assert as_ben.post(f"/api/blends/{blend}/leave").status_code == 200
    waiting = client.post(f"/api/blends/{blend}/regenerate")
    assert waiting.status_code == 409  # only amy is left

    invited = client.post(invite, json={"user_ids": [eve.id, eve.id]})
    assert invited.status_code == 200 and invited.get_json()["pending"] == ["eve"]
    assert client.post(invite, json={"user_ids": "eve"}).status_code == 400
    assert client.post(invite, json={"user_ids": ["ghost"]}).status_code == 404

    as_eve = app.test_client()
    as_eve.post("/auth/login", data={"username": "eve", "password": "correct horse"})
    assert as_eve.get(f"/api/blends/{blend}").get_json()["pending"] == ["eve"]
    assert as_eve.post(f"/api/blends/{blend}/accept").get_json()["ready"] is True
    assert client.post(f"/api/blends/{blend}/regenerate").status_code == 201


def test_strangers_see_nothing_of_a_blend(app, client, make_user, login, library):
    make_user("amy")
    ben, _ = make_user("ben"), make_user("eve")
    login("amy")
    blend = create(client, ben)["blend"]
    client.post("/auth/logout")
    login("eve")
    for action in ("accept", "leave", "invite", "regenerate"):
        assert client.post(f"/api/blends/{blend}/{action}", json={}).status_code == 404, action
    assert client.get(f"/api/blends/{blend}").status_code == 404
    assert len(Blend.objects.get(id=blend).members) == 2
