"""Musical keys: Camelot wheel codes and which keys mix well."""

from __future__ import annotations

PITCH_CLASSES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_ALIASES = {"Db": "C#", "D#": "Eb", "Gb": "F#", "G#": "Ab", "A#": "Bb", "Cb": "B", "Fb": "E"}
# Camelot number of each major key, indexed by pitch class (C major = 8B).
_MAJOR_NUMBERS = (8, 3, 10, 5, 12, 7, 2, 9, 4, 11, 6, 1)


def pitch_class(key: str) -> int:
    """Index 0-11 of a key name such as ``"A"``, ``"F#"`` or ``"Bb"``."""
    name = key.strip()
    name = name[0].upper() + name[1:]
    name = _ALIASES.get(name, name)
    try:
        return PITCH_CLASSES.index(name)
    except ValueError:
        raise ValueError(f"unknown key {key!r}") from None


def pitch_class_or_none(key: str | None) -> int:
    """``pitch_class``, or -1 for a missing or unreadable key (never equal to a real one)."""
    try:
        return pitch_class(key) if key else -1
    except ValueError:
        return -1


def camelot(key: str, scale: str) -> str:
    """Camelot code of a key: ``camelot("A", "minor") == "8A"``."""
    pc = pitch_class(key)
    if scale == "minor":
        # A minor shares 8 with C major, its relative major three semitones up.
        return f"{_MAJOR_NUMBERS[(pc + 3) % 12]}A"
    return f"{_MAJOR_NUMBERS[pc]}B"


def parse_camelot(code: str) -> tuple[int, str]:
    """Split ``"8A"`` into ``(8, "A")``."""
    number, letter = int(code[:-1]), code[-1].upper()
    if not 1 <= number <= 12 or letter not in "AB":
        raise ValueError(f"not a Camelot code: {code!r}")
    return number, letter


def camelot_distance(a: str, b: str) -> int:
    """Steps between two codes: 0 same, 1 neighbour or relative major/minor, more is a clash."""
    (na, la), (nb, lb) = parse_camelot(a), parse_camelot(b)
    around = min((na - nb) % 12, (nb - na) % 12)
    return around + (0 if la == lb else 1)


def compatible(a: str, b: str) -> bool:
    """True for the classic harmonic-mixing moves: same key, ±1, or relative major/minor."""
    return camelot_distance(a, b) <= 1
