"""What people did while listening."""

from __future__ import annotations

from datetime import UTC

from mongoengine import DictField, IntField, ReferenceField, StringField

from models.base import BaseDocument
from models.playlist import Playlist
from models.track import Track
from models.user import User

FEEDBACK_EVENTS = ("play", "complete", "skip", "like", "dislike")


class FeedbackEvent(BaseDocument):
    """One play, completion, skip, like or dislike; append-only."""

    meta = {
        "collection": "feedback_events",
        "indexes": [("user", "-created_at"), ("track", "event")],
    }

    user = ReferenceField(User, required=True)
    track = ReferenceField(Track, required=True)
    playlist = ReferenceField(Playlist, null=True)
    event = StringField(required=True, choices=FEEDBACK_EVENTS)
    position_ms = IntField(min_value=0, null=True)
    elapsed_ms = IntField(min_value=0, null=True)
    # Where it happened: generation session, room, page.
    context = DictField()


def taste_events(user, limit: int = 5000) -> list:
    """A person's feedback since their last taste reset, as ``core.taste.Feedback`` values."""
    from core.taste import Feedback

    user_id = user if isinstance(user, str) else user.id
    owner = User.objects(id=user_id).only("preferences").first()
    reset_ts = float(((owner.preferences or {}) if owner else {}).get("taste_reset_ts") or 0)
    events = []
    rows = (
        FeedbackEvent.objects(user=user_id)
        .order_by("-created_at")
        .only("track", "event", "created_at", "position_ms", "elapsed_ms")
        .limit(limit)
        .as_pymongo()
    )
    for row in rows:
        at = row["created_at"].replace(tzinfo=UTC).timestamp()
        if at <= reset_ts:
            continue
        events.append(Feedback(track_id=row["track"], event=row["event"], at=at,
                               position_ms=row.get("position_ms"),
                               elapsed_ms=row.get("elapsed_ms")))  # fmt: skip
    return events[::-1]


def taste_stamp(user) -> tuple:
    """Changes whenever ``taste_events(user)`` would: events are append-only, so the newest
    one (by time, then id) and the last reset say when.

    Two indexed reads of a millisecond or so, so a worker can keep a learned model until
    this changes. (Counting the events was the obvious stamp, but a count scans them all
    on the embedded server: 40-60 ms for 500 events. The one case this misses, a new event
    stored in the same millisecond as the newest one with a smaller id, is caught by the
    worker's maximum model age.)"""
    user_id = user if isinstance(user, str) else user.id
    owner = User.objects(id=user_id).only("preferences").as_pymongo().first() or {}
    newest = FeedbackEvent._get_collection().find_one(
        {"user": user_id}, {"_id": 1}, sort=[("created_at", -1), ("_id", -1)]
    )
    reset = (owner.get("preferences") or {}).get("taste_reset_ts")
    return (newest["_id"] if newest else None, reset)
