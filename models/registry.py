"""Versions of the models and indexes Moodroom runs."""

from __future__ import annotations

from mongoengine import BooleanField, DateTimeField, DictField, StringField

from models.base import BaseDocument


class ModelRegistry(BaseDocument):
    """One artifact (ML model or built index) with its checksum and metrics."""

    meta = {
        "collection": "model_registry",
        "indexes": [{"fields": ["name", "version"], "unique": True}, ("name", "-activated_at")],
    }

    name = StringField(required=True)
    version = StringField(required=True)
    artifact = StringField()
    sha256 = StringField()
    metrics = DictField()
    active = BooleanField(default=False)
    activated_at = DateTimeField(null=True)
