"""The settings page: name, password, sessions, preferences, export and account deletion."""

from __future__ import annotations

import json
import re
import time

import pytest

from core.collab import keys_between
from models import (
    Blend,
    BlendMember,
    BlendRun,
    Collaborator,
    FeedbackEvent,
    MoodQuery,
    Playlist,
    PlaylistEntry,
    PlaylistOp,
    Track,
    User,
)
from tests.factories import add_analysed_tracks

NEW = {"old_password": "correct horse", "password": "new horse 123", "confirm": "new horse 123"}


def signed_in(app, username: str, password: str = "correct horse", remember: bool = False):
    client = app.test_client()
    data = {"username": username, "password": password, **({"remember": "y"} if remember else {})}
    assert client.post("/auth/login", data=data).status_code == 302
    return client


def is_signed_in(client) -> bool:
    return client.get("/settings/").status_code == 200


def test_a_password_change_signs_out_the_other_sessions(app, make_user):
    make_user("ben")
    laptop, phone = signed_in(app, "ben"), signed_in(app, "ben", remember=True)
    wrong = laptop.post("/settings/password", data={**NEW, "old_password": "guess"})
    assert wrong.status_code == 400 and "not your current password" in wrong.get_data(as_text=True)
    assert is_signed_in(phone)
    assert laptop.post("/settings/password", data=NEW).status_code == 303
    assert is_signed_in(laptop)  # the session that changed it carries on
    assert not is_signed_in(phone)
    assert app.test_client().post("/auth/login", data={"username": "ben",
                                  "password": "correct horse"}).status_code == 401  # fmt: skip
    signed_in(app, "ben", "new horse 123")


def test_sign_out_everywhere_ends_sessions_and_remember_me_cookies(app, make_user):
    make_user("ben")
    laptop = signed_in(app, "ben")
    kept = signed_in(app, "ben", remember=True)
    remember = kept.get_cookie("remember_token").value
    returning = app.test_client()  # a browser that kept only the remember-me cookie
    returning.set_cookie("remember_token", remember)
    assert is_signed_in(returning)
    assert laptop.post("/settings/sign-out-everywhere").status_code == 303
    assert not is_signed_in(laptop)
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember)
    assert not is_signed_in(fresh)


def test_display_name_and_bad_input(app, make_user):
    make_user("ben")
    client = signed_in(app, "ben")
    assert client.post("/settings/profile", data={"display_name": "Benjamin"}).status_code == 303
    assert User.by_username("ben").display_name == "Benjamin"
    assert client.post("/settings/profile", data={"display_name": "  "}).status_code == 400
    assert client.post("/settings/profile", data={"display_name": "x" * 65}).status_code == 400
    assert User.by_username("ben").display_name == "Benjamin"
    prefs = {"default_count": "7", "exclude": "metal", "energy_scale": "ten"}
    assert client.post("/settings/preferences", data=prefs).status_code == 303
    for bad in ({**prefs, "default_count": "500"}, {**prefs, "energy_scale": "loud"},
                {**prefs, "exclude": ", ".join(f"g{i}" for i in range(25))}):  # fmt: skip
        assert client.post("/settings/preferences", data=bad).status_code == 400, bad
    saved = User.by_username("ben").preferences
    assert saved == {"default_count": 7, "exclude": ["metal"], "energy_scale": "ten"}


