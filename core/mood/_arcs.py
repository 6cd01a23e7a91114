"""Arc rules: "from chill to party", "start slow", "build up", "peak in the middle".

Arc ends are moods (through the parser's resolver) or energy levels
(``LEVELS``); ``arcs`` combines the phrases found into one ``ArcRequest``.
"""

from __future__ import annotations

import re

from core.mood._lexicon import LEVELS, norm
from core.mood._rule_state import ArcRequest, QueryText, Resolver, Rules, add_note

_STRIP = r"(?:(?:a|an|some|something|the|really|very|quite|pretty|more|super|things|it|off|out|" \
    r"up|with|as|on|in|at|by|being|little|bit|of)\s+)*"  # fmt: skip
_STOP = r"(?=\s*(?:$|[\x00,.;:!?()]|\s(?:and|then|but|with|before|after|while|to|into|towards|" \
    r"until|till|no|not|without|for|at|in|on|build|wind|end|finish)\b))"  # fmt: skip
_P = r"[a-z0-9'][a-z0-9' -]{0,40}?"
_FROM_TO = re.compile(
    rf"\bfrom\s+{_STRIP}(?P<x>{_P})\s+(?:to|into|towards)\s+{_STRIP}(?P<y>{_P}){_STOP}"
)
_BARE_TO = re.compile(rf"(?:^|(?<=[\x00,.;:]))\s*(?P<x>{_P})\s+(?:to|into)\s+(?P<y>{_P}){_STOP}")
_START = re.compile(rf"\b(?:start|begin|open|kick off)(?:s|ning|ing)?\s+{_STRIP}(?P<x>{_P}){_STOP}")
_END = re.compile(rf"(?<!the )\b(?:end|finish|close)(?:s|ing|ed)?\s+{_STRIP}(?P<y>{_P}){_STOP}")
# "an intense start, a quiet finish": the word before the noun names that end ("a gentle
# start to the day" is a morning, not an arc).
_NAMED_END = r"(?:(?:an?|the|with|and|then)\s+)*(?P<{}>[a-z0-9'-]+(?:\s+[a-z0-9'-]+)?)\s+"
_START_AS = re.compile(
    r"\b" + _NAMED_END.format("x") + r"(?:start|beginning|opening)\b"
    r"(?!\s+to\s+(?:the|my|your|our|a)\s+day)"
)
_END_AS = re.compile(r"\b" + _NAMED_END.format("y") + r"(?:finish|ending|end|finale)\b")
_THEN_PAIR = re.compile(rf"(?:^|(?<=[\x00,.;:]))\s*(?P<x>{_P}),?\s+then\s+(?P<y>{_P}){_STOP}")
_THEN = re.compile(rf"\bthen\s+{_STRIP}(?P<y>{_P}){_STOP}")
_EASE_IN = re.compile(r"\bease\s+(?:in|into\s+it)\b")
_TARGET = rf"(?:\s+(?:to|into|towards|until|till|for|with)\s+{_STRIP}(?P<y>{_P}){_STOP})?"
_RISE = re.compile(
    r"\b(?:build(?:s|ing)?\s+(?:it\s+|things\s+)?up|ramp(?:s|ing)?\s+(?:it\s+)?up|"
    r"crank(?:s|ing)?\s+it\s+up|"
    r"get(?:s|ting)?\s+(?:more\s+)?(?:energetic|intense|loud|louder|faster|wild|wilder|heavier)|"
    r"increas(?:e|es|ing)\s+(?:the\s+)?(?:energy|tempo|intensity)|crescendo|build-?up|"
    r"slow\s+build|build(?:s|ing)?\s+slowly)\b" + _TARGET
)
_FALL = re.compile(
    r"\b(?:(?:wind|cool|calm|slow)(?:s|ing)?\s+(?:it\s+|things\s+)?down|com(?:e|es|ing)\s+down|"
    r"fad(?:e|es|ing)\s+out|mellow(?:s|ing)?\s+out|taper(?:s|ing)?\s+off|wind-?down|cool-?down|"
    r"then\s+(?:relax|chill|unwind|rest))"
    r"\b" + _TARGET
)
_PEAK = re.compile(
    r"\b(?:(?:peak|climax)(?:s|es|ing)?\s+(?:in|at|around|towards?)\s+the\s+middle|"
    r"peak(?:s|ing)?\s+halfway|rise and fall|up and (?:then\s+)?down)\b"
)
_AT_END = re.compile(r"\b(?:at|towards?|near|by|in)\s+the\s+(?:very\s+)?end\b")


