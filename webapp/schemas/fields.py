"""Fields that refuse what the views refused by hand, each with one message naming itself."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields
from marshmallow.validate import Length

from webapp.schemas.limits import ID_LENGTH


class Request(Schema):
    """A request: fields the view does not know are left out, not refused."""

    class Meta:
        unknown = EXCLUDE


def said(message: str, field: fields.Field) -> fields.Field:
    """``field`` answering every refusal with ``message`` (validators given their own keep it)."""
    literal = message.replace("{", "{{").replace("}", "}}")  # marshmallow formats messages
    field.error_messages = dict.fromkeys(field.error_messages, literal)
    for validator in field.validators:
        if getattr(validator, "error", None) in (None, getattr(validator, "default_message", None)):
            validator.error = literal
    return field


class StrictBoolean(fields.Boolean):
    """Only JSON ``true`` or ``false`` (marshmallow would take 1 and "yes")."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class StrictNumber(fields.Float):
    """A JSON number, not a boolean or a numeric string."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class Clamped(fields.Integer):
    """A query count held to ``low``-``high``; anything not a whole number means the default."""

    def __init__(self, default: int, low: int, high: int, **kwargs):
        self.low, self.high = low, high
        super().__init__(load_default=default, dump_default=default, **kwargs)
        self.metadata.update(minimum=low, maximum=high, description=f"Clamped to {low}-{high}")

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        return min(max(number or self.load_default, self.low), self.high)


def identifier(**kwargs) -> fields.String:
    """An id: an opaque string of at most 64 characters."""
    return fields.String(validate=Length(max=ID_LENGTH), **kwargs)


class Error(Schema):
    """Every refusal: what to fix, in words."""

    error = fields.String(required=True, metadata={"description": "What to fix, in words"})


class Ok(Schema):
    """Done."""

    ok = fields.Boolean(required=True)
