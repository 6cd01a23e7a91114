"""What people did while listening."""

from __future__ import annotations

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
