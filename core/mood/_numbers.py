"""Rules that read numbers and note names: tempo (BPM), playlist length and key/mode.

Each rule cuts what it recognised out of the query text, so "120 bpm" or
"45 minutes" is not embedded as mood words.
"""

from __future__ import annotations

import re

from core.analysis import PITCH_CLASSES, pitch_class
from core.mood._rule_state import MASK, QueryText, Rules, add_note

_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "twenty five": 25, "thirty": 30, "forty": 40, "forty five": 45, "fifty": 50, "sixty": 60,
    "ninety": 90, "a dozen": 12, "dozen": 12, "a": 1, "an": 1, "a couple of": 2, "couple of": 2,
}  # fmt: skip

_NUM = (
    r"(?:\d+(?:[.,]\d+)?|twenty[ -]five|forty[ -]five|a dozen|a couple of|couple of|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|sixty|ninety|dozen)"
)
_PRE = r"(?:(?:for|about|around|roughly|approximately|approx|just|only|under|over|of|max)\s+)*"
_POST = r"(?:'s)?(?:\s+(?:long|worth(?:\s+of)?))?"
_HOURS_AND_HALF = re.compile(rf"\b{_PRE}(?P<h>{_NUM}|an?)\s+and\s+a\s+half\s+hours?\b{_POST}")
_HOUR_AND_HALF = re.compile(rf"\b{_PRE}(?:an?\s+|one\s+)?hour\s+and\s+a\s+half\b{_POST}")
_HALF_HOUR = re.compile(rf"\b{_PRE}(?:half\s+an?\s+hour|(?:a\s+)?half[ -]hour)\b{_POST}")
_HOURS = re.compile(
    rf"\b{_PRE}(?P<h>{_NUM}|an?)\s*-?\s*(?:hours?|(?<=\d)\s*(?:hrs?|h))"
    rf"(?:\s*(?:and\s+)?(?P<m>\d{{1,2}})\s*(?:minutes?|mins?|m)?)?\b{_POST}"
)
_MINUTES = re.compile(rf"\b{_PRE}(?P<m>{_NUM})\s*-?\s*(?:minutes?|mins?|m)\b{_POST}")
_COUNT = re.compile(rf"\b{_PRE}(?P<c>{_NUM})\s*-?\s*(?:songs?|tracks?|tunes?)\b")

_TEMPO_Q = (
    r"(?P<q>at least|no less than|no slower than|minimum|min|over|above|more than|faster than|"
    r"at most|no more than|no faster than|maximum|max|under|below|less than|slower than|"
    r"around|about|roughly|approximately|approx|circa|near|~|>=|<=|>|<)?\s*"
)
_BPM = r"(?<![\d.])\d+(?:\.\d+)?"
_TEMPO_RANGE = re.compile(
    rf"\b(?:between\s+|from\s+)?(?P<a>{_BPM})\s*(?:bpm)?\s*(?:-|to|and)\s*(?P<b>{_BPM})\s*"
    r"(?:bpm|beats per minute)\b"
)
_TEMPO_NUM = re.compile(
    rf"(?:\b(?:at\s+)?(?:a\s+)?(?:tempo|bpm)\s*(?:of|=|:)?\s*{_TEMPO_Q}(?P<n>{_BPM})\b(?:\s*bpm)?"
    rf"|{_TEMPO_Q.replace('?P<q>', '?P<q2>')}(?P<n2>{_BPM})\s*(?:bpm|beats (?:per|a) minute)\b)"
)
_KEY = re.compile(
    r"\b(?P<in>in\s+(?:the\s+key\s+of\s+)?)?(?P<k>[a-g])(?P<acc>#|♯|b\b|♭|\s?-?sharp|\s?-?flat)?"
    r"\s*(?P<s>major|minor|maj|min)\b(?P<kw>[\s-]+(?:keys?|scales?|tonality|mode))?"
)
_KEY_SHORT = re.compile(r"\bin\s+(?P<k>[A-G])(?P<acc>#|b)?m\b")
_SCALE = re.compile(
    r"\b(?:in\s+(?:a\s+)?)?(?P<s>major|minor)(?:[\s-]+(?:keys?|scales?|tonality|mode|keyed))"
    r"|\bin\s+(?:a\s+)?(?P<s2>major|minor)\b"
    # "melancholy and minor", "dark, minor": the word alone as an item of a list.
    r"|(?:^|,|\band\b|\bbut\b)\s*(?P<s3>major|minor)\s*(?=$|,|;|\.|\band\b|\bbut\b)"
)


