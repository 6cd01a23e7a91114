"""What one rule pass works on: the query text being masked and the record of findings.

Each rule reads ``QueryText.work``, cuts what it recognised (``QueryText.cut``)
and records it in ``Rules``; whatever is left uncut becomes ``Rules.residual``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

# Mood resolver from the parser: (phrase, strict) -> mood key or None.
Resolver = Callable[[str, bool], str | None]

MASK = "\x00"


@dataclass
class ArcRequest:
    """An arc the rules found; the parser turns endpoints into energy levels.

    ``start``/``end`` are ``("mood", key)`` or ``("level", 0-1)`` or None.
    """

    kind: str  # span, rise, fall, rise_end, fall_end, peak, valley
    label: str
    start: tuple | None = None
    end: tuple | None = None


@dataclass
class Rules:
    """What the rule pass recognised in one query."""

    constraints: dict = field(default_factory=dict)
    length: dict | None = None
    arc: ArcRequest | None = None
    named_tags: list[str] = field(default_factory=list)
    opposed_tags: list[str] = field(default_factory=list)  # "acoustic": electronic ranks lower
    energy: tuple[float, float] | None = None  # "soft", "nothing too loud": calibrated 0-1
    tempo_prefer: float | None = None  # "fast": the soft tempo target's lower end (BPM)
    negated_tags: list[str] = field(default_factory=list)
    negated_moods: list[tuple[str, str, int]] = field(default_factory=list)  # phrase, note, pos
    notes: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    known_words: set[str] = field(default_factory=set)  # left in the text, yet understood
    residual: str = ""


def add_note(rules: Rules, pos: int, text: str) -> None:
    """Record what was understood at ``pos``, once."""
    if all(text != seen for _pos, seen in rules.notes):
        rules.notes.append((pos, text))


class QueryText:
    """The query in two aligned copies: original case (for notes, key letters) and work."""

    def __init__(self, raw: str):
        text = unicodedata.normalize("NFKC", raw)
        text = text.translate({0x2019: "'", 0x2018: "'", 0x2013: "-", 0x2192: "->"})
        text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
        text = text.replace("->", " to ").replace("=>", " to ")
        lower = text.lower()
        self.orig = text if len(lower) == len(text) else lower
        self.work = lower

    def cut(self, start: int, end: int) -> None:
        self.work = self.work[:start] + MASK * (end - start) + self.work[end:]

    def said(self, start: int, end: int) -> str:
        return " ".join(self.orig[start:end].split())

    def residual(self) -> str:
        parts = (" ".join(p.split()) for p in self.work.split(MASK))
        return re.sub(r"(\s*[,;.]\s*)+", ", ", ", ".join(p for p in parts if p)).strip(" ,;.")
