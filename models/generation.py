"""One run of the mood-to-playlist pipeline."""

from __future__ import annotations

from mongoengine import (
    DateTimeField,
    DictField,
    EmbeddedDocument,
    EmbeddedDocumentListField,
    FloatField,
    IntField,
    ListField,
    ReferenceField,
    StringField,
)

from models.base import BaseDocument
from models.mood import MoodQuery
from models.user import User

GENERATION_STATUSES = ("pending", "processing", "completed", "failed")


class Candidate(EmbeddedDocument):
    """A track the pipeline considered, with its score broken down and explained."""

    track_id = StringField(required=True)
    score = FloatField()
    parts = DictField()
    reason = StringField()


class GenerationSession(BaseDocument):
    """Candidates, ordering, algorithm versions and timings of one generation.

    ``candidates`` is written once as a whole list (docs/data-layer.md, rule 3).
    """

    meta = {"collection": "generation_sessions", "indexes": [("user", "-created_at")]}

    user = ReferenceField(User, required=True)
    mood_query = ReferenceField(MoodQuery, null=True)
    status = StringField(choices=GENERATION_STATUSES, default="pending")
    error = StringField(null=True)
    candidates = EmbeddedDocumentListField(Candidate)
    ordering = ListField(StringField())
    algorithms = DictField()
    timings = DictField()
    stats = DictField()
    seed = IntField(default=0)  # 0: the best playlist; "Regenerate" counts up for other mixes
    finished_at = DateTimeField(null=True)
