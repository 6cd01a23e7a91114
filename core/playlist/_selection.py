"""Which ranked candidates a playlist may use, how many, and a fresh mix on "Regenerate".

Candidates fall in tiers: those meeting the query's hard constraints as asked and fitting
its soft targets come first; close matches (relaxed constraints, weaker fit) only fill
what the first tier cannot, and the person is told. A stated length is met by duration,
not by a track count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# A track fits the words when neither primary quality (energy, tempo: core.playlist._ranking) is
# missed by more than about its width; the other qualities only rank.
WORST_OK = 0.4
MIN_TRACKS = 10  # a playlist shorter than this is topped up with the closest matches
DEFAULT_COUNT = 20
FILL_PENALTY = 1.0  # fill tracks rank below every fitting one in the sequencer
REGEN_SHARE = 0.5  # a regeneration draws from this share of the fitting tracks
REGEN_TEMPERATURE = 0.2  # score differences below this are shuffled freely
DURATION_TOLERANCE_S = 240.0
GENRE_SHARE = 0.5  # at most this share of a mood list from one genre, unless one is named
SEQUENCER_SHARE, SEQUENCER_SPARE = 1.5, 5


@dataclass
class Selection:
    """The candidates the sequencer may use and how many slots to fill."""

    good: list  # fitting candidates meeting the (possibly relaxed) constraints
    fill: list  # closest matches used only to reach the length
    slots: int
    notes: list[str]


def split(candidates: list, strict: np.ndarray, miss=None) -> tuple[list, list]:
    """(fitting, the rest): strict matches first, then the closest to what was asked.

    ``miss(row)`` says how far a relaxed row is from the constraints as asked; the rest
    (not fitting the soft targets) is ordered by how close it comes to them, not by its
    total score, so a loud track with the right tags never fills a calm list first.
    """
    miss = miss or (lambda row: 0.0)
    fitting = [c for c in candidates if _fits(c)]
    rest = [c for c in candidates if not _fits(c)]
    fitting.sort(key=lambda c: (not strict[c.row], miss(c.row), -c.score))
    rest.sort(key=lambda c: (not strict[c.row], miss(c.row), -c.parts.get("worst", 0.0),
                             -c.parts.get("fit", 0.0)))  # fmt: skip
    return fitting, rest


def _fits(candidate) -> bool:
    parts = candidate.parts
    return parts.get("worst", 1.0) >= WORST_OK


def plan(fitting: list, rest: list, count: int | None, minutes: float | None,
         durations: np.ndarray, relaxed: bool = False) -> Selection:  # fmt: skip
    """How many tracks, from which candidates, and what to tell the person.

    ``relaxed``: a constraint gave way and its notice counts the tracks already, so the
    count of well-fitting tracks (which includes the close matches) is not told again.
    """
    notes: list[str] = []
    floor = count or MIN_TRACKS
    if count:  # an explicit count is met exactly, topped up if need be
        slots = count
    elif minutes:
        have = sum(float(durations[c.row]) for c in fitting)
        if have < minutes * 60 - DURATION_TOLERANCE_S:
            notes.append(
                f"Only {have / 60:.0f} minutes of your library fit these words well, so the "
                f"playlist stops there instead of padding {minutes:g} minutes with tracks "
                "that don't fit."
            )
            slots = len(fitting)
        else:
            slots = max(1, round(minutes * 60 / _typical(fitting, durations)))
    else:
        slots = min(DEFAULT_COUNT, len(fitting))
        if MIN_TRACKS <= len(fitting) < DEFAULT_COUNT and not relaxed:
            notes.append(f"{len(fitting)} tracks in your library fit these words well.")
    wanted = max(slots, min(floor, len(fitting) + len(rest)))
    short = wanted - len(fitting)
    fill: list = []
    if short > 0 and rest:
        fill = rest[: short + 5]
        used = min(short, len(rest))
        notes.append(
            f"Only {len(fitting)} track{'s' if len(fitting) != 1 else ''} fit these words "
            f"well; added the {used} closest match{'es' if used != 1 else ''}."
        )
    return Selection(fitting, fill, min(wanted, len(fitting) + len(rest)), notes)


def _typical(candidates: list, durations: np.ndarray) -> float:
    top = [float(durations[c.row]) for c in candidates[:40]]
    return float(np.mean(top)) if top else 210.0


def sequencer_pool(slots: int) -> int:
    """How many of the best candidates the sequencer may choose ``slots`` from."""
    return max(slots + SEQUENCER_SPARE, round(SEQUENCER_SHARE * slots))


def spread_genres(good: list, genres: list[str], slots: int) -> list:
    """``good`` (best first) with each genre's tracks past ``GENRE_SHARE`` of ``slots`` moved
    to the end: a mood list is a mix, not one genre's best twenty, unless a genre is named
    (the caller then does not spread). Moved tracks still fill when nothing else fits."""
    cap = max(3, math.ceil(GENRE_SHARE * slots))
    kept, later, count = [], [], {}
    for c in good:
        genre = (genres[c.row] or "").lower()
        count[genre] = count.get(genre, 0) + 1
        (kept if not genre or count[genre] <= cap else later).append(c)
    return kept + later


def regeneration_pool(good: list, slots: int, seed: int) -> list:
    """For ``seed`` > 0, a random share of the fitting candidates, favouring better scores.

    Two regenerations then share few tracks when many fit (Gumbel top-k sampling: each
    candidate's score plus Gumbel noise scaled by ``REGEN_TEMPERATURE``).
    """
    if not seed or len(good) <= slots:
        return good
    size = max(slots, math.ceil(REGEN_SHARE * len(good)))
    rng = np.random.default_rng(seed)
    keys = np.array([c.score for c in good]) / REGEN_TEMPERATURE + rng.gumbel(size=len(good))
    chosen = sorted(np.argsort(-keys)[:size])
    return [good[i] for i in chosen]


def duration_slots(slots: int, total_s: float, minutes: float, typical: float) -> int | None:
    """A better slot count when ``total_s`` misses ``minutes`` by more than the tolerance."""
    wanted = minutes * 60
    if abs(total_s - wanted) <= min(DURATION_TOLERANCE_S, 0.1 * wanted):
        return None
    step = round((wanted - total_s) / max(typical, 30.0))
    return max(1, slots + (step or (1 if wanted > total_s else -1)))
