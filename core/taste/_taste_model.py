"""Learning what one person likes from their plays, skips, likes and dislikes.

Feedback becomes a time-decayed weight per track (likes and completions up,
skips and dislikes down). Liked and disliked tracks then form two weighted
classes in the library's percentile space (features + tags): their weighted
means (shrunk towards the whole library) and spreads give a per-dimension
log-likelihood ratio, so a taste can be a *band* ("medium energy") and not
only a direction. With embeddings, the cosine to the liked minus the
disliked mean embedding adds "sounds like what you like", in proportion to
how much tighter than chance each group clusters. Disliked and often
skipped tracks, and artists disliked several times, are penalised directly.

A model is learned once per user and bound to a catalog: ``score(rows)``
and ``reason(row)`` read precomputed per-row arrays. ``to_dict`` keeps only
the per-track aggregates, so a cached model can be bound to a newer catalog.
"""

from __future__ import annotations

import numpy as np

from core.catalog import FEATURES, Catalog
from core.taste._feedback import Feedback, aggregate
from core.taste._taste_stats import artist_penalties, cluster, moments, space, squash

EMBEDDING_GAIN = 40.0  # nats per unit of cosine difference
LIKED_BONUS = 0.3
SKIP_PENALTY, SKIP_PENALTY_CAP = 0.25, 0.75
DISLIKE_PENALTY = 2.0  # a fresh dislike outweighs any similarity: the track is out
REASON_ANCHORS, REASON_MIN_SCORE, STRONG_LIKE = 20, 0.2, 0.5
TAG_SHIFT = 0.1  # smaller percentile shifts are mostly sampling noise


