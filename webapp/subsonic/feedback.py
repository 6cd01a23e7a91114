"""What a Subsonic client reports, written as Moodroom's own feedback and library rows."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from mongoengine import NotUniqueError

from models import FeedbackEvent, UserLibrary
from models.base import utcnow

CONTEXT = {"page": "subsonic"}


def record(user_id: str, track_id: str, event: str, **updates) -> UserLibrary:
    """Append a feedback event (when ``event``) and update the person's row for the track.

    ``updates`` are extra MongoEngine update keywords (``set__starred_ms=...``).
    """
    if event:
        FeedbackEvent(user=user_id, track=track_id, event=event, context=dict(CONTEXT)).save()
    changes = dict(updates)
    if event:
        changes["set__last_heard"] = utcnow() if event in ("play", "complete") else None
        changes = {k: v for k, v in changes.items() if v is not None}
    if event == "play":
        changes["inc__play_count"] = 1
    elif event in ("like", "dislike"):
        changes["set__liked"] = event == "like"
    # No upsert (it would make an ObjectId key): create, tolerating a racing create.
    query = UserLibrary.objects(user=user_id, track=track_id)
    if query.first() is None:
        with contextlib.suppress(NotUniqueError):
            UserLibrary(user=user_id, track=track_id).save()
    return query.modify(new=True, **changes) if changes else query.first()


def played_recently(user_id: str, track_id: str, minutes: int = 60) -> bool:
    since = utcnow() - timedelta(minutes=minutes)
    return (
        FeedbackEvent.objects(user=user_id, track=track_id, event="play", created_at__gte=since)
        .only("id")
        .first()
        is not None
    )
