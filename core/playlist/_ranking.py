"""Scoring candidate tracks against a parsed mood, with reasons people can read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from core.analysis import pitch_class, pitch_class_or_none
from core.catalog import FEATURES, Catalog, query_vector
from core.playlist._heard import heard_pct
from core.playlist._reasons import explain

WEIGHTS = {"fit": 0.5, "tags": 0.45, "taste": 0.25, "recent": 0.3}
# How far outside a range (0-1 scale) a value may stray at fit exp(-1), per FEATURES.
# Energy is calibrated and what people mean most ("calm", "party"): it is held tightest. Its
# composed levels sit 0.2 apart; at 0.04 a track 0.04 past the range no longer fits (seen
# report sets: 0.08 -> 0.04 raised every set's fit by 0.003-0.018, calm lists most).
FIT_WIDTH = np.array([0.12, 0.04, 0.2, 0.2, 0.2], dtype=np.float32)
DEFAULT_MAX_PER_ARTIST = 2
ANY_BPM = 1000.0
TEMPO = FEATURES.index("tempo")
PRIMARY = [FEATURES.index("tempo"), FEATURES.index("energy")]
MOOD_TEMPO_SLACK = 20.0  # BPM either side of a tempo range no one stated
_TEMPO_STATED = {"tempo_min", "tempo_max"}


@dataclass
class Target:
    """A mood spec turned into percentile space for one catalog."""

    low: np.ndarray  # per FEATURES, percentiles
    high: np.ndarray
    weights: np.ndarray
    tag_weights: np.ndarray  # per catalog tag

    @property
    def centers(self) -> np.ndarray:
        return (self.low + self.high) / 2

    def query(self) -> np.ndarray:
        return query_vector(self.centers, self.weights, self.tag_weights)


@dataclass
class Candidate:
    """One ranked track: total score, its parts, and why."""

    row: int
    track_id: str
    score: float
    parts: dict[str, float] = field(default_factory=dict)
    reason: str = ""


def make_target(spec, catalog: Catalog) -> Target:
    """Percentile ranges and weights for ``spec`` (a ``MoodSpec``) in ``catalog``'s space."""
    low, high = np.zeros(len(FEATURES)), np.ones(len(FEATURES))
    constraints = spec.constraints or {}
    for i, name in enumerate(FEATURES):
        # Tempo targets are raw BPM; without one, every tempo fits (not "0-1 BPM").
        default = (0.0, ANY_BPM) if name == "tempo" else (0.0, 1.0)
        lo, hi = (spec.targets or {}).get(name, default)
        if name == "energy" and spec.arc:
            # The pool must reach every energy level the arc asks for.
            lo, hi = max(0.0, min(spec.arc) - 0.1), min(1.0, max(spec.arc) + 0.1)
        if name == "tempo" and hi < ANY_BPM and not _TEMPO_STATED & constraints.keys():
            # The moods' tempo is a guess ("angry" says 110-160 BPM; thrash runs at 180):
            # it ranks, but loosely enough not to gate out what the words allow.
            lo, hi = max(0.0, lo - MOOD_TEMPO_SLACK), hi + MOOD_TEMPO_SLACK
        if name == "tempo":  # within the stated range, the target may prefer a part ("fast")
            stated = constraints.get("tempo_min", lo), constraints.get("tempo_max", hi)
            lo, hi = max(lo, stated[0]), min(hi, stated[1])
            if lo > hi:  # the moods' range lies outside the stated one: the stated one rules
                lo, hi = stated
            lo, hi = catalog.space.pct("tempo", [lo, hi]) if len(catalog) else (0.0, 1.0)
        low[i], high[i] = lo, hi
    half_width = np.maximum((high - low) / 2, 0.0)
    weights = 1.0 / (half_width + 0.1)
    weights = weights / weights.sum() * len(FEATURES)
    tags = np.array([spec.tag_weights.get(t, 0.0) for t in catalog.tag_names], dtype=np.float32)
    return Target(low.astype(np.float32), high.astype(np.float32), weights.astype(np.float32), tags)


def allowed_mask(spec, catalog: Catalog) -> np.ndarray:
    """Rows that satisfy the hard constraints of ``spec``."""
    c = spec.constraints or {}
    n = len(catalog)
    mask = np.ones(n, dtype=bool)
    bpm = catalog.raw["bpm"]
    if "tempo_min" in c:
        mask &= bpm >= c["tempo_min"]
    if "tempo_max" in c:
        mask &= bpm <= c["tempo_max"]
    if c.get("scale"):
        mask &= np.array([s == c["scale"] for s in catalog.text["scale"]])
    if c.get("key"):
        want = pitch_class(c["key"])
        mask &= np.array([pitch_class_or_none(k) == want for k in catalog.text["key"]])
    if c.get("camelot_in"):  # relaxed keys (core.playlist._relax): harmonically compatible codes
        codes = set(c["camelot_in"])
        mask &= np.array([code in codes for code in catalog.text["camelot"]])
    tag_index = {t: j for j, t in enumerate(catalog.tag_names)}
    if c.get("instrumental") is not None and "instrumental" in tag_index:
        inst = catalog.tags_pct[:, tag_index["instrumental"]]
        mask &= inst >= 0.5 if c["instrumental"] else inst <= 0.5
    # "piano": tracks where the model hears a piano. "piano and strings" asks for that
    # sound, not for both in every track: any of them (the tag weights prefer both).
    heard = [catalog.tags_pct[:, tag_index[t]] >= heard_pct(catalog, t)
             for t in c.get("include_tags", []) if t in tag_index]  # fmt: skip
    if heard:
        mask &= np.logical_or.reduce(heard)
    for tag in c.get("exclude_tags", []):
        if tag in tag_index:
            cut = heard_pct(catalog, tag)
            mask &= catalog.tags_pct[:, tag_index[tag]] < cut
    if c.get("beat") is not None:  # "no drums": the measured pulse, not a tag
        mask &= catalog.pulse(np.arange(n)) == c["beat"]
    for name, values in (("artist", "exclude_artists"), ("genre", "exclude_genres")):
        banned = {v.lower() for v in c.get(values, [])}
        if banned:
            mask &= np.array([(v or "").lower() not in banned for v in catalog.text[name]])
    for name, values in (
        ("artist", "include_artists"),
        ("genre", "include_genres"),
        ("album", "include_albums"),
    ):
        wanted = {v.lower() for v in c.get(values, [])}
        if wanted:
            mask &= np.array([(v or "").lower() in wanted for v in catalog.text[name]])
    return mask