class TasteModel:
    """One person's taste: per-track aggregates, and per-row scores once bound."""

    def __init__(self, tracks: dict[str, list[float]] | None = None, events_used: int = 0,
                 half_life_days: float = 30.0, learned_at: float = 0.0):  # fmt: skip
        # track id -> [net weight, likes, dislikes, skips], all decayed to ``learned_at``
        self.tracks = {t: list(v) for t, v in (tracks or {}).items() if any(v)}
        self.events_used = events_used
        self.half_life_days = half_life_days
        self.learned_at = learned_at
        self.catalog: Catalog | None = None

    @property
    def is_empty(self) -> bool:
        return not self.tracks

    @classmethod
    def empty(cls) -> TasteModel:
        """The model after a reset: neutral about everything."""
        return cls()

    @classmethod
    def learn(cls, events: list[Feedback], catalog: Catalog, now: float,
              half_life_days: float = 30) -> TasteModel:  # fmt: skip
        """Aggregate ``events`` (decayed to ``now``) and bind the model to ``catalog``."""
        tracks, used = aggregate(events, catalog, now, half_life_days)
        return cls(tracks, used, half_life_days, now).bind(catalog)

    def bind(self, catalog: Catalog) -> TasteModel:
        """This model with per-row arrays for ``catalog`` (self when already bound to it)."""
        if self.catalog is catalog:
            return self
        model = TasteModel(self.tracks, self.events_used, self.half_life_days, self.learned_at)
        model._fit(catalog)
        return model

    def _fit(self, catalog: Catalog) -> None:
        self.catalog = catalog
        known = [(catalog.position[t], v) for t, v in self.tracks.items() if t in catalog.position]
        rows = np.array([r for r, _ in known], dtype=int)
        net, likes, dislikes, skips = np.array([v for _, v in known], dtype=float).reshape(-1, 4).T
        x = space(catalog)
        self._pos = moments(x[rows[net > 0]], net[net > 0])
        self._neg = moments(x[rows[net < 0]], -net[net < 0])
        self._relevance = 1 / self._pos[1]  # the liked class's sharp dimensions define "similar"
        self.artist_penalties = artist_penalties(catalog, rows, net)
        strong = np.flatnonzero(likes >= STRONG_LIKE)
        self._anchors = rows[strong[np.argsort(-net[strong], kind="stable")][:REASON_ANCHORS]]
        if self.is_empty:
            self._scores = np.zeros(len(catalog), dtype=np.float32)
            return
        (mp, vp), (mn, vn) = self._pos, self._neg
        # Both parts are evidence in nats, added before squashing, so whichever space
        # actually separates this person's likes from dislikes dominates.
        # (x-mn)^2/2vn - (x-mp)^2/2vp summed over dimensions, as two matrix products.
        quad, lin = 1 / (2 * vn) - 1 / (2 * vp), mp / vp - mn / vn
        evidence = (x * x) @ quad + x @ lin + float((mn**2 / (2 * vn) - mp**2 / (2 * vp)).sum())
        if catalog.embeddings is not None and len(catalog):
            emb = catalog.embeddings
            spread = float(np.linalg.norm(emb.mean(axis=0))) ** 2
            for sign, side in ((1, net > 0), (-1, net < 0)):
                centre, tight = cluster(emb[rows[side]], np.abs(net[side]), spread)
                evidence = evidence + sign * EMBEDDING_GAIN * tight * (emb @ centre)
        score = squash(evidence)
        score[rows] += LIKED_BONUS * np.tanh(np.maximum(net, 0))
        score[rows] -= np.minimum(SKIP_PENALTY * skips, SKIP_PENALTY_CAP)
        score[rows] -= DISLIKE_PENALTY * dislikes
        if self.artist_penalties:
            names = [(a or "").lower() for a in catalog.text["artist"]]
            score -= np.array([self.artist_penalties.get(a, 0.0) for a in names])
        self._scores = np.clip(score, -1, 1).astype(np.float32)

    def _bound(self) -> Catalog:
        if self.catalog is None:
            raise RuntimeError("TasteModel is not bound to a catalog; call bind(catalog)")
        return self.catalog

    def score(self, rows: np.ndarray) -> np.ndarray:
        """Taste score in [-1, 1] of catalog ``rows``; zeros for an empty model."""
        rows = np.asarray(rows, dtype=int)
        if self.is_empty:
            return np.zeros(len(rows), dtype=np.float32)
        self._bound()
        return self._scores[rows]

    def reason(self, row: int, who: str = "you") -> str | None:
        """Why ``row`` suits this taste, naming the most similar strongly liked track."""
        if self.is_empty:
            return None
        catalog = self._bound()
        if not len(self._anchors) or self._scores[row] < REASON_MIN_SCORE:
            return None
        if row in self._anchors:
            return f"{who} liked it before"
        anchor = int(self._anchors[np.argmax(_similarity(catalog, row, self._anchors, self))])
        title = catalog.text["title"][anchor] or catalog.ids[anchor]
        artist = catalog.text["artist"][anchor]
        return f"because {who} liked {title}" + (f" by {artist}" if artist else "")

    def summary(self, catalog: Catalog) -> dict:
        """JSON for a "your taste" page."""
        model = self.bind(catalog)
        agg = {t: v for t, v in self.tracks.items() if t in catalog.position}
        liked = sorted((t for t, v in agg.items() if v[0] > 0), key=lambda t: -agg[t][0])
        top = []
        for track_id in liked[:10]:
            info = catalog.describe(catalog.position[track_id])
            top.append({k: info[k] for k in ("id", "title", "artist")})
            top[-1]["weight"] = round(agg[track_id][0], 3)
        out = {
            "empty": self.is_empty,
            "events_used": self.events_used,
            "half_life_days": self.half_life_days,
            "liked": sum(1 for v in agg.values() if v[1] > 0 and v[0] > 0),
            "disliked": sum(1 for v in agg.values() if v[2] > 0),
            "skipped": sum(1 for v in agg.values() if v[3] > 0),
            "top_liked": top,
            "penalised_artists": [],
            "preferred": {f: 0.0 for f in FEATURES},
            "tags": {"more": [], "less": []},
        }
        if self.is_empty:
            return out
        names = {(a or "").lower(): a for a in catalog.text["artist"]}
        out["penalised_artists"] = [
            {"artist": names.get(a, a), "penalty": round(p, 3)}
            for a, p in sorted(model.artist_penalties.items(), key=lambda kv: -kv[1])
        ]
        direction = model._pos[0] - model._neg[0]
        k = len(FEATURES)
        out["preferred"] = {f: round(float(direction[i]), 3) for i, f in enumerate(FEATURES)}
        tags = direction[k:]
        order = np.argsort(-tags, kind="stable")
        # Instrument tags are stored as "mtt:piano"; people read "piano", once.
        names = [n.split(":", 1)[-1] for n in catalog.tag_names]
        more = [names[j] for j in order if tags[j] > TAG_SHIFT]
        less = [names[j] for j in order[::-1] if tags[j] < -TAG_SHIFT]
        out["tags"] = {"more": list(dict.fromkeys(more))[:5], "less": list(dict.fromkeys(less))[:5]}
        return out

    def to_dict(self) -> dict:
        """Plain JSON: the decayed per-track aggregates, not the catalog arrays."""
        return {
            "version": 1,
            "half_life_days": self.half_life_days,
            "learned_at": self.learned_at,
            "events_used": self.events_used,
            "tracks": {t: [round(x, 6) for x in v] for t, v in self.tracks.items()},
        }

    @classmethod
    def from_dict(cls, data: dict, catalog: Catalog | None = None) -> TasteModel:
        """Inverse of ``to_dict``; bound to ``catalog`` when given."""
        model = cls(data.get("tracks"), data.get("events_used", 0),
                    data.get("half_life_days", 30.0), data.get("learned_at", 0.0))  # fmt: skip
        return model.bind(catalog) if catalog is not None else model


def _similarity(catalog: Catalog, row: int, anchors: np.ndarray, model: TasteModel):
    """Similarity of ``row`` to each anchor: embedding cosine, else a weighted distance."""
    if catalog.embeddings is not None:
        return catalog.embeddings[anchors] @ catalog.embeddings[row]
    return -(((space(catalog, anchors) - space(catalog, [row])) ** 2) * model._relevance).sum(1)
