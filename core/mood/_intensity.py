"""How intense a query sounds, read off sentence embeddings: a calm-to-loud axis.

The mood catalogue answers "which moods" with a softmax over 43 moods, which scatters on
words none of them names ("spa day", "pre-game hype", "powerful and dramatic"). Whether a
request is calm or intense is a coarser and steadier question: the query's best cosine to a
few loud sentences minus its best cosine to a few calm ones. Only a clear answer is used:
it bounds the energy target on the calibrated scale (core.analysis._derived: a composed
level 1 of 0-4 reads about 0.3, level 3 about 0.7).
"""

from __future__ import annotations

import numpy as np

CALM = (
    "calm quiet relaxing music",
    "soft gentle peaceful music",
    "slow sleepy soothing music",
    "music to relax and unwind",
)
LOUD = (
    "loud intense energetic music",
    "fast powerful aggressive music",
    "high energy music to dance and work out",
    "music to get pumped up",
)
# Thresholds set on the seen query sets (bench/fit_queries.py), where no query past them
# asked for the other side but "a slow dance for two" (hence: slow words veto "loud").
CALM_BELOW, LOUD_ABOVE = -0.13, 0.09
CALM_CAP, LOUD_FLOOR = 0.4, 0.6


class IntensityAxis:
    """``axis(text)``: > 0 sounds intense, < 0 calm; ``bound(text)``: energy bounds or None."""

    def __init__(self, embedder):
        self.embedder = embedder
        self._calm = np.asarray(embedder.encode(list(CALM)), dtype=np.float32)
        self._loud = np.asarray(embedder.encode(list(LOUD)), dtype=np.float32)

    def axis(self, text: str) -> float:
        q = np.asarray(self.embedder.encode([text]), dtype=np.float32)[0]
        return float((self._loud @ q).max() - (self._calm @ q).max())

    def bound(self, text: str, slow: bool = False) -> tuple[float, float] | None:
        """``(floor, cap)`` for the energy target when the text is clearly calm or loud."""
        if not text.strip():
            return None
        a = self.axis(text)
        if a <= CALM_BELOW:
            return (0.0, CALM_CAP)
        if a >= LOUD_ABOVE and not slow:
            return (LOUD_FLOOR, 1.0)
        return None


def stated_energy(current: list[float] | None, bound: tuple[float, float]) -> list[float]:
    """The moods' energy range bounded by intensity words (``(floor, cap)``, "soft")."""
    lo, hi = current or [0.0, 1.0]
    floor, cap = bound
    lo, hi = min(max(lo, floor), cap), max(min(hi, cap), floor)
    # A bound opens the other side: "soft" takes anything quieter, "loud" anything louder.
    lo, hi = (0.0 if floor <= 0 else lo), (1.0 if cap >= 1 else hi)
    return [round(lo, 3), round(max(hi, lo + 0.1), 3)]


def sounded_energy(
    current: list[float] | None, intent: tuple[float, float] | None,
    axis: tuple[float, float] | None,
) -> list[float] | None:  # fmt: skip
    """The moods' energy range bounded by what the words sound like, or None to keep it.

    ``intent`` is the labelled examples' range (``core.mood._intents``): where the moods'
    range agrees with it, the two narrow each other, else the examples rule. ``axis`` is
    ``IntensityAxis.bound``, the fallback when the examples do not know the words.
    """
    lo, hi = current or [0.0, 1.0]
    if intent:
        a, b = intent
        lo, hi = (max(lo, a), min(hi, b)) if min(hi, b) - max(lo, a) >= 0.1 else (a, b)
        return [round(lo, 3), round(hi, 3)]
    if axis and axis[0] > 0:
        lo = max(lo, axis[0])
        return [round(lo, 3), round(max(hi, lo + 0.1), 3)]
    if axis:
        hi = min(hi, axis[1])
        return [round(min(lo, hi - 0.1), 3), round(hi, 3)]
    return None
