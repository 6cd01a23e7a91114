"""The history page: recent events, statistics and the taste reset."""

from __future__ import annotations

from models import FeedbackEvent, MoodQuery, User
from tests.factories import add_analysed_tracks


def test_history_shows_events_and_statistics(client, make_user, login):
    user = make_user()
    login()
    empty = client.get("/history").get_data(as_text=True)
    assert "Nothing yet." in empty and "No mood searches yet." in empty
    tracks = add_analysed_tracks(3)
    for track, event in zip(tracks, ["play", "skip", "like"], strict=True):
        FeedbackEvent(user=user, track=track, event=event, position_ms=61000).save()
    MoodQuery(user=user, text="chill", parsed={"moods": {"chill": 0.9, "sad": 0.1}}).save()
    page = client.get("/history").get_data(as_text=True)
    assert page.count('data-event="') == 3
    assert 'data-count="skip">1<' in page and 'data-count="like">1<' in page
    assert "chill" in page and "1:01" in page


def test_taste_reset_is_recorded(client, make_user, login):
    user = make_user()
    login()
    assert client.post("/api/taste/reset").get_json() == {"ok": True}
    assert User.objects.get(id=user.id).preferences["taste_reset_ts"] > 0
