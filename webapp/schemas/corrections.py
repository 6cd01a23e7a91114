"""Editors' corrections of a track's tempo or key."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validates_schema
from marshmallow.validate import Length, OneOf, Range, Regexp

from core.analysis import pitch_class
from webapp.schemas.fields import Request, StrictNumber, identifier, said
from webapp.schemas.limits import BPM_RANGE, MAX_REASON

KEY_REFUSED = "'key' must be a note name such as 'A', 'F#' or 'Bb'."


def _note(name: str) -> None:
    try:
        pitch_class(name)
    except (ValueError, IndexError):  # IndexError: only spaces
        raise ValidationError(KEY_REFUSED) from None


class CorrectionRequest(Request):
    bpm = said(
        f"'bpm' must be a number from {BPM_RANGE[0]} to {BPM_RANGE[1]}.",
        StrictNumber(allow_none=True, load_default=None, validate=Range(*BPM_RANGE)),
    )
    key = said(
        KEY_REFUSED,
        fields.String(allow_none=True, load_default=None, validate=[Length(1, 3), _note],
                      metadata={"example": "F#"}),
    )  # fmt: skip
    scale = said(
        "With a 'key', give 'scale': 'major' or 'minor'.",
        fields.String(allow_none=True, load_default=None, validate=OneOf(["major", "minor"])),
    )
    reason = said(
        f"Say why in 'reason' (1 to {MAX_REASON} characters).",
        fields.String(required=True, validate=[Regexp(r"\S"), Length(max=MAX_REASON)]),
    )

    @validates_schema
    def _something_to_correct(self, data, **_kwargs):
        if data["bpm"] is None and data["key"] is None:
            raise ValidationError("Correct at least one of 'bpm' or 'key'.")
        if data["key"] is not None and data["scale"] is None:
            raise ValidationError("With a 'key', give 'scale': 'major' or 'minor'.")


class Corrections(Schema):
    track = identifier(required=True)
    effective = fields.Dict(required=True)
    history = fields.List(fields.Dict(), required=True)