@pytest.fixture
def library(app, celery_worker, tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    app.test_cli_runner().invoke(args=["seed"])
    tracks = add_analysed_tracks(400)
    from tasks import moods
    from tasks.catalog import rebuild_index
    from webapp.catalog import catalog_cache

    rebuild_index.delay(force=True).get(timeout=120)
    # Both caches name a DATA_DIR when first used: forget this test's one afterwards.
    catalog_cache.cache_clear()
    moods.catalog_cache.cache_clear()
    yield tracks
    catalog_cache.cache_clear()
    moods.catalog_cache.cache_clear()


def generate(client, text: str) -> dict:
    session = client.post("/api/moods/generate", json={"text": text}).get_json()["session"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        body = client.get(f"/api/generations/{session}").get_json()
        if body["status"] in ("completed", "failed"):
            return body
        time.sleep(0.2)
    pytest.fail("generation did not finish")


@pytest.mark.slow
def test_every_generation_honours_the_preferences(app, make_user, library):
    make_user("ben")
    client = signed_in(app, "ben")
    before = generate(client, "loud aggressive heavy music")
    assert before["status"] == "completed"
    genres = {t.tags.genre for t in Track.objects(id__in=[t["id"] for t in before["tracks"]])}
    assert "metal" in genres and len(before["tracks"]) != 7  # the preferences change this
    prefs = {"default_count": "7", "exclude": "Metal", "energy_scale": "ten"}
    assert client.post("/settings/preferences", data=prefs).status_code == 303
    after = generate(client, "loud aggressive heavy music")
    assert len(after["tracks"]) == 7
    genres = {t.tags.genre for t in Track.objects(id__in=[t["id"] for t in after["tracks"]])}
    assert "metal" not in genres
    assert after["energy_scale"] == "ten"
    assert all(re.fullmatch(r"\d+/10", t["energy_label"]) for t in after["tracks"])
    # A length in the query still wins over the preferred one.
    assert len(generate(client, "loud aggressive music, 12 songs")["tracks"]) == 12


def world(make_user, tracks):
    """ben: a shared playlist, a private one, feedback, an entry in amy's, two blends."""
    amy, ben, cat = make_user("amy"), make_user("ben"), make_user("cat")
    shared = Playlist(
        owner=ben,
        name="Shared",
        collaborators=[
            Collaborator(user=cat, role="editor"),
            Collaborator(user=amy, role="viewer"),
        ],
    ).save()
    private = Playlist(owner=ben, name="Mine").save()
    amys = Playlist(
        owner=amy, name="Amy's", collaborators=[Collaborator(user=ben, role="editor")]
    ).save()
    keys = keys_between(None, None, 3)
    for playlist, key, track in zip((shared, private, amys), keys, tracks, strict=True):
        PlaylistEntry(playlist=playlist, track=track, order_key=key, added_by=ben).save()
    PlaylistOp(playlist=amys, seq=1, op_id="op-1", user=ben, kind="add").save()
    for track in tracks[:3]:
        FeedbackEvent(user=ben, track=track, event="like").save()
    MoodQuery(user=ben, text="rainy day").save()
    together = Blend(owner=amy, name="Trio", members=[BlendMember(user=amy), BlendMember(user=ben),
                     BlendMember(user=cat)]).save()  # fmt: skip
    his = Blend(owner=ben, name="His", members=[BlendMember(user=ben),
                BlendMember(user=amy, status="pending")]).save()  # fmt: skip
    return amy, ben, cat, shared, private, amys, together, his


@pytest.mark.slow
def test_export_holds_my_data(app, make_user, library):
    world(make_user, library[:3])
    client = signed_in(app, "ben")
    response = client.get("/settings/export")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert {p["name"] for p in data["playlists"]} == {"Shared", "Mine"}
    assert [t["id"] for t in data["playlists"][0]["tracks"]]
    assert {p["name"]: p["role"] for p in data["shared_with_me"]} == {"Amy's": "editor"}
    assert [e["event"] for e in data["feedback"]] == ["like"] * 3
    assert {b["name"]: b["owner"] for b in data["blends"]} == {"Trio": False, "His": True}
    assert data["mood_queries"][0]["text"] == "rainy day"
    assert data["profile"]["username"] == "ben"


@pytest.mark.slow
def test_a_deleted_account_leaves_no_dangling_reference(app, make_user, library):
    amy, ben, cat, shared, private, amys, together, his = world(make_user, library[:3])
    client = signed_in(app, "ben")
    refused = client.post("/settings/delete", data={"password": "wrong"})
    assert refused.status_code == 400 and User.objects(id=ben.id).count() == 1
    assert client.post("/settings/delete", data={"password": "correct horse"}).status_code == 303
    assert User.objects(id=ben.id).count() == 0
    assert not is_signed_in(client)
    # The shared playlist passed to its editor; the private one went with its entries.
    handed = Playlist.objects.get(id=shared.id)
    assert handed.owner.id == cat.id and handed.role_of(amy.id) == "viewer"
    assert handed.role_of(cat.id) == "owner"
    assert Playlist.objects(id=private.id).count() == 0
    assert PlaylistEntry.objects(playlist=private.id).count() == 0
    assert Playlist.objects.get(id=amys.id).role_of(ben.id) is None
    assert PlaylistEntry.objects(playlist=amys.id).first().added_by is None  # the track stays
    assert FeedbackEvent.objects(user=ben.id).count() == 0
    assert MoodQuery.objects(user=ben.id).count() == 0
    # His blend had nobody else who accepted: gone. The trio goes on as a duo, recomputed.
    assert Blend.objects(id=his.id).count() == 0
    trio = Blend.objects.get(id=together.id)
    assert {m.user.id for m in trio.members} == {amy.id, cat.id}
    runs = BlendRun.objects(blend=trio.id)
    assert runs.count() == 1 and set(runs.first().sources) <= {amy.id, cat.id}
    result = app.test_cli_runner().invoke(args=["db", "validate"])
    assert result.exit_code == 0, result.output


@pytest.mark.slow
def test_exclusions_hold_for_blends_and_more_like_these(app, make_user, library):
    make_user("amy")
    ben = make_user("ben")
    metal = [t for t in library if t.tags.genre == "metal"][:5]
    playlist = Playlist(owner=ben, name="Loud").save()
    for track, key in zip(metal, keys_between(None, None, len(metal)), strict=True):
        PlaylistEntry(playlist=playlist, track=track, order_key=key).save()
    as_ben = signed_in(app, "ben")

    def genres(ids):
        return {t.tags.genre for t in Track.objects(id__in=list(ids))}

    def more():
        body = as_ben.get(f"/api/playlists/{playlist.id}/more?count=20").get_json()
        return genres(t["id"] for t in body["tracks"])

    as_amy = signed_in(app, "amy")
    members = {"members": [{"user_id": ben.id}], "count": 40, "algorithm": "balanced"}
    blend = as_amy.post("/api/blends", json=members).get_json()["blend"]
    as_ben.post(f"/api/blends/{blend}/accept")

    def blended():
        run = as_amy.post(f"/api/blends/{blend}/regenerate").get_json()
        chosen = [e.track.id for e in PlaylistEntry.objects(playlist=run["playlist"])]
        assert len(chosen) == 40
        return genres(chosen)

    assert "metal" in more() and "metal" in blended()
    as_ben.post("/settings/preferences", data={"exclude": "metal", "energy_scale": "percent"})
    assert more() and "metal" not in more()
    assert "metal" not in blended()  # one member's "never" holds for the whole blend
