"""Shared base for every document.

String UUID primary keys are not a style choice: the embedded MongoDB server
silently matches nothing on equality against ObjectId fields other than
``_id`` (docs/data-layer.md), and string keys work the same on real MongoDB.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

from mongoengine import DateTimeField, Document, StringField


def new_id() -> str:
    """A fresh primary key: 32 lower-case hex characters."""
    return uuid.uuid4().hex


def utcnow() -> datetime:
    """Naive UTC now, as MongoDB stores datetimes."""
    return datetime.now(UTC).replace(tzinfo=None)


def iso_ms(ms: int | None) -> str | None:
    """Epoch milliseconds as ISO 8601 UTC (``2026-12-02T13:02:15.000Z``), or ``None``."""
    if not ms:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms / 1000)) + f".{ms % 1000:03d}Z"


def now_ms() -> int:
    """Milliseconds since the epoch: for times that are later changed with ``$set``."""
    return time.time_ns() // 1_000_000


class BaseDocument(Document):
    """Abstract document with a string primary key and a creation time."""

    meta = {"abstract": True}

    id = StringField(primary_key=True, default=new_id)
    created_at = DateTimeField(default=utcnow)

    @classmethod
    def plain(cls, doc_id, *fields: str, **match) -> dict | None:
        """One stored document as a plain dict (only ``fields`` when given), or ``None``.

        For reads on hot paths: no document object is built."""
        found = cls.objects(id=doc_id, **match)
        return (found.only(*fields) if fields else found).as_pymongo().first()
