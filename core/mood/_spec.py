"""What a parsed mood query is: ``MoodSpec``, and the error for queries that cannot be parsed."""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field, fields

FEATURES = ("tempo", "energy", "brightness", "danceability", "valence")


class MoodQueryError(ValueError):
    """A query that cannot be parsed; the message is meant for people."""


@dataclass
class MoodSpec:
    """What a free-text query asks for, ready for ranking and sequencing."""

    text: str
    moods: dict[str, float] = field(default_factory=dict)
    targets: dict[str, list[float]] = field(default_factory=dict)
    tag_weights: dict[str, float] = field(default_factory=dict)
    constraints: dict = field(default_factory=dict)
    length: dict | None = None
    arc: list[float] | None = None
    arc_label: str | None = None
    matched: list[str] = field(default_factory=list)
    # Query word or phrase -> the mood it named, with that mood's targets and leading tags
    # (reasons say which words a track satisfies).
    words: dict[str, dict] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    model_version: str = ""

    def to_dict(self) -> dict:
        """A JSON-serialisable copy."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> MoodSpec:
        """Rebuild from ``to_dict`` output; missing fields take their defaults."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: copy.deepcopy(v) for k, v in d.items() if k in known})
