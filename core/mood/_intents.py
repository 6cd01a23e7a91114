"""How much energy a request asks for, read off labelled example requests.

The mood catalogue answers "which moods" with a softmax over 43 moods, which scatters on
words none of them names ("a massage", "board game night", "wake up the office"). How
intense a request is, is a coarser question that examples answer better than any table:
``assets/intents/examples.txt`` holds a few hundred requests, each labelled with the
composed energy levels (0-4) it asks for and whether it wants a beat. A query is embedded
and its nearest examples vote, weighted by how close they are; only a clear answer is used.

Levels map to the calibrated energy scale of ``core.analysis._derived`` (a composed level
``k`` reads about ``0.1 + 0.2 k``): levels ``lo..hi`` become energy ``0.2 lo .. 0.2 hi + 0.15``
(1.0 when ``hi`` is the top level).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.mood._lexicon import VOCABULARY, norm

EXAMPLES = Path(__file__).resolve().parents[2] / "assets" / "intents" / "examples.txt"
LEVELS = 5
NEIGHBOURS = 7
MIN_COS = 0.55  # nearest example less alike than this: the examples do not know the request
WINDOW = 0.12  # neighbours this far below the nearest one no longer vote
TEMPERATURE = 0.04  # closeness -> vote weight
CAP_ABOVE = 0.15  # level k reads about 0.1 + 0.2 k; its loud tail overlaps level k + 1
SUPPORT = 0.6  # a level is asked for when this share of the vote includes it
AGREE_GAP = 0.1  # a mood whose energy range misses the intent's by more is dropped
FILLERS = frozenset(
    ["music", "songs", "song", "tracks", "track", "tunes", "playlist", "mix", "something", "some"]
)


@dataclass(frozen=True)
class Example:
    """One labelled request: the levels it admits (None: any) and its beat wish."""

    text: str
    levels: tuple[int, int] | None
    beat: bool | None


@dataclass(frozen=True)
class Intent:
    """What the nearest examples agree on: an energy range (0-1) and a beat wish."""

    energy: tuple[float, float]
    beat: bool | None
    nearest: str  # the closest example, for explanations and tests
    cos: float


def load_examples(path: Path = EXAMPLES) -> list[Example]:
    """Parse ``<levels> <beat>: <phrase>`` lines; ``#`` starts a comment."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        head, _, text = line.partition(":")
        levels, beat = head.split()
        span = None if levels == "any" else tuple(int(x) for x in levels.split("-"))
        wish = {"drums": True, "nodrums": False}.get(beat)
        out.append(Example(text.strip(), span, wish))
    return out


class IntentModel:
    """``read(text)``: the energy and beat a request asks for, or None when unclear."""

    def __init__(self, embedder, examples: list[Example] | None = None):
        self.examples = examples if examples is not None else load_examples()
        self.embedder = embedder
        texts = [e.text for e in self.examples]
        self._matrix = np.asarray(embedder.encode(texts), dtype=np.float32)
        self._levels = np.zeros((len(self.examples), LEVELS), dtype=np.float32)
        for i, e in enumerate(self.examples):
            lo, hi = e.levels or (0, LEVELS - 1)
            self._levels[i, lo : hi + 1] = 1.0
        self._any = np.array([e.levels is None for e in self.examples])
        self._beat = np.array([{True: 1, False: -1}.get(e.beat, 0) for e in self.examples])

    def read(self, text: str, slow: bool = False) -> Intent | None:
        """What the nearest examples agree on, or None; ``slow`` (a stated slow tempo) vetoes
        an energetic reading, as in ``IntensityAxis.bound`` ("a slow dance" is no workout)."""
        intent = self._read(text)
        return None if intent and slow and intent.energy[0] >= 0.6 else intent

    def _read(self, text: str) -> Intent | None:
        # "music", "songs" say nothing about energy but pull towards whichever example has
        # them; the rules' own words ("fast", "acoustic", "piano") are theirs to read, and
        # alone they sit close to their opposites ("fast" ~ "slow and gentle").
        text = " ".join(w for w in norm(text).split() if w not in FILLERS and w not in VOCABULARY)
        if not text or not len(self.examples):
            return None
        q = np.asarray(self.embedder.encode([text]), dtype=np.float32)[0]
        sims = self._matrix @ q
        order = np.argsort(-sims)[:NEIGHBOURS]
        best = float(sims[order[0]])
        if best < MIN_COS:
            return None
        order = order[sims[order] >= best - WINDOW]
        w = np.exp((sims[order] - best) / TEMPERATURE)
        w = w / w.sum()
        if float(w @ self._any[order]) >= 0.5:
            return None  # the nearest requests ask for no particular energy
        support = w @ self._levels[order]
        wanted = np.flatnonzero(support >= SUPPORT)
        if not len(wanted) or len(wanted) == LEVELS or np.ptp(wanted) + 1 != len(wanted):
            return None  # no level, every level, or a split vote
        lo, hi = int(wanted[0]), int(wanted[-1])
        cap = 1.0 if hi == LEVELS - 1 else 0.2 * hi + CAP_ABOVE
        energy = (round(0.2 * lo, 3), round(cap, 3))
        vote = float(w @ self._beat[order])
        beat = True if vote >= 0.7 else False if vote <= -0.7 else None
        return Intent(energy, beat, self.examples[int(order[0])].text, round(best, 3))


def agreeing(weights: dict[str, float], moods: dict, intent: Intent | None) -> dict[str, float]:
    """``weights`` without the moods whose energy range misses the intent's by more than
    ``AGREE_GAP`` ("a massage" scored "workout" a little); all of them if none is left."""
    if not intent:
        return weights
    lo, hi = intent.energy
    kept = {}
    for key, weight in weights.items():
        energy = moods[key]["targets"].get("energy")
        if not energy or (energy[0] < hi + AGREE_GAP and energy[1] > lo - AGREE_GAP):
            kept[key] = weight
    total = sum(kept.values())
    return {k: w / total for k, w in kept.items()} if total > 0 else weights


def intent_note(intent: Intent) -> str:
    """What the person is shown: "sounds calm: energy ≤ 0.35", plus "no beat"."""
    lo, hi = intent.energy
    if hi <= 0.35:
        word = "calm"
    elif lo >= 0.6:
        word = "energetic"
    elif hi < 1 and lo <= 0:
        word = "relaxed"
    elif hi >= 1:
        word = "lively"
    else:
        word = "moderate"
    span = f"≤ {hi:.2f}" if lo <= 0 else f"≥ {lo:.2f}" if hi >= 1 else f"{lo:.2f}-{hi:.2f}"
    return f"sounds {word}: energy {span}" + (", no beat" if intent.beat is False else "")
