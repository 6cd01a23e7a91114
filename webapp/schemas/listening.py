"""What people do while listening, and what it adds up to."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields
from marshmallow.validate import OneOf, Range

from models.feedback import FEEDBACK_EVENTS
from models.listening import PERIODS
from webapp.schemas.fields import Clamped, Request, identifier, said
from webapp.schemas.limits import CONTEXT_KEYS, MAX_MS
from webapp.schemas.tracks import Track

CONTEXT_REFUSED = f"'context' may only hold short strings under {list(CONTEXT_KEYS)}."


class FeedbackContext(Schema):
    """Where it happened; any other key is refused."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": CONTEXT_REFUSED, "type": CONTEXT_REFUSED}

    page = said(CONTEXT_REFUSED, identifier())
    playlist_id = said(CONTEXT_REFUSED, identifier())
    room = said(CONTEXT_REFUSED, identifier())
    session_id = said(CONTEXT_REFUSED, identifier())


def _milliseconds(name: str) -> fields.Integer:
    return said(
        f"'{name}' must be a whole number of milliseconds.",
        fields.Integer(strict=True, allow_none=True, load_default=None,
                       validate=Range(0, MAX_MS)),
    )  # fmt: skip


class Feedback(Request):
    event = said(
        f"'event' must be one of: {', '.join(FEEDBACK_EVENTS)}.",
        fields.String(required=True, validate=OneOf(FEEDBACK_EVENTS)),
    )
    track_id = said("'track_id' is missing.", identifier(required=True))
    position_ms = _milliseconds("position_ms")
    elapsed_ms = _milliseconds("elapsed_ms")
    context = said(
        CONTEXT_REFUSED, fields.Nested(FeedbackContext, allow_none=True, load_default=None)
    )


class LibraryCounters(Schema):
    liked = fields.Boolean(allow_none=True)
    play_count = fields.Integer()
    skip_count = fields.Integer()


class FeedbackRecorded(Schema):
    ok = fields.Boolean(required=True)
    library = fields.Nested(LibraryCounters, required=True)


class TopArgs(Request):
    period = said(
        "'period' must be 4w, 6m or all",
        fields.String(load_default="4w", validate=OneOf(list(PERIODS)),
                      metadata={"description": "Last 4 weeks, 6 months or all time"}),
    )  # fmt: skip
    count = Clamped(10, 1, 50)


class PlayedTrack(Track):
    plays = fields.Integer()


class PlayedArtist(Schema):
    artist = fields.String()
    plays = fields.Integer()


class TopPlayed(Schema):
    period = fields.String(required=True)
    tracks = fields.List(fields.Nested(PlayedTrack), required=True)
    artists = fields.List(fields.Nested(PlayedArtist), required=True)
