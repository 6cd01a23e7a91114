"""Blends: one playlist mixed from several people's tastes, regenerated append-only."""

from __future__ import annotations

from mongoengine import (
    EmbeddedDocument,
    EmbeddedDocumentListField,
    FloatField,
    IntField,
    ListField,
    ReferenceField,
    StringField,
)

from models.base import BaseDocument
from models.playlist import Playlist
from models.user import User

BLEND_ALGORITHMS = ("balanced", "weighted", "discovery")


class BlendMember(EmbeddedDocument):
    user = ReferenceField(User, required=True)
    weight = FloatField(default=1.0, min_value=0.05, max_value=10)


class Blend(BaseDocument):
    """Who is in a blend and how it is mixed; members are replaced as a whole list."""

    # No index on "members.user": with one, the embedded server's find() on a
    # field inside a list of documents matches nothing (contract test).
    meta = {"collection": "blends", "indexes": ["owner"]}

    owner = ReferenceField(User, required=True)
    name = StringField(required=True, max_length=120)
    members = EmbeddedDocumentListField(BlendMember)
    algorithm = StringField(choices=BLEND_ALGORITHMS, default="balanced")
    count = IntField(default=20, min_value=2, max_value=100)
    match = FloatField(null=True)  # mean pairwise taste match, percent


class BlendRun(BaseDocument):
    """One generation of a blend: never updated, a new run is a new document."""

    meta = {"collection": "blend_runs", "indexes": [{"fields": ["blend", "run"], "unique": True}]}

    blend = ReferenceField(Blend, required=True)
    run = IntField(required=True)
    playlist = ReferenceField(Playlist, required=True)
    track_ids = ListField(StringField())
    sources = ListField(StringField())  # member user id per track
    reasons = ListField(StringField())
