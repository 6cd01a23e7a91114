"""Tempo, vocals and intensity words: "fast", "very slow", "instrumental", "soft", "loud".

Part of the mood rules (``core.mood._rules``): numbers win over these adjectives, and an
arc or an earlier bound leaves the energy alone.
"""

from __future__ import annotations

import itertools
import re

from core.mood._lexicon import FAST, SLOW, TOKEN, VERY_FAST, VERY_SLOW, norm
from core.mood._rule_state import QueryText, Rules, add_note

_INSTRUMENTAL = re.compile(r"\b(?:instrumentals?|wordless|lyricless|(?:vocal|lyric)-?free)\b")
_VOCAL = re.compile(r"\b(?:vocals?|lyrics|singers?|sung|sing[ -]?along)\b")


def vocals_and_tempo_words(t: QueryText, rules: Rules) -> None:
    """Instrumental or vocals; fast (120 BPM up, very fast 140) or slow (95, very slow 80)."""
    c = rules.constraints
    words = TOKEN.findall(t.work)
    grams = {norm(g) for g in re.findall(r"\b\w+[\s-]\w+\b", t.work)}
    grams |= set(words) | {f"{a} {b}" for a, b in itertools.pairwise(words)}
    yes = _INSTRUMENTAL.search(t.work)
    no = _VOCAL.search(t.work)
    if "instrumental" not in c and (yes or no):
        if yes and no:
            rules.warnings.append("You asked for instrumental and for vocals; ignoring both")
        else:
            c["instrumental"] = bool(yes)
            add_note(rules, (yes or no).start(), "instrumental" if yes else "with vocals")
    if "tempo_min" in c or "tempo_max" in c:
        return  # numbers win over adjectives
    fast, slow = bool(grams & FAST), bool(grams & SLOW)
    if fast and slow:
        rules.warnings.append("You asked for slow and fast; ignoring the tempo words")
    elif fast:
        very = grams & VERY_FAST
        c["tempo_min"] = 140 if very else 120
        # and of those, the faster ones first
        rules.tempo_prefer = VERY_FAST_PREFERRED_BPM if very else FAST_PREFERRED_BPM
        word = next(iter(very or grams & FAST))
        add_note(rules, t.work.find(word), f"tempo ≥ {c['tempo_min']} BPM")
    elif slow:
        c["tempo_max"] = 80 if grams & VERY_SLOW else 95
        word = next(iter(grams & VERY_SLOW or grams & SLOW))
        add_note(rules, t.work.find(word), f"tempo ≤ {c['tempo_max']} BPM")


# "fast" admits 120 BPM and up, but a 122 BPM house groove is not what "fast and loud" means:
# the tempo target starts here, so faster tracks rank first.
FAST_PREFERRED_BPM = 132.0
VERY_FAST_PREFERRED_BPM = 150.0


# Intensity words bound the energy target on its calibrated scale (core.analysis._derived: a
# composed level 1 of 0-4 reads 0.3, level 3 reads 0.7), whatever moods the rest of the text
# names.
_NOT_TOO = re.compile(
    r"\b(?:not|nothing|never|none)\s+too\s+(?:loud|intense|heavy|hard|wild|noisy)\b"
)
_SOFT = re.compile(r"\b(?:soft|quiet|gentle|hushed|whisper\w*|sleepy|tranquil|calm)\b")
_LOUD = re.compile(
    r"\b(?:loud|intense|heavy|hard[\s-]hitting|banging|bangers|aggressive|energetic)\b"
)
# "Upbeat" is lively, not a tempo: a hip-hop groove at 95 BPM is upbeat.
_UPBEAT = re.compile(r"\b(?:upbeat|lively)\b")
INTENSITY = {"not_too": (0.0, 0.55), "soft": (0.0, 0.35), "loud": (0.65, 1.0), "upbeat": (0.4, 1.0)}


def not_too(t: QueryText, rules: Rules) -> None:
    found = _NOT_TOO.search(t.work)
    if found:
        rules.energy = INTENSITY["not_too"]
        add_note(rules, found.start(), f"not too loud: energy {_span(rules.energy)}")
        t.cut(found.start(), found.end())


def intensity_words(t: QueryText, rules: Rules) -> None:
    if rules.arc is not None or rules.energy is not None:
        return  # an arc moves through energies on purpose
    for kind, pattern in (("soft", _SOFT), ("loud", _LOUD), ("upbeat", _UPBEAT)):
        found = pattern.search(t.work)
        if found:
            rules.energy = INTENSITY[kind]
            add_note(rules, found.start(), f"{kind}: energy {_span(rules.energy)}")
            return


def _span(bounds: tuple[float, float]) -> str:
    lo, hi = bounds
    return f"≤ {hi:.2f}" if lo <= 0 else f"≥ {lo:.2f}" if hi >= 1 else f"{lo:.2f}-{hi:.2f}"