def tempo_numbers(t: QueryText, rules: Rules) -> None:
    c = rules.constraints
    for m in list(_TEMPO_RANGE.finditer(t.work)):
        low, high = sorted((round(float(m["a"])), round(float(m["b"]))))
        if _sane_bpm(low, rules) and _sane_bpm(high, rules):
            c["tempo_min"], c["tempo_max"] = low, high
            add_note(rules, m.start(), f"tempo {low}-{high} BPM")
        t.cut(*m.span())
    for m in list(_TEMPO_NUM.finditer(t.work)):
        n, q = float(m["n"] or m["n2"]), (m["q"] or m["q2"] or "").strip()
        t.cut(*m.span())
        if not _sane_bpm(n, rules):
            continue
        if q in ("at least", "no less than", "no slower than", "minimum", "min", "over",
                 "above", "more than", "faster than", ">", ">="):  # fmt: skip
            c["tempo_min"] = round(n)
            add_note(rules, m.start(), f"tempo ≥ {round(n)} BPM")
        elif q in ("at most", "no more than", "no faster than", "maximum", "max", "under",
                   "below", "less than", "slower than", "<", "<="):  # fmt: skip
            c["tempo_max"] = round(n)
            add_note(rules, m.start(), f"tempo ≤ {round(n)} BPM")
        else:
            # A stated tempo is a target, not a knife edge: ±5 % (±8 % when "around").
            slack = 0.08 if q else 0.05
            c["tempo_min"], c["tempo_max"] = round(n * (1 - slack)), round(n * (1 + slack))
            add_note(rules, m.start(), f"tempo {c['tempo_min']}-{c['tempo_max']} BPM")


def _sane_bpm(n: float, rules: Rules) -> bool:
    if 30 <= n <= 250:
        return True
    rules.warnings.append(f"{n:g} BPM is not a usable tempo; ignoring it")
    return False


def _number(word: str) -> float:
    word = " ".join(word.replace("-", " ").split())
    return _NUMBERS[word] if word in _NUMBERS else float(word.replace(",", "."))


def lengths(t: QueryText, rules: Rules) -> None:
    found: list[tuple[int, dict, str]] = []
    for pattern, minutes in (
        (_HOURS_AND_HALF, lambda m: (_number(m["h"]) + 0.5) * 60),
        (_HOUR_AND_HALF, lambda m: 90.0),
        (_HALF_HOUR, lambda m: 30.0),
        (_HOURS, lambda m: _number(m["h"]) * 60 + (int(m["m"]) if m["m"] else 0)),
        (_MINUTES, lambda m: _number(m["m"])),
    ):
        for m in list(pattern.finditer(t.work)):
            value = round(float(minutes(m)), 1)
            t.cut(*m.span())
            if 1 <= value <= 720:
                found.append((m.start(), {"minutes": value}, f"{value:g} minutes"))
            else:
                rules.warnings.append(f"{value:g} minutes is not a usable length; ignoring it")
    for m in list(_COUNT.finditer(t.work)):
        count = _number(m["c"])
        t.cut(*m.span())
        if count == int(count) and 1 <= count <= 500:
            found.append((m.start(), {"count": int(count)}, f"{int(count)} songs"))
        else:
            rules.warnings.append(f"{count:g} songs is not a usable length; ignoring it")
    found.sort(key=lambda f: f[0])
    if found:
        pos, rules.length, note = found[0]
        add_note(rules, pos, note)
        if len(found) > 1:
            rules.warnings.append(f"Several lengths given; using the first ({note})")


def keys(t: QueryText, rules: Rules) -> None:
    c = rules.constraints
    for m in list(_KEY.finditer(t.work)):
        letter = t.orig[m.start("k")]
        scale = "major" if m["s"].startswith("maj") else "minor"
        if letter == "a" and (m["kw"] or not m["in"]):
            # "a minor key" / "a major change": the article, not the key of A.
            if not m["kw"]:
                continue
            c["scale"] = scale
            add_note(rules, m.start(), f"{scale} keys")
        else:
            acc = (m["acc"] or "").strip(" -")
            acc = {"♯": "#", "sharp": "#", "♭": "b", "flat": "b"}.get(acc, acc)
            key = PITCH_CLASSES[pitch_class(letter.upper() + acc)]
            c["key"], c["scale"] = key, scale
            add_note(rules, m.start(), f"{key} {scale}")
        t.cut(*m.span())
    for m in list(_KEY_SHORT.finditer(t.orig)):
        if t.work[m.start()] == MASK:
            continue
        key = PITCH_CLASSES[pitch_class(m["k"] + (m["acc"] or ""))]
        c["key"], c["scale"] = key, "minor"
        add_note(rules, m.start(), f"{key} minor")
        t.cut(*m.span())
    for m in list(_SCALE.finditer(t.work)):
        c["scale"] = m["s"] or m["s2"] or m["s3"]
        add_note(rules, m.start(), f"{c['scale']} keys")
        t.cut(*m.span())
