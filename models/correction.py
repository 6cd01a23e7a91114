"""Editors' corrections of a track's tempo or key, kept apart from the analysis.

Analysis writes ``Track.features``; corrections live here, append-only, so re-analysis
and rescans never touch them. The effective values are the latest correction of each
field, laid over the analysed features wherever a track's tempo or key is used.
"""

from __future__ import annotations

from mongoengine import FloatField, IntField, ReferenceField, StringField

from models.base import BaseDocument, now_ms
from models.track import Track
from models.user import User


class TrackCorrection(BaseDocument):
    """One correction: a new BPM and/or key (with its mode), who made it and why."""

    meta = {"collection": "track_corrections", "indexes": [("track", "at_ms"), "by"]}

    track = ReferenceField(Track, required=True)
    by = ReferenceField(User, null=True)  # None once the editor deleted their account
    bpm = FloatField(null=True, min_value=20, max_value=300)
    key = StringField(null=True, max_length=2)
    scale = StringField(null=True, choices=("major", "minor"))
    reason = StringField(required=True, max_length=300)
    at_ms = IntField(default=now_ms)

    @classmethod
    def history(cls, track_id: str) -> list[dict]:
        """Every correction of one track, newest first, as plain dicts."""
        return list(cls.objects(track=track_id).order_by("-at_ms").as_pymongo())


def effective_corrections(track_ids: list[str] | None = None, named: bool = False) -> dict:
    """``{track_id: {"bpm": {...}, "key": {...}}}`` from the latest correction of each field.

    Each entry holds ``value`` (``key`` also ``scale``), ``by`` (user id), ``reason``, ``at_ms``.
    """
    query = TrackCorrection.objects if track_ids is None else TrackCorrection.objects(
        track__in=list(track_ids))  # fmt: skip
    result: dict[str, dict] = {}
    for doc in query.order_by("at_ms").as_pymongo():
        entry = result.setdefault(doc["track"], {})
        note = {"by": doc.get("by"), "reason": doc.get("reason"), "at_ms": doc.get("at_ms")}
        if doc.get("bpm") is not None:
            entry["bpm"] = {"value": doc["bpm"], **note}
        if doc.get("key"):
            entry["key"] = {"value": doc["key"], "scale": doc.get("scale") or "major", **note}
    if named:  # add ``by_name``: who made it, for display
        ids = {e["by"] for fields in result.values() for e in fields.values() if e["by"]}
        people = User.objects.in_bulk(list(ids))
        for fields in result.values():
            for e in fields.values():
                user = people.get(e["by"])
                e["by_name"] = user.display_name if user else "a former member"
    return result


def corrected_features(features: dict, correction: dict | None) -> dict:
    """``features`` with the corrected ``bpm``, ``key``, ``scale`` and ``camelot`` laid over."""
    if not correction:
        return features
    from core.analysis import camelot

    result = dict(features)
    if "bpm" in correction:
        result["bpm"] = correction["bpm"]["value"]
    if "key" in correction:
        result["key"] = correction["key"]["value"]
        result["scale"] = correction["key"]["scale"]
        result["camelot"] = camelot(result["key"], result["scale"])
    return result
