"""Answers about the service itself."""

from __future__ import annotations

from marshmallow import Schema, fields
from marshmallow.validate import OneOf

UP_DOWN = OneOf(["up", "down"])


class Pools(Schema):
    interactive = fields.String(required=True, validate=UP_DOWN)
    bulk = fields.String(required=True, validate=UP_DOWN)


class Health(Schema):
    mongo = fields.String(required=True, validate=UP_DOWN)
    redis = fields.String(required=True, validate=UP_DOWN)
    worker = fields.String(required=True, validate=UP_DOWN)
    pools = fields.Nested(Pools, required=True)
    workers = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "node names of the Celery workers that answered a ping"},
    )
    version = fields.String(required=True)
    down = fields.List(fields.String())
    errors = fields.Dict()
