"""Streaming with HTTP Range, and feedback events."""

from __future__ import annotations

import pytest

from models import FeedbackEvent, Playlist, Track, UserLibrary
from models.track import Analysis


@pytest.fixture
def audio_track(app):
    root = app.config["MUSIC_DIRS"][0]
    root.mkdir(parents=True, exist_ok=True)
    path = root / "stream-test.ogg"
    path.write_bytes(bytes(range(256)) * 40)  # 10,240 bytes with a known pattern
    track = Track(path=str(path), size=10240, analysis=Analysis(status="done")).save()
    yield track
    path.unlink(missing_ok=True)


@pytest.fixture
def signed_in(client, make_user, login):
    user = make_user()
    login()
    return user


def test_full_and_partial_content(client, signed_in, audio_track):
    full = client.get(f"/api/tracks/{audio_track.id}/stream")
    assert full.status_code == 200 and len(full.data) == 10240
    assert full.headers["Accept-Ranges"] == "bytes" and full.mimetype == "audio/ogg"
    part = client.get(f"/api/tracks/{audio_track.id}/stream", headers={"Range": "bytes=256-511"})
    assert part.status_code == 206
    assert part.data == bytes(range(256))
    assert part.headers["Content-Range"] == "bytes 256-511/10240"
    tail = client.get(f"/api/tracks/{audio_track.id}/stream", headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.data == bytes(range(246, 256))


@pytest.mark.parametrize("bad", ["bytes=20000-20010", "bytes=10240-"])
def test_unsatisfiable_ranges_get_416(client, signed_in, audio_track, bad):
    response = client.get(f"/api/tracks/{audio_track.id}/stream", headers={"Range": bad})
    assert response.status_code == 416


def test_forbidden_and_missing_tracks(client, signed_in, audio_track, tmp_path):
    outside = tmp_path / "secret.ogg"
    outside.write_bytes(b"x" * 100)
    sneaky = Track(path=str(outside), analysis=Analysis(status="done")).save()
    assert client.get(f"/api/tracks/{sneaky.id}/stream").status_code == 403
    traversal = Track(path=str(audio_track.path) + "/../../../etc/passwd").save()
    assert client.get(f"/api/tracks/{traversal.id}/stream").status_code in (403, 404)
    assert client.get("/api/tracks/nope/stream").status_code == 404
    Track.objects(id=audio_track.id).update(set__available=False)
    assert client.get(f"/api/tracks/{audio_track.id}/stream").status_code == 404


def test_streaming_needs_sign_in(client, audio_track):
    answer = client.get(f"/api/tracks/{audio_track.id}/stream")
    assert answer.status_code == 401 and answer.get_json() == {"error": "Sign in first."}


def test_feedback_is_recorded_and_counted(client, signed_in, audio_track):
    def send(**body):
        return client.post("/api/feedback", json={"track_id": audio_track.id, **body})

    assert send(event="play", position_ms=0, context={"page": "mood"}).status_code == 201
    assert send(event="skip", position_ms=4000, elapsed_ms=4000).status_code == 201
    liked = send(event="like").get_json()["library"]
    assert liked == {"liked": True, "play_count": 1, "skip_count": 1}
    assert send(event="dislike").get_json()["library"]["liked"] is False
    assert FeedbackEvent.objects(user=signed_in).count() == 4
    entry = UserLibrary.objects.get(user=signed_in, track=audio_track.id)
    assert len(entry.id) == 32 and entry.last_heard is not None


@pytest.mark.parametrize(
    "body",
    [None, {"event": "love", "track_id": "x"}, {"event": "play"},
     {"event": "play", "track_id": "x", "position_ms": -1},
     {"event": "play", "track_id": "x", "elapsed_ms": "10"},
     {"event": "play", "track_id": "x", "context": {"evil": "1"}},
     {"event": "play", "track_id": "x", "context": "room"}],
)  # fmt: skip
def test_bad_feedback_is_refused(client, signed_in, body):
    response = client.post("/api/feedback", json=body)
    assert response.status_code == 400 and response.get_json()["error"]
    assert FeedbackEvent.objects.count() == 0


def test_feedback_on_unknown_or_private_things_is_404(client, signed_in, audio_track, make_user):
    assert (
        client.post("/api/feedback", json={"track_id": "nope", "event": "like"}).status_code == 404
    )
    other = make_user("zed")
    private = Playlist(owner=other, name="Mine").save()
    response = client.post(
        "/api/feedback",
        json={"track_id": audio_track.id, "event": "play", "context": {"playlist_id": private.id}},
    )
    assert response.status_code == 404
