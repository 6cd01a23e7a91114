"""Why a track is in a playlist: the words of the query it satisfies, with measured values.

A reason names only what holds for that track ("“calm”: energy 0.14, 72 BPM"), so it cannot
contradict itself, and two tracks answer the same query with different reasons when they
satisfy different words. Values are on the scales people see everywhere else: energy on
its calibrated 0-1 scale, tempo in BPM, keys as "A minor".
"""

from __future__ import annotations

import numpy as np

from core.analysis import pitch_class_or_none
from core.catalog import FEATURES, Catalog
from core.playlist._heard import heard_pct

SLACK = 0.05  # a value this close to a range still counts as inside it
DEFINING_WIDTH = {"tempo": 40.0}  # a mood's range narrower than this says something
DEFAULT_DEFINING_WIDTH = 0.5
TAG_PRESENT = 0.7  # library percentile from which a track "sounds" like a tag


def track_values(row: int, catalog: Catalog) -> dict[str, float]:
    """The track's values on the scales mood targets use (tempo raw, others 0-1)."""
    # Rounded as Catalog.describe rounds them, so a reason never reads 0.98 beside a row's
    # 0.97 (float32 0.975 is a hair above 0.975, the stored 0.975 a hair below).
    values = dict(zip(FEATURES, (round(float(v), 3) for v in catalog.pct[row]), strict=True))
    values["tempo"] = float(catalog.raw["bpm"][row])
    return values


def _phrase(feature: str, value: float) -> str:
    if feature == "tempo":
        return f"{value:.0f} BPM"
    if feature == "energy":
        return f"energy {value:.2f}"
    if feature == "valence":
        return f"{'bright' if value >= 0.5 else 'dark'} mood ({value:.2f})"
    if feature == "brightness":
        return f"{'bright' if value >= 0.5 else 'warm'} tone ({value:.2f})"
    return f"{'danceable' if value >= 0.5 else 'loose'} groove ({value:.2f})"


def _defining(feature: str, lo: float, hi: float) -> bool:
    return hi - lo <= DEFINING_WIDTH.get(feature, DEFAULT_DEFINING_WIDTH)


def word_matches(row: int, catalog: Catalog, aspect: dict, values: dict) -> list[str] | None:
    """What of one query word's mood the track satisfies; None if it misses a defining part."""
    said = []
    for feature in ("energy", "tempo", "valence", "danceability", "brightness"):
        if feature not in aspect["targets"]:
            continue
        lo, hi = aspect["targets"][feature]
        if not _defining(feature, lo, hi):
            continue
        slack = SLACK * (100 if feature == "tempo" else 1)
        if lo - slack <= values[feature] <= hi + slack:
            said.append(_phrase(feature, values[feature]))
        elif feature in ("energy", "tempo"):
            return None  # the mood is about this, and the track is not
    index = {t: j for j, t in enumerate(catalog.tag_names)}
    for tag in aspect.get("tags", []):
        if tag in index and catalog.tags_pct[row, index[tag]] >= TAG_PRESENT:
            said.append(f"sounds {tag.lower()}")
            break
    return said[:3]


def explain(row: int, catalog: Catalog, spec) -> str:
    """A short reason for ``row`` in a playlist for ``spec``."""
    values = track_values(row, catalog)
    by_values: dict[str, list[str]] = {}  # words the same values satisfy are said once
    for word, aspect in (getattr(spec, "words", None) or {}).items():
        said = word_matches(row, catalog, aspect, values)
        if said:
            by_values.setdefault(", ".join(said), []).append(f"“{word}”")
    bits = [f"{' and '.join(words)}: {said}" for said, words in by_values.items()]
    bits.extend(_constraint_bits(row, catalog, spec.constraints or {}, values))
    if not bits:  # nothing the words asked for stands out: say what the track is
        bits.append(f"energy {values['energy']:.2f}, {values['tempo']:.0f} BPM")
        key = key_name(catalog, row)
        if key:
            bits.append(key)
    return "; ".join(bits)


def key_name(catalog: Catalog, row: int) -> str | None:
    """ "A minor": keys are written one way everywhere."""
    key, scale = catalog.text["key"][row], catalog.text["scale"][row]
    return f"{key} {scale}" if key and scale else None


def _constraint_bits(row, catalog, c: dict, values: dict) -> list[str]:
    bits = []
    bpm = values["tempo"]
    if "tempo_min" in c or "tempo_max" in c:
        inside = c.get("tempo_min", 0) <= bpm <= c.get("tempo_max", np.inf)
        bits.append(f"{bpm:.0f} BPM" + ("" if inside else " (nearest tempo)"))
    if c.get("key") or c.get("scale"):
        key, scale = catalog.text["key"][row], catalog.text["scale"][row]
        name = key_name(catalog, row) or "unknown key"
        same_key = not c.get("key") or (
            key and pitch_class_or_none(key) == pitch_class_or_none(c["key"])
        )
        same_scale = not c.get("scale") or scale == c["scale"]
        asked = f"{c['key']} {c.get('scale', '')}".strip() if c.get("key") else c["scale"]
        bits.append(name if same_key and same_scale else f"{name} (close to {asked})")
    index = {t: j for j, t in enumerate(catalog.tag_names)}
    for tag in c.get("include_tags", []):  # "piano": say so only where the track shows it
        if tag in index and catalog.tags_pct[row, index[tag]] >= heard_pct(catalog, tag):
            bits.append(f"{tag.split(':', 1)[-1]} heard")
    genre = catalog.text["genre"][row]
    if c.get("include_genres") and genre:
        bits.append(f"genre {genre}")
    return bits
