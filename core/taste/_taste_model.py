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

from dataclasses import dataclass

import numpy as np

from core.catalog import FEATURES, Catalog

EVENT_WEIGHTS = {"like": 1.0, "complete": 0.3, "play": 0.0, "skip": -0.5, "dislike": -1.0}
LATE_SKIP_RELIEF = 0.8  # a skip at the very end costs a fifth of an early one
PRIOR_WEIGHT = 2.0  # each class starts as this many "average library" tracks
LIBRARY_VAR = 1 / 12  # variance of a uniform percentile
MIN_VAR = 0.004  # a few identical likes must not make a dimension infinitely sharp
EMBEDDING_GAIN = 40.0  # nats per unit of cosine difference
LIKED_BONUS = 0.3
SKIP_PENALTY, SKIP_PENALTY_CAP = 0.25, 0.75
DISLIKE_PENALTY = 2.0  # a fresh dislike outweighs any similarity: the track is out
ARTIST_MIN_TRACKS, ARTIST_PENALTY_PER, ARTIST_PENALTY_CAP = 2, 0.15, 0.5
REASON_ANCHORS, REASON_MIN_SCORE, STRONG_LIKE = 20, 0.2, 0.5
TAG_SHIFT = 0.1  # smaller percentile shifts are mostly sampling noise
DAY = 86_400.0


@dataclass(frozen=True)
class Feedback:
    """One listening event, by track id."""

    track_id: str
    event: str  # "play" | "complete" | "skip" | "like" | "dislike"
    at: float  # unix seconds
    position_ms: int | None = None
    elapsed_ms: int | None = None


def event_weight(event: Feedback, duration_s: float | None = None) -> float:
    """Undecayed weight of ``event``; a skip costs less the later it came."""
    if event.event not in EVENT_WEIGHTS:
        raise ValueError(f"unknown feedback event: {event.event!r}")
    weight = EVENT_WEIGHTS[event.event]
    heard_ms = event.position_ms if event.position_ms is not None else event.elapsed_ms
    if event.event == "skip" and heard_ms is not None and duration_s:
        fraction = min(max(heard_ms / 1000 / duration_s, 0.0), 1.0)
        weight *= 1 - LATE_SKIP_RELIEF * fraction
    return weight


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
        tracks: dict[str, list[float]] = {}
        used = 0
        for event in sorted(events, key=lambda e: e.at):
            row = catalog.position.get(event.track_id)
            if row is None:
                continue  # not (or no longer) in the library: nothing to learn from
            used += 1
            decay = 0.5 ** (max(now - event.at, 0.0) / (half_life_days * DAY))
            agg = tracks.setdefault(event.track_id, [0.0, 0.0, 0.0, 0.0])
            # The latest explicit judgement wins: liking a once-disliked track forgives it.
            if event.event == "like":
                agg[0], agg[2] = max(agg[0], 0.0), 0.0
            elif event.event == "dislike":
                agg[0], agg[1] = min(agg[0], 0.0), 0.0
            weight = event_weight(event, float(catalog.raw["duration"][row]))
            agg[0] += weight * decay
            if event.event in ("like", "dislike"):
                agg[1 if event.event == "like" else 2] += decay
            elif event.event == "skip":
                agg[3] += decay * weight / EVENT_WEIGHTS["skip"]
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
        x = _space(catalog)
        self._pos = _moments(x[rows[net > 0]], net[net > 0])
        self._neg = _moments(x[rows[net < 0]], -net[net < 0])
        self._relevance = 1 / self._pos[1]  # the liked class's sharp dimensions define "similar"
        self.artist_penalties = _artist_penalties(catalog, rows, net)
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
                centre, tight = _cluster(emb[rows[side]], np.abs(net[side]), spread)
                evidence = evidence + sign * EMBEDDING_GAIN * tight * (emb @ centre)
        score = _squash(evidence)
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
        out["tags"] = {
            "more": [catalog.tag_names[j] for j in order[:5] if tags[j] > TAG_SHIFT],
            "less": [catalog.tag_names[j] for j in order[::-1][:5] if tags[j] < -TAG_SHIFT],
        }
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


def _space(catalog: Catalog, rows=slice(None)) -> np.ndarray:
    """``rows`` (default all) in (feature percentiles + tag percentiles) space."""
    return np.hstack([catalog.pct[rows], catalog.tags_pct[rows]]).astype(np.float64)


def _moments(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean and variance, shrunk towards a uniform library with PRIOR_WEIGHT."""
    if not len(w):
        return np.full(x.shape[1], 0.5), np.full(x.shape[1], LIBRARY_VAR)
    total = w.sum() + PRIOR_WEIGHT
    mean = (w @ x + PRIOR_WEIGHT * 0.5) / total
    var = (w @ (x - mean) ** 2 + PRIOR_WEIGHT * LIBRARY_VAR) / total
    return mean, np.maximum(var, MIN_VAR)


def _cluster(vectors: np.ndarray, w: np.ndarray, library_r2: float) -> tuple[np.ndarray, float]:
    """Unit weighted mean of unit ``vectors``, and how much tighter they sit than chance.

    The squared length of a weighted mean of ``k`` random library tracks is about
    ``r2 + (1 - r2) / k`` (``r2``: the whole library's); only the excess over that
    says the tracks share a sound rather than happening to be averaged.
    """
    if not len(w) or w.sum() <= 0:
        return np.zeros(vectors.shape[1]), 0.0
    mean = (w @ vectors) / w.sum()
    length2 = float(mean @ mean)
    chance = library_r2 + (1 - library_r2) * float((w**2).sum() / w.sum() ** 2)
    tight = min(max((length2 - chance) / max(1 - chance, 1e-9), 0.0), 1.0)
    return mean / max(length2**0.5, 1e-9), tight


def _squash(values: np.ndarray) -> np.ndarray:
    """Into (-1, 1), relative to this library: the median track is 0."""
    if not len(values):
        return values.astype(np.float64)
    centred = values - np.median(values)
    scale = float(np.percentile(np.abs(centred), 90)) or 1.0
    return np.tanh(centred / scale)


def _artist_penalties(catalog: Catalog, rows: np.ndarray, net: np.ndarray) -> dict[str, float]:
    """Artists with several disliked or skipped tracks and more bad than good feedback."""
    bad: dict[str, list[float]] = {}
    for row, weight in zip(rows, net, strict=True):
        artist = (catalog.text["artist"][row] or "").lower()
        if artist:
            entry = bad.setdefault(artist, [0, 0.0])
            entry[0] += weight < 0
            entry[1] += weight
    return {
        artist: min(ARTIST_PENALTY_CAP, -ARTIST_PENALTY_PER * total / -EVENT_WEIGHTS["skip"])
        for artist, (count, total) in bad.items()
        if count >= ARTIST_MIN_TRACKS and total < 0
    }


def _similarity(catalog: Catalog, row: int, anchors: np.ndarray, model: TasteModel):
    """Similarity of ``row`` to each anchor: embedding cosine, else a weighted distance."""
    if catalog.embeddings is not None:
        return catalog.embeddings[anchors] @ catalog.embeddings[row]
    return -(((_space(catalog, anchors) - _space(catalog, [row])) ** 2) * model._relevance).sum(1)