def _per_feature(rows: np.ndarray, target: Target, catalog: Catalog) -> np.ndarray:
    """How well each row meets each target range (1 inside, decaying outside)."""
    x = catalog.pct[rows]
    distance = np.maximum(target.low - x, 0) + np.maximum(x - target.high, 0)
    distance[:, TEMPO] *= catalog.pulse(rows)  # no beat, no tempo to hold against it
    return np.exp(-((distance / FIT_WIDTH) ** 2))


def primary_fit(target: Target, catalog: Catalog) -> np.ndarray:
    """Per catalog row: how badly the primary qualities (energy, tempo) are missed (1 = not)."""
    return _per_feature(np.arange(len(catalog)), target, catalog)[:, PRIMARY].min(axis=1)


def score_rows(
    rows: np.ndarray,
    target: Target,
    catalog: Catalog,
    taste: Callable[[np.ndarray], np.ndarray] | None = None,
    recent: set[str] | None = None,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Total score and its parts for catalog ``rows``."""
    per_feature = _per_feature(rows, target, catalog)
    # A weighted geometric mean: missing one asked-for quality badly (a loud track for
    # "calm") cannot be made up by fitting the others.
    logs = np.log(np.maximum(per_feature, 1e-4)) * target.weights
    fit = np.exp(logs.sum(axis=1) / target.weights.sum())
    norm = float(np.abs(target.tag_weights).sum()) or 1.0
    tags = ((2 * catalog.tags_pct[rows] - 1) @ target.tag_weights) / norm
    taste_part = np.zeros(len(rows)) if taste is None else np.clip(taste(rows), -1, 1)
    recent_part = np.array(
        [1.0 if recent and catalog.ids[r] in recent else 0.0 for r in rows], dtype=np.float32
    )
    total = (
        WEIGHTS["fit"] * fit
        + WEIGHTS["tags"] * (tags + 1) / 2
        + WEIGHTS["taste"] * taste_part
        - WEIGHTS["recent"] * recent_part
    )
    # The primary qualities (energy, tempo) missed worst: core.playlist._selection's gate.
    # Brightness, danceability and valence are estimates, so they rank but never exclude.
    worst = per_feature[:, PRIMARY].min(axis=1)
    parts = {"fit": fit, "worst": worst, "tags": tags, "taste": taste_part,
             "recent": -recent_part}  # fmt: skip
    return total, parts


def rank(
    rows: np.ndarray,
    spec,
    catalog: Catalog,
    target: Target | None = None,
    taste=None,
    recent: set[str] | None = None,
    labels: dict[str, str] | None = None,
    limit: int = 200,
    max_per_artist: int | None = DEFAULT_MAX_PER_ARTIST,
    taste_reason: Callable[[int], str | None] | None = None,
) -> list[Candidate]:
    """Score ``rows``, drop duplicates and over-represented artists, explain the best."""
    target = target or make_target(spec, catalog)
    if (spec.constraints or {}).get("include_artists"):
        max_per_artist = None  # asked for an artist: do not cap them
    total, parts = score_rows(rows, target, catalog, taste, recent)
    order = np.argsort(-total, kind="stable")
    seen_recordings: set[str] = set()
    per_artist: dict[str, int] = {}
    out: list[Candidate] = []
    for j in order:
        row = int(rows[j])
        recording = catalog.text["fingerprint"][row] or catalog.ids[row]
        artist = (catalog.text["artist"][row] or "").lower()
        if recording in seen_recordings:
            continue
        if max_per_artist and artist and per_artist.get(artist, 0) >= max_per_artist:
            continue
        seen_recordings.add(recording)
        per_artist[artist] = per_artist.get(artist, 0) + 1
        candidate_parts = {name: round(float(values[j]), 4) for name, values in parts.items()}
        reason = explain(row, catalog, spec)
        extra = taste_reason(row) if taste_reason else None
        if extra:
            reason = f"{reason}; {extra}"
        out.append(
            Candidate(row, catalog.ids[row], round(float(total[j]), 4), candidate_parts, reason)
        )
        if len(out) >= limit:
            break
    return out
