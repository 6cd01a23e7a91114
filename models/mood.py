"""Seeded moods and the queries people type."""

from __future__ import annotations

from mongoengine import DictField, IntField, ListField, ReferenceField, StringField

from models.base import BaseDocument
from models.user import User


class Mood(BaseDocument):
    """A mood, activity or setting that queries are matched against."""

    meta = {"collection": "moods", "indexes": [{"fields": ["key"], "unique": True}, "order"]}

    key = StringField(required=True)
    label = StringField(required=True)
    emoji = StringField()
    sentences = ListField(StringField(), required=True)
    keywords = ListField(StringField())
    # feature name -> [low, high]
    targets = DictField()
    # musicnn tag name -> weight in [-1, 1]
    tag_weights = DictField()
    order = IntField(default=0)


class MoodQuery(BaseDocument):
    """Free text someone typed, and what the parser made of it."""

    meta = {"collection": "mood_queries", "indexes": [("user", "-created_at")]}

    user = ReferenceField(User, required=True)
    text = StringField(required=True, max_length=500)
    parsed = DictField()
    model_version = StringField()
