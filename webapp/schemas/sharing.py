"""Playlists shared in rooms, and blends of several people's taste."""

from __future__ import annotations

from marshmallow import Schema, fields
from marshmallow.validate import Length, OneOf, Range

from models.blend import BLEND_ALGORITHMS
from webapp.schemas.fields import Clamped, Request, StrictBoolean, StrictNumber, identifier, said
from webapp.schemas.limits import (
    BLEND_COUNT,
    BLEND_WEIGHT,
    ID_LENGTH,
    MAX_NAME,
    ROOM_ROLES,
)
from webapp.schemas.tracks import Track


class PlaylistName(Schema):
    id = identifier(required=True)
    name = fields.String(required=True)


class EditablePlaylists(Schema):
    playlists = fields.List(fields.Nested(PlaylistName), required=True)


class AddTrack(Request):
    track_id = said(
        "Send a JSON object with a 'track_id' string.",
        fields.String(required=True, validate=Length(1, ID_LENGTH)),
    )


class TrackAdded(Schema):
    playlist = identifier(required=True)
    name = fields.String(required=True)
    seq = fields.Integer(required=True)


class SuggestionArgs(Request):
    count = Clamped(10, 1, 50)


class PlaylistSuggestions(Schema):
    playlist = identifier()
    tracks = fields.List(fields.Nested(Track), required=True)


class InviteRequest(Request):
    role = said(
        "'role' must be viewer, editor or admin",
        fields.String(load_default="editor", validate=OneOf(ROOM_ROLES)),
    )


class Invite(Schema):
    url = fields.String(required=True)
    role = fields.String(required=True)


class Visibility(Request):
    public = said("'public' must be true or false", StrictBoolean(required=True))


MEMBER_REFUSED = (
    f"Each member needs a 'user_id' and a 'weight' from {BLEND_WEIGHT[0]} to {BLEND_WEIGHT[1]}."
)


class BlendMemberRequest(Request):
    user_id = said(MEMBER_REFUSED, identifier(required=True))
    weight = said(MEMBER_REFUSED, StrictNumber(load_default=1.0, validate=Range(*BLEND_WEIGHT)))


class BlendRequest(Request):
    name = said(
        f"'name' must be text of at most {MAX_NAME} characters.",
        fields.String(allow_none=True, load_default=None, validate=Length(max=MAX_NAME),
                      metadata={"default": "Blend"}),
    )  # fmt: skip
    members = said(
        "'members' must be a list of {user_id, weight}.",
        fields.List(fields.Nested(BlendMemberRequest), required=True),
    )
    algorithm = said(
        f"'algorithm' must be one of {', '.join(BLEND_ALGORITHMS)}.",
        fields.String(load_default="balanced", validate=OneOf(BLEND_ALGORITHMS)),
    )
    count = said(
        f"'count' must be a whole number from {BLEND_COUNT[0]} to {BLEND_COUNT[1]}.",
        fields.Integer(strict=True, load_default=20, validate=Range(*BLEND_COUNT)),
    )


class BlendMemberStatus(Schema):
    user_id = identifier(required=True)
    name = fields.String()
    weight = fields.Float()
    status = fields.String(required=True, validate=OneOf(["pending", "accepted"]))


class BlendState(Schema):
    blend = identifier(required=True)
    name = fields.String()
    owner = identifier()
    algorithm = fields.String()
    count = fields.Integer()
    members = fields.List(fields.Nested(BlendMemberStatus), required=True)
    pending = fields.List(fields.String(), required=True)
    ready = fields.Boolean(required=True, metadata={"description": "two or more accepted"})


class BlendInvite(Request):
    user_ids = said(
        "'user_ids' must be a non-empty list of user ids.",
        fields.List(identifier(), required=True, validate=Length(min=1)),
    )


class BlendLeft(Schema):
    blend = identifier(required=True)
    left = fields.Boolean(required=True)


class BlendRunMade(Schema):
    blend = identifier(required=True)
    run = fields.Integer(required=True)
    playlist = identifier(required=True)
    url = fields.String(required=True)
    match = fields.Float(allow_none=True)
    pairs = fields.Dict()
    shares = fields.Dict()
    tracks = fields.Integer(required=True)
    pending = fields.List(fields.String())
