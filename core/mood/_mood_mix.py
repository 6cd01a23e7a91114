"""What the chosen moods add up to: feature targets, tag weights and the energy arc.

``table`` is the parser's mood catalogue (``clean_mood`` entries by key); the parser
chooses the weights, these functions mix the moods' numbers with them.
"""

from __future__ import annotations

import numpy as np

from core.mood._rule_state import ArcRequest
from core.mood._spec import FEATURES

MIN_WEIGHT = 0.05  # lighter moods are dropped from the mix


def clean_mood(mood: dict) -> dict:
    """A catalogue entry with defaults filled in and only the known features kept."""
    tags = mood.get("tags") if mood.get("tags") is not None else mood.get("tag_weights")
    return {
        "key": mood["key"], "label": mood.get("label") or mood["key"].replace("_", " "),
        "emoji": mood.get("emoji") or "", "sentences": [str(s) for s in mood["sentences"]],
        "keywords": [str(k).lower() for k in mood.get("keywords") or []],
        "targets": {f: [float(v) for v in mood["targets"][f]] for f in FEATURES
                    if f in (mood.get("targets") or {})},
        "tags": {str(t): float(w) for t, w in (tags or {}).items()},
    }  # fmt: skip


def mixed_targets(table: dict, moods: dict[str, float], c: dict) -> dict[str, list[float]]:
    """Feature ranges of the weighted ``moods`` of ``table``; a stated tempo overrides theirs."""
    targets = {}
    for feature in FEATURES:
        parts = [(w, table[k]["targets"][feature]) for k, w in moods.items()
                 if feature in table[k]["targets"]]  # fmt: skip
        total = sum(w for w, _r in parts)
        if total > 0:
            lo = sum(w * r[0] for w, r in parts) / total
            hi = sum(w * r[1] for w, r in parts) / total
            digits = 1 if feature == "tempo" else 3
            targets[feature] = [round(lo, digits), round(hi, digits)]
    if "tempo_min" in c or "tempo_max" in c:  # stated tempo beats the moods' ranges
        lo, hi = targets.get("tempo", [None, None])
        lo, hi = c.get("tempo_min", lo), c.get("tempo_max", hi)
        if lo is None or (hi is not None and lo >= hi and "tempo_max" in c):
            lo = max(40, hi - 30)
        if hi is None or hi <= lo:
            hi = lo + 30
        targets["tempo"] = [float(lo), float(hi)]
    return targets


def mixed_tags(table: dict, moods, named: list[str], negative: set[str],
               opposed: tuple[str, ...] | list[str] = ()) -> dict[str, float]:  # fmt: skip
    """Tag weights of the weighted ``moods``, with named tags preferred and negated ones out.

    ``opposed``: tags of what a named word rules out ("acoustic": electronic), weighed
    against as strongly as named tags are weighed for, without excluding anything.
    """
    mix: dict[str, float] = {}
    for key, weight in moods.items():
        for tag, value in table[key]["tags"].items():
            mix[tag] = mix.get(tag, 0.0) + weight * value
    for tag in named:  # "jazz" in the query: prefer it even if no mood asks for it
        mix[tag] = max(mix.get(tag, 0.0), 0.8)
    for tag in opposed:
        if tag not in named:
            mix[tag] = min(mix.get(tag, 0.0), -0.8)
    for tag in negative:
        mix[tag] = -1.0
    mix = {t: round(float(np.clip(v, -1, 1)), 3) for t, v in mix.items() if abs(v) >= 0.01}
    return dict(sorted(mix.items(), key=lambda kv: -kv[1]))


def arc_points(table: dict, arc: ArcRequest, energy: list[float] | None) -> list[float]:
    """Energy levels along the asked arc, its ends read from moods or named levels."""
    lo, hi = energy or (0.3, 0.7)
    mid = (lo + hi) / 2

    def level(end, default: float) -> float:
        if end is None:
            return default
        if end[0] == "level":
            return end[1]
        return sum(table[end[1]]["targets"].get("energy", (0.3, 0.7))) / 2

    s, e = level(arc.start, None), level(arc.end, None)
    if arc.kind == "span":
        s, e = (mid if s is None else s), (mid if e is None else e)
        points = [s, (s + e) / 2, e]
    elif arc.kind in ("rise", "fall"):
        up = arc.kind == "rise"
        if s is None and e is None:
            s, e = (min(lo, 0.3), max(hi, 0.8)) if up else (max(hi, 0.7), min(lo, 0.2))
        elif s is None:  # only where it ends: start a clear step away
            s = max(0.0, min(lo, e - 0.3)) if up else min(1.0, max(hi, e + 0.3))
        elif e is None:
            e = min(1.0, max(hi, s + 0.3)) if up else max(0.0, min(lo, s - 0.3))
        points = [s, (s + e) / 2, e]
    elif arc.kind == "rise_end":
        points = [mid, mid, mid, min(0.95, mid + 0.3)]
    elif arc.kind == "fall_end":
        points = [mid, mid, mid, max(0.05, mid - 0.3)]
    elif arc.kind == "peak":
        points = [min(lo, 0.3), max(hi, 0.85), min(lo, 0.3)]
    else:  # valley
        points = [max(hi, 0.7), min(lo, 0.2), max(hi, 0.7)]
    return [round(float(np.clip(p, 0, 1)), 3) for p in points]


def blend_endpoints(weights: dict[str, float], endpoints: list[str]) -> dict[str, float]:
    """Arc endpoint moods share half the weight (all of it when the rest said nothing)."""
    if not endpoints:
        return weights
    share = 0.5 if weights else 1.0
    out = {k: w * (1 - share) for k, w in weights.items()}
    for key in endpoints:
        out[key] = out.get(key, 0.0) + share / len(endpoints)
    return out


def finish_weights(weights: dict[str, float]) -> dict[str, float]:
    """Drop weights under ``MIN_WEIGHT``, renormalise, sort descending."""
    kept = {k: w for k, w in weights.items() if w >= MIN_WEIGHT}
    total = sum(kept.values())
    return {k: round(w / total, 3) for k, w in sorted(kept.items(), key=lambda kv: -kv[1])}
