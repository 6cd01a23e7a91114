"""Liked tracks (newest first) and top tracks and artists over 4 weeks, 6 months, all time."""

from __future__ import annotations

from datetime import timedelta

from models import FeedbackEvent, UserLibrary
from models.base import utcnow
from tests.factories import add_analysed_tracks


def events(user, track, kind, n=1, days_ago=0):
    when = utcnow() - timedelta(days=days_ago)
    FeedbackEvent.objects.insert([FeedbackEvent(user=user, track=track, event=kind,
                                                created_at=when) for _ in range(n)])  # fmt: skip


def test_liked_newest_first_and_top_by_period(client, make_user, login):
    me, other = make_user(), make_user("bob")
    tracks = add_analysed_tracks(6, seed=8)
    for i, days in ((0, 10), (1, 2), (2, 5)):  # liked 10, 2 and 5 days ago
        events(me, tracks[i], "like", days_ago=days)
        UserLibrary(user=me, track=tracks[i], liked=True).save()
    events(me, tracks[3], "like", days_ago=1)  # liked, then disliked: not in the list
    UserLibrary(user=me, track=tracks[3], liked=False).save()
    events(me, tracks[0], "play", n=3, days_ago=3)
    events(me, tracks[1], "play", n=5, days_ago=60)
    events(me, tracks[2], "play", n=9, days_ago=400)
    events(other, tracks[4], "play", n=20)  # someone else's plays never count
    login()

    liked = client.get("/api/me/liked").get_json()["tracks"]
    assert [t["id"] for t in liked] == [tracks[1].id, tracks[2].id, tracks[0].id]

    def top(period):
        body = client.get(f"/api/me/top?period={period}").get_json()
        return [(t["id"], t["plays"]) for t in body["tracks"]], body["artists"]

    assert top("4w")[0] == [(tracks[0].id, 3)]
    assert top("6m")[0] == [(tracks[1].id, 5), (tracks[0].id, 3)]
    everything, artists = top("all")
    assert everything == [(tracks[2].id, 9), (tracks[1].id, 5), (tracks[0].id, 3)]
    plays_by_artist = {}
    for t, n in ((tracks[2], 9), (tracks[1], 5), (tracks[0], 3)):
        plays_by_artist[t.tags.artist] = plays_by_artist.get(t.tags.artist, 0) + n
    assert {a["artist"]: a["plays"] for a in artists} == plays_by_artist
    assert client.get("/api/me/top?period=forever").status_code == 400
    assert client.get("/api/me/top").get_json()["period"] == "4w"

    page = client.get("/history").get_data(as_text=True)
    liked_section = page.split('id="liked-tracks"')[1].split("</ol>")[0]
    assert liked_section.index(tracks[1].id) < liked_section.index(tracks[0].id)
    assert "9 plays" in page.split('id="top-all"')[1] and "Nothing played in this time" not in page


def test_empty_lists_say_what_to_do(client, make_user, login):
    make_user()
    login()
    page = client.get("/history").get_data(as_text=True)
    assert "No liked songs yet: press Like" in page and "Nothing played in this time." in page
    assert client.get("/api/me/liked").get_json() == {"tracks": []}
