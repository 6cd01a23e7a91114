"""Moodroom's extension ``getMoodPlaylist``: a fresh mood playlist for a text, in any client.

``getMoodPlaylist?text=rainy sunday morning&count=20`` queues the same parse and
generation chain as the mood page, waits for it (at most ``WAIT_S``) and answers a
``playlist`` whose id is ``mood-<generation id>``; ``getPlaylist`` answers that id
again later, for the person who asked. Saving it is ``createPlaylist`` with its songs.
"""

from __future__ import annotations

import time

from celery import chain

from models import GenerationSession, MoodQuery
from tasks.moods import generate_playlist, parse_mood
from webapp.subsonic import items, library
from webapp.subsonic.registry import endpoint, number, text
from webapp.subsonic.responses import GENERIC, SubsonicError, not_found, ok

PREFIX = "mood-"
WAIT_S = 90.0
MAX_TEXT = 300


@endpoint("getMoodPlaylist")
def get_mood_playlist(user):
    words = text("text", limit=MAX_TEXT).strip()
    if not words:
        raise not_found("Mood")
    count = number("count", 0, 0, 100) or None
    query = MoodQuery(user=user.id, text=words).save()
    session = GenerationSession(user=user.id, mood_query=query).save()
    chain(parse_mood.si(query.id, session.id),
          generate_playlist.si(query.id, session.id, count, 0)).apply_async()  # fmt: skip
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        session.reload("status", "error")
        if session.status in ("completed", "failed"):
            break
        time.sleep(0.25)
    if session.status != "completed":
        raise SubsonicError(GENERIC, session.error or "The mood playlist is not ready; try again.")
    return ok({"playlist": as_playlist(PREFIX + session.id, user)})


def as_playlist(playlist_id: str, user) -> dict:
    """A generation as a Subsonic playlist (only for the person who made it)."""
    session = GenerationSession.objects(id=playlist_id[len(PREFIX) :], user=user.id).first()
    if session is None or session.status != "completed":
        raise not_found("Playlist")
    songs = items.songs(list(session.ordering), user.id)
    reasons = {c.track_id: c.reason for c in session.candidates}
    for song in songs:
        if reasons.get(song["id"]):
            song["comment"] = reasons[song["id"]]
    name = session.mood_query.text if session.mood_query else "Mood playlist"
    created = library.iso_date(session.created_at)
    return {
        "id": playlist_id, "name": name, "comment": "A fresh Moodroom mood playlist",
        "owner": user.username, "public": False, "songCount": len(songs),
        "duration": sum(s.get("duration", 0) for s in songs), "created": created,
        "changed": created, "readonly": True, "entry": songs,
    }  # fmt: skip
