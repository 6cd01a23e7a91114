"""When the hard constraints of a query leave too few tracks: relax them, step by step, and say so.

"Something in A minor around 90 bpm" on a library with two such tracks should not answer
"nothing fits": it keeps those two first, then fills with the closest matches (tempo a
little wider, then harmonically compatible keys, then any key in the mode ...) and tells
the person which constraint gave way and by how much. Exclusions ("no metal") never give.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np

from core.analysis import camelot, camelot_distance, parse_camelot
from core.catalog import Catalog
from core.playlist._ranking import allowed_mask

TEMPO_STEPS = (5, 10, 15, 20, 30, 40)  # BPM added on each side of a stated tempo range
# What the person named (a genre, album, artist or instrument) gives way only when too few
# tracks have it at all, never because those tracks miss the moods' soft targets.
NAMED_SOURCES = ("include_genres", "include_albums", "include_artists")
NAMED = (*NAMED_SOURCES, "include_tags")
CALM_CAP = 0.5  # an energy target ending at or below this asks for calm


@dataclass
class Relaxation:
    """The rows a generation may use, and what had to give way to reach them."""

    strict: np.ndarray  # rows meeting every constraint as asked
    allowed: np.ndarray  # strict rows plus the relaxed ones used to fill
    label: str | None = None  # what gave way, or None when nothing had to
    constraints: dict = field(default_factory=dict)  # the constraints finally applied
    asked: dict = field(default_factory=dict)  # the constraints as the person put them

    def miss(self, catalog: Catalog):
        """``row -> distance`` from the constraints as asked (0 for strict rows)."""
        return _miss(self.asked, catalog)


def relax(spec, catalog: Catalog, needed: int, usable: np.ndarray | None = None) -> Relaxation:
    """Rows for ``spec``: the strict ones, widened until ``needed`` are available.

    ``usable`` marks the rows that also meet the query's soft targets: a constraint that
    leaves only tracks the words rule out ("calm, in A minor" where every A minor track is
    loud) gives way like one that leaves too few tracks; a named genre, album, artist or
    instrument does not.
    """
    strict = allowed_mask(spec, catalog)
    usable = np.ones(len(catalog), dtype=bool) if usable is None else usable
    c = dict(spec.constraints or {})
    out = Relaxation(strict, strict, constraints=c, asked=c)
    have = int((strict & usable).sum())
    if have >= needed or int(strict.sum()) == len(catalog):
        return out
    # Calm words outrank a named instrument: "soft piano" on a library whose pianos are
    # mostly loud takes other soft tracks rather than loud pianos.
    hold = NAMED_SOURCES if _asks_calm(spec) else NAMED
    for label, loosened in _steps(c):
        named = any(k in out.constraints and k not in loosened for k in hold)
        if named and int(out.allowed.sum()) >= needed:
            return out  # "deep house for a sunset": the house tracks, even if none is calm
        relaxed = copy.copy(spec)
        relaxed.constraints = loosened
        mask = allowed_mask(relaxed, catalog) | strict
        out.allowed, out.constraints = mask, loosened
        out.label = label
        if int((mask & usable).sum()) >= needed:
            return out
    return out


def _asks_calm(spec) -> bool:
    """The energy target is capped low ("calm", "soft", "gentle"): calm outranks instruments."""
    energy = (spec.targets or {}).get("energy")
    return bool(energy) and energy[1] <= CALM_CAP


def _miss(c: dict, catalog: Catalog):
    """How far a row is from constraints ``c`` as asked: BPM outside / 10 + key steps."""
    bpm = catalog.raw["bpm"]
    codes = catalog.text["camelot"]
    asked = camelot(c["key"], c["scale"]) if c.get("key") and c.get("scale") else None

    def miss(row: int) -> float:
        out = 0.0
        if "tempo_min" in c:
            out += max(0.0, c["tempo_min"] - float(bpm[row])) / 10
        if "tempo_max" in c:
            out += max(0.0, float(bpm[row]) - c["tempo_max"]) / 10
        if asked:
            try:
                out += camelot_distance(asked, codes[row]) / 2
            except (ValueError, TypeError, IndexError):
                out += 3.0
        elif c.get("scale") and catalog.text["scale"][row] != c["scale"]:
            out += 1.0
        return out

    return miss


def _steps(c: dict):
    """(what gave way, looser constraints), mildest first."""
    current = dict(c)
    if "tempo_min" in c or "tempo_max" in c:
        for step in TEMPO_STEPS:
            current = dict(current)
            if "tempo_min" in c:
                current["tempo_min"] = max(0, c["tempo_min"] - step)
            if "tempo_max" in c:
                current["tempo_max"] = c["tempo_max"] + step
            yield f"the tempo widened to {_tempo(current)}", current
    if c.get("key") and c.get("scale"):
        current = {k: v for k, v in current.items() if k not in ("key", "scale")}
        current["camelot_in"] = compatible_codes(c["key"], c["scale"])
        yield f"harmonically compatible keys ({_key(c)} and its neighbours)", current
    if c.get("key"):
        current = {k: v for k, v in current.items() if k not in ("key", "camelot_in")}
        if c.get("scale"):
            current["scale"] = c["scale"]
        yield f"any {c.get('scale') or ''} key".replace("  ", " "), current
    if c.get("scale"):
        current = {k: v for k, v in current.items() if k != "scale"}
        yield "major and minor keys", current
    for name, what in (
        ("instrumental", "vocals either way"),
        ("beat", "no beat" if c.get("beat") else "a beat"),  # "added 3 close matches with …"
        ("include_tags", "other instruments"),
        ("include_genres", "other genres"),
        ("include_albums", "other albums"),
        ("include_artists", "other artists"),
    ):
        if name in current:
            current = {k: v for k, v in current.items() if k != name}
            yield what, current
    for name in ("tempo_min", "tempo_max"):
        if name in current:
            current = {k: v for k, v in current.items() if k not in ("tempo_min", "tempo_max")}
            yield "any tempo", current


def compatible_codes(key: str, scale: str) -> list[str]:
    """The Camelot code of ``key scale`` and its mixing neighbours (±1, relative mode)."""
    number, letter = parse_camelot(camelot(key, scale))
    other = "B" if letter == "A" else "A"
    around = [(number - 2) % 12 + 1, number % 12 + 1]
    return [f"{number}{letter}", *(f"{n}{letter}" for n in around), f"{number}{other}"]


def _tempo(c: dict) -> str:
    lo, hi = c.get("tempo_min"), c.get("tempo_max")
    if lo is not None and hi is not None:
        return f"{lo:.0f}\u2013{hi:.0f} BPM"  # en dash
    return f"at least {lo:.0f} BPM" if lo is not None else f"at most {hi:.0f} BPM"


def _key(c: dict) -> str:
    return f"{c['key']} {c['scale']}" if c.get("scale") else c["key"]


def describe_constraints(c: dict) -> str:
    """The hard constraints in words: "in A minor at 83 to 97 BPM"."""
    parts = []
    if c.get("key"):
        parts.append(f"in {_key(c)}")
    elif c.get("scale"):
        parts.append(f"in a {c['scale']} key")
    if "tempo_min" in c or "tempo_max" in c:
        both = "tempo_min" in c and "tempo_max" in c
        parts.append(f"at {_tempo(c)}" if both else _tempo(c))
    for name, word in (("include_genres", "genre"), ("include_artists", "by"),
                       ("include_albums", "from")):  # fmt: skip
        if c.get(name):
            parts.append(f"{word} {', '.join(c[name])}")
    if c.get("beat") is not None:
        parts.append("with a beat" if c["beat"] else "without a beat")
    if c.get("instrumental") is not None:
        parts.append("instrumental" if c["instrumental"] else "with vocals")
    if c.get("include_tags"):
        parts.append("with " + " or ".join(t.removeprefix("mtt:") for t in c["include_tags"]))
    if len(parts) > 1:  # "genre hip-hop and instrumental"
        parts[-1] = f"and {parts[-1]}"
    return " ".join(parts) or "matching every constraint"


def note(c: dict, have: int, added: int, label: str | None) -> str:
    """What the person is told: how many tracks met the constraints, and what gave way."""
    what = describe_constraints(c)
    found = f"Only {have} track{'s' if have != 1 else ''}" if have else "No track"
    verb = "are" if have > 1 else "is"
    if not added:
        return f"{found} in your library {verb} {what}."
    return (f"{found} in your library {verb} {what}; "
            f"added {added} close match{'es' if added != 1 else ''} with {label}.")  # fmt: skip
