"""A person's standing preferences, applied to every mood query before ranking.

Pure: the caller passes the stored preferences and the catalog's tag names.
"""

from __future__ import annotations

import re

from core.mood import GENRE_TAGS

ENERGY_SCALES = {"percent": "0-100 %", "unit": "0-1", "ten": "1-10"}
MAX_EXCLUDE = 20
COUNT_RANGE = (5, 100)


def parse_exclusions(text: str) -> list[str]:
    """``"metal, Death Metal;  polka"`` -> ``["metal", "death metal", "polka"]``."""
    words = [re.sub(r"\s+", " ", w).strip().lower() for w in re.split(r"[,;\n]", text or "")]
    return list(dict.fromkeys(w for w in words if w))


def apply_preferences(constraints: dict, preferences: dict, tag_names: list[str]) -> dict:
    """``constraints`` plus the person's always-excluded genres and tags (a new dict).

    A word excludes the genre of that name and the tags it stands for (``metal`` ->
    the *metal* and *heavy metal* tags), the same as "no metal" typed in a query.
    """
    result = {k: list(v) if isinstance(v, list) else v for k, v in constraints.items()}
    known = {t.lower(): t for t in tag_names}
    for word in preferences.get("exclude") or []:
        genres = result.setdefault("exclude_genres", [])
        if word not in (g.lower() for g in genres):
            genres.append(word)
        tags = [t for t in GENRE_TAGS.get(word, []) if t.lower() in known]
        if word in known:
            tags.append(known[word])
        for tag in tags:
            if tag not in result.setdefault("exclude_tags", []):
                result["exclude_tags"].append(tag)
    return result


def default_count(spec_length: dict | None, preferences: dict) -> int | None:
    """The preferred playlist length, when the query itself gives none."""
    if spec_length:
        return None
    count = preferences.get("default_count")
    return count if isinstance(count, int) and COUNT_RANGE[0] <= count <= COUNT_RANGE[1] else None


def energy_label(energy: float | None, scale: str) -> str | None:
    """Energy (0-1) as the person prefers to read it."""
    if energy is None:
        return None
    if scale == "unit":
        return f"{energy:.2f}"
    if scale == "ten":
        return f"{1 + round(energy * 9)}/10"
    return f"{round(energy * 100)}%"


def excluded_rows(catalog, preferences: dict):
    """Boolean mask of catalog rows the person never wants (their always-excluded words)."""
    from types import SimpleNamespace

    import numpy as np

    from core.playlist import allowed_mask

    if not preferences.get("exclude"):
        return np.zeros(len(catalog), dtype=bool)
    constraints = apply_preferences({}, preferences, list(catalog.tag_names))
    return ~allowed_mask(SimpleNamespace(constraints=constraints), catalog)