def arcs(t: QueryText, rules: Rules, resolve: Resolver) -> ArcRequest | None:
    def point(phrase: str | None, strict: bool):
        if not phrase:
            return None
        key = norm(phrase)
        if key in LEVELS:
            return ("level", LEVELS[key]), key
        mood = resolve(key, strict)
        return (("mood", mood), key) if mood else None

    def take(pattern, group=None, strict=True, cut_unresolved=True):
        hits = []
        for m in list(pattern.finditer(t.work)):
            end = point(m[group], strict) if group else None
            if group and m[group] is not None and end is None and not cut_unresolved:
                continue
            resolved = end or not group or m[group] is None
            t.cut(m.start(), m.end() if resolved else m.start(group))
            hits.append((m.start(), end))
        return hits

    peak = take(_PEAK)
    pairs = []
    for pattern, strict in ((_FROM_TO, False), (_BARE_TO, True), (_THEN_PAIR, True)):
        for m in list(pattern.finditer(t.work)):
            x, y = point(m["x"], strict), point(m["y"], strict)
            if x and y:
                t.cut(*m.span())
                pairs.append((m.start(), x, y))
    starts = take(_START, "x", cut_unresolved=False) + take(_START_AS, "x", cut_unresolved=False)
    ends = take(_END, "y", cut_unresolved=False) + take(_END_AS, "y", cut_unresolved=False)
    for m in list(_EASE_IN.finditer(t.work)):  # "ease in": a gentle start
        t.cut(*m.span())
        starts.append((m.start(), (("level", LEVELS["gentle"]), "gentle")))
    if starts:  # "calm start, then dance": what comes next is the other end
        ends += take(_THEN, "y", cut_unresolved=False)
    rises, falls = take(_RISE, "y", strict=False), take(_FALL, "y", strict=False)
    at_end = take(_AT_END) if rises or falls else []
    if not (peak or pairs or starts or ends or rises or falls):
        return None
    request = _combine_arc(peak, pairs, starts, ends, rises, falls, bool(at_end))
    pos = min(h[0] for h in peak + pairs + starts + ends + rises + falls)
    add_note(rules, pos, f"arc: {request.label}")
    return request


def _combine_arc(peak, pairs, starts, ends, rises, falls, at_end: bool) -> ArcRequest:
    """One arc from the arc phrases found; explicit endpoints beat directions."""
    if pairs:
        _pos, (x, xs), (y, ys) = pairs[0]
        return ArcRequest("span", f"{xs} → {ys}", x, y)
    if peak or (rises and falls):
        valley = not peak and falls[0][0] < rises[0][0]
        return ArcRequest(
            *(("valley", "dip in the middle") if valley else ("peak", "peak in the middle"))
        )
    start = starts[0][1] if starts else None
    end = ends[0][1] if ends else (rises or falls)[0][1] if rises or falls else None
    if start and end:
        return ArcRequest("span", f"{start[1]} → {end[1]}", start[0], end[0])
    verb = "build up" if rises else "wind down" if falls else None
    if verb is None:
        label = f"start {start[1]}" if start else f"end {end[1]}"
        return ArcRequest("span", label, start and start[0], end and end[0])
    kind = "rise" if rises else "fall"
    if end:
        return ArcRequest(kind, f"{verb} to {end[1]}", end=end[0])
    if start:
        return ArcRequest(kind, f"{start[1]}, then {verb}", start=start[0])
    if at_end:
        return ArcRequest(f"{kind}_end", f"{verb} at the end")
    return ArcRequest(kind, verb)
