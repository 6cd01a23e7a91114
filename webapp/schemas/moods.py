"""Asking for a mood, following its generation, and saving the result."""

from __future__ import annotations

from marshmallow import Schema, fields
from marshmallow.validate import Length, OneOf, Range, Regexp

from models.generation import GENERATION_STATUSES
from webapp.schemas.fields import Request, identifier, said
from webapp.schemas.limits import MAX_COUNT, MAX_QUERY_LENGTH, MAX_SEED
from webapp.schemas.tracks import Track

NOT_BLANK = Regexp(r"\S")  # at least one character that is not a space


class MoodRequest(Request):
    text = said(
        "Describe a mood, for example “rainy sunday morning, calm but hopeful”.",
        fields.String(
            required=True,
            validate=[
                NOT_BLANK,
                Length(
                    max=MAX_QUERY_LENGTH,
                    error=f"That is too long: keep it under {MAX_QUERY_LENGTH} characters.",
                ),
            ],
            metadata={"example": "rainy sunday morning, calm"},
        ),
    )
    count = said(
        f"'count' must be a whole number from 1 to {MAX_COUNT}.",
        fields.Integer(strict=True, allow_none=True, load_default=None,
                       validate=Range(1, MAX_COUNT)),
    )  # fmt: skip
    seed = said(
        "'seed' must be a non-negative whole number.",
        fields.Integer(strict=True, load_default=0, validate=Range(0, MAX_SEED)),
    )


class GenerationStarted(Schema):
    session = identifier(required=True)
    status = fields.String(required=True)
    url = fields.String(required=True)


class Generation(Schema):
    session = identifier(required=True)
    status = fields.String(required=True, validate=OneOf(GENERATION_STATUSES))
    error = fields.String(allow_none=True)
    text = fields.String(allow_none=True)
    parsed = fields.Dict()
    tracks = fields.List(fields.Nested(Track), required=True)
    stats = fields.Dict()
    timings = fields.Dict()
    algorithms = fields.Dict()
    library = fields.Dict(
        allow_none=True,
        metadata={"description": "analysed / total / waiting / in_catalog tracks, and a "
                  "notice while a scan is still analysing"},
    )  # fmt: skip


class SaveRequest(Request):
    name = said(
        "Give the playlist a name.",
        fields.String(
            allow_none=True,
            load_default=None,
            validate=NOT_BLANK,
            metadata={"description": "Defaults to the mood text; cut to 120"},
        ),
    )


class SavedPlaylist(Schema):
    playlist = identifier(required=True)
    name = fields.String(required=True)
    url = fields.String(required=True)
