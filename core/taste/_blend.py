"""Blends: one playlist from several people's tastes, shared out fairly.

Each member gets a quota of tracks (equal, or proportional to their weight)
and the members take turns choosing, the one furthest behind their quota
first. A member chooses the free track that suits them best, with the
others' taste counting too, so a blend leans towards common ground instead
of being disjoint solo lists; a track anyone has freshly disliked is never
chosen. The chosen set is then ordered for smooth transitions by
``core.playlist._sequencing``.
"""

from __future__ import annotations

import numpy as np

from core.catalog import FEATURES, Catalog
from core.playlist import DEFAULT_MAX_PER_ARTIST, Item, order
from core.taste._taste_model import TasteModel

ALGORITHMS = ("balanced", "weighted", "discovery")
COMMON_GROUND = 0.5  # weight of the other members' mean taste in each member's choice
VETO = -0.9  # at or below this for anyone (a fresh dislike): never in the blend
JITTER = 0.02  # a non-zero seed shakes choices a little, like "regenerate"


def taste_match(a: TasteModel, b: TasteModel, catalog: Catalog) -> float:
    """How alike two tastes are, 0-100: 100 identical, about 50 unrelated, low opposite.

    The correlation of both models' scores over the whole library, so it
    compares what each would actually pick. Unknown (empty) tastes give 50.
    """
    if a.is_empty or b.is_empty or len(catalog) < 2:
        return 50.0
    rows = np.arange(len(catalog))
    sa = a.bind(catalog).score(rows).astype(np.float64)
    sb = b.bind(catalog).score(rows).astype(np.float64)
    if sa.std() < 1e-9 or sb.std() < 1e-9:
        return 50.0
    r = float(np.corrcoef(sa, sb)[0, 1])
    return round(min(max(50 + 50 * r, 0.0), 100.0), 1)


def quotas(weights: list[float], count: int, seed: int = 0) -> list[int]:
    """Split ``count`` tracks in proportion to ``weights`` (largest remainders).

    Every share is the floor or the ceiling of its exact share; ties for the
    leftover tracks are broken by ``seed`` so nobody is always first.
    """
    w = np.asarray(weights, dtype=float)
    if not len(w) or count <= 0:
        return [0] * len(w)
    exact = count * w / w.sum()
    base = np.floor(exact + 1e-9).astype(int)
    tie = np.random.default_rng(seed).random(len(w))
    extra = sorted(range(len(w)), key=lambda i: (-(exact[i] - base[i]), tie[i]))
    for i in extra[: count - int(base.sum())]:
        base[i] += 1
    return base.tolist()


def blend(members: list[tuple[str, TasteModel, float]], catalog: Catalog, count: int,
          algorithm: str = "balanced", known: dict[str, set[str]] | None = None,
          seed: int = 0, excluded=None) -> list[dict]:  # fmt: skip
    """A ``count``-track playlist mixing ``members`` (person id, taste, weight).

    ``balanced``: equal shares; ``weighted``: shares proportional to weights;
    ``discovery``: equal shares of tracks none of the members has heard
    (``known``: person id -> heard track ids). Each item names the member it
    was chosen for. Fewer tracks come back only when the library runs out.
    ``excluded``: optional boolean mask of rows nobody gets (members' standing exclusions).
    """
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown blend algorithm {algorithm!r}; expected one of {ALGORITHMS}")
    if not members:
        raise ValueError("a blend needs at least one member")
    people = [person for person, _taste, _weight in members]
    if len(set(people)) != len(people):
        raise ValueError("blend members must be distinct")
    if algorithm == "weighted" and any(not weight > 0 for _p, _t, weight in members):
        raise ValueError("weighted blends need a positive weight per member")
    models = [taste.bind(catalog) for _p, taste, _w in members]
    scores = np.stack([m.score(np.arange(len(catalog))) for m in models]).astype(np.float64)
    free = (scores > VETO).all(axis=0)
    if excluded is not None:
        free &= ~np.asarray(excluded, dtype=bool)
    if algorithm == "discovery":
        heard = set().union(*(known or {}).values())
        free &= np.array([track_id not in heard for track_id in catalog.ids], dtype=bool)
    weights = [w for _p, _t, w in members] if algorithm == "weighted" else [1.0] * len(members)
    want = quotas(weights, min(count, int(free.sum())), seed)
    picks = _draft(scores, free, want, catalog, seed)
    return _ordered(picks, people, models, scores, catalog, seed)


def _draft(scores, free, want, catalog, seed) -> list[tuple[int, int]]:
    """(member, row) picks: turns go to whoever is proportionally furthest behind."""
    m = len(want)
    others = (scores.sum(axis=0) - scores) / (m - 1) if m > 1 else np.zeros_like(scores)
    utility = scores + COMMON_GROUND * others
    rng = np.random.default_rng(seed)
    if seed:
        utility = utility + rng.uniform(-JITTER, JITTER, utility.shape)
    prefs = [np.flatnonzero(free)[np.argsort(-u[free], kind="stable")] for u in utility]
    tie = rng.random(m)
    used = np.zeros(len(catalog), dtype=bool)
    artists = [(a or "").lower() for a in catalog.text["artist"]]
    per_artist: dict[str, int] = {}
    got = [0] * m
    picks: list[tuple[int, int]] = []
    while any(g < w for g, w in zip(got, want, strict=True)):
        turn = min((i for i in range(m) if got[i] < want[i]),
                   key=lambda i: (got[i] / want[i], tie[i]))  # fmt: skip
        row = _choose(prefs[turn], used, artists, per_artist)
        if row is None:  # nothing left at all (cannot happen while quotas fit the free rows)
            break
        used[row] = True
        per_artist[artists[row]] = per_artist.get(artists[row], 0) + 1
        got[turn] += 1
        picks.append((turn, row))
    return picks


def _choose(prefs, used, artists, per_artist) -> int | None:
    """The best unused row, skipping artists already at the cap unless nothing else is left."""
    fallback = None
    for row in prefs:
        if used[row]:
            continue
        artist = artists[row]
        if not artist or per_artist.get(artist, 0) < DEFAULT_MAX_PER_ARTIST:
            return int(row)
        if fallback is None:
            fallback = int(row)
    return fallback


def _ordered(picks, people, models, scores, catalog, seed) -> list[dict]:
    """Items for ``picks`` in a smooth order (the sequencer keeps every one of them)."""
    energy = FEATURES.index("energy")
    items, out = [], {}
    for member, row in picks:
        own = float(scores[member, row])
        why = models[member].reason(row, who="they")
        if why is None:
            why = "their share of the blend" if models[member].is_empty else "close to their taste"
        out[catalog.ids[row]] = {
            "track_id": catalog.ids[row],
            "source": people[member],
            "score": round(own, 4),
            "reason": f"for {people[member]}: {why}",
        }
        items.append(Item(id=catalog.ids[row], score=(own + 1) / 2,
                          bpm=float(catalog.raw["bpm"][row]), camelot=catalog.text["camelot"][row],
                          energy=float(catalog.pct[row, energy]),
                          duration=float(catalog.raw["duration"][row]),
                          artist=catalog.text["artist"][row]))  # fmt: skip
    if not items:
        return []
    sequence = order(items, len(items), seed=seed)
    return [out[track_id] for track_id in sequence.ids]
