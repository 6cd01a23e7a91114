"""Tracks in answers; searching, neighbours, paths and streaming."""

from __future__ import annotations

from marshmallow import Schema, fields

from webapp.schemas.fields import Clamped, Request, identifier
from webapp.schemas.limits import MAX_SEARCH_LENGTH


class Track(Schema):
    """A track as the pages list it; which fields are there depends on the call."""

    id = identifier(required=True)
    title = fields.String(required=True)
    artist = fields.String(allow_none=True)
    album = fields.String(allow_none=True)
    bpm = fields.Float(allow_none=True)
    key = fields.String(allow_none=True)
    camelot = fields.String(allow_none=True)
    energy = fields.Float(allow_none=True)
    duration = fields.Float(allow_none=True)
    reason = fields.String()
    position = fields.Integer()
    score = fields.Float(allow_none=True)
    similarity = fields.Float()


class Tracks(Schema):
    tracks = fields.List(fields.Nested(Track), required=True)


class TrackSearchArgs(Request):
    q = fields.String(load_default="", metadata={"description": "Up to 5 words are used"})


class LibrarySearchArgs(Request):
    # Longer text is cut, not refused (the view keeps the first MAX_SEARCH_LENGTH).
    q = fields.String(
        load_default="",
        metadata={"maxLength": MAX_SEARCH_LENGTH, "description": "What was typed; empty: none"},
    )


class LibraryMatches(Schema):
    total = fields.Integer(required=True)
    tracks = fields.List(fields.Nested(Track), required=True)


class SimilarArgs(Request):
    count = Clamped(10, 1, 50)


class SimilarTracks(Schema):
    track = identifier(required=True)
    similar = fields.List(fields.Nested(Track), required=True)


class PathArgs(Request):
    start = identifier(required=True, data_key="from", metadata={"description": "Start track"})
    end = identifier(required=True, data_key="to", metadata={"description": "Destination"})
    count = Clamped(8, 3, 30)


class TrackPath(Schema):
    start = identifier(required=True, data_key="from")
    end = identifier(required=True, data_key="to")
    tracks = fields.List(fields.Nested(Track), required=True)


class StreamHeaders(Request):
    Range = fields.String(metadata={"example": "bytes=0-1023"})


AUDIO = {"type": "string", "format": "binary"}


class LibraryFailure(Schema):
    id = identifier()
    path = fields.String()
    error = fields.String(allow_none=True)


class LibraryStatus(Schema):
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    failures = fields.List(fields.Nested(LibraryFailure), required=True)
