"""Rule pass of the mood parser: tempo, key, length, exclusions, arcs and library names.

It runs before any embedding so that "not sad" excludes *sad* instead of
matching it and "120 bpm" becomes a tempo range instead of noise. Recognised
phrases are masked out of the text; ``Rules.residual`` is what gets embedded.
Words that still carry mood meaning ("slow", "instrumental", "jazz") are
recorded but left in the text.

``apply_rules`` runs the rules in order: numbers and keys (``core.mood._numbers``),
exclusions, arcs (``core.mood._arcs``), vocals and tempo words, library names and
genres. Word tables and phrase matching live in ``core.mood._lexicon``; the text
and result types in ``core.mood._rule_state``. Their public names are re-exported here.
"""

from __future__ import annotations

import re

from core.mood._arcs import arcs
from core.mood._genres import library_genres, mentions, phrases, tree_only
from core.mood._lexicon import (
    DRUM_WORDS,
    FAST,
    GENRE_TAGS,
    INSTRUMENT_TAGS,
    LEAD_FILLERS,
    MOOD_TAGS,
    NEG_IDIOMS,
    OBJECT_STOPS,
    OPPOSED_TAGS,
    SLOW,
    STOPWORDS,
    TOKEN,
    TRAIL_FILLERS,
    VOCABULARY,
    VOCAL_WORDS,
    find_phrases,
    library_index,
    norm,
)
from core.mood._numbers import keys, lengths, tempo_numbers
from core.mood._pace import intensity_words, not_too, vocals_and_tempo_words
from core.mood._rule_state import ArcRequest, QueryText, Resolver, Rules, add_note

__all__ = [
    "GENRE_TAGS",
    "MOOD_TAGS",
    "STOPWORDS",
    "VOCABULARY",
    "ArcRequest",
    "Resolver",
    "Rules",
    "apply_rules",
    "find_phrases",
    "library_index",
    "norm",
]

_NEGATION = re.compile(
    r"\b(?P<cue>not in the mood for|no need for|don't want|dont want|do not want|don't like|"
    r"do not like|don't play|do not play|not a fan of|anything but|anything except|except for|"
    r"except|excluding|exclude|avoid(?:ing)?|skip(?:ping)?|minus|without|but no|no more|"
    r"nothing|none of|no|not|never)\b(?P<obj>[^\x00,.;:!?()]*)"
)
# Cues that also begin everyday phrases ("skipping rope"): a negation only before a word the
# rules can exclude.
_WEAK_CUES = {"skip", "skipping", "minus"}
_WITH = {"with", "containing", "featuring", "having"}
_CUE = re.compile(r"\b(?:by|from|like|of|album|record|artist|band)\s+$")


def apply_rules(
    text: str, resolve: Resolver, library: dict[str, set[str]] | None = None,
    index: dict | None = None,
) -> Rules:  # fmt: skip
    """Run every rule over ``text``; ``resolve`` maps a short phrase to a mood key.

    ``index`` is ``library_index(library)``, for callers that reuse it across queries.
    """
    t, rules = QueryText(text), Rules()
    tempo_numbers(t, rules)
    lengths(t, rules)
    keys(t, rules)
    index = index or library_index(library)
    not_too(t, rules)  # before negations: "nothing too loud" is a bound, not an exclusion
    _negations(t, rules, index)
    rules.arc = arcs(t, rules, resolve)
    vocals_and_tempo_words(t, rules)
    intensity_words(t, rules)
    _library_mentions(t, rules, index, resolve)
    for value, _start, _end in find_phrases(t.work, {k: k for k in GENRE_TAGS}):
        fresh = [tag for tag in GENRE_TAGS[value] if tag not in rules.negated_tags]
        if fresh and value not in ("r b",):
            rules.named_tags.extend(x for x in fresh if x not in rules.named_tags)
            rules.opposed_tags.extend(OPPOSED_TAGS.get(value, []))
    _instruments(t, rules, index)
    rules.residual = t.residual()
    return rules


def _instruments(t: QueryText, rules: Rules, index: dict) -> None:
    """ "piano", "strings": the track must show the instrument's tag (relaxed if too few)."""
    genre_words = {**phrases(), **index["genre"]}
    genres = [(s, e) for _g, s, e in find_phrases(t.work, genre_words)]
    for word, start, end in find_phrases(t.work, {k: k for k in INSTRUMENT_TAGS}):
        if any(s < end and start < e for s, e in genres):
            continue  # "drum" of "drum and bass"
        tags = INSTRUMENT_TAGS[word]
        if word in DRUM_WORDS:  # "with drums": a beat, measured
            rules.constraints.setdefault("beat", True)
            continue
        wanted = rules.constraints.setdefault("include_tags", [])
        if tags[0] not in rules.negated_tags and tags[0] not in wanted:
            wanted.append(tags[0])
            add_note(rules, start, f"with {t.said(start, end)}")
        rules.named_tags.extend(x for x in tags if x not in rules.named_tags)
    if not rules.constraints.get("include_tags"):
        rules.constraints.pop("include_tags", None)


def _negations(t: QueryText, rules: Rules, index: dict) -> None:
    for m in list(_NEGATION.finditer(t.work)):
        obj = m["obj"]
        words = [(w.group(), m.start("obj") + w.start(), m.start("obj") + w.end())
                 for w in TOKEN.finditer(obj)]  # fmt: skip
        artist = None
        while words and not artist:
            # Artist names may start with a filler word ("The Velvet Foxes"): try first.
            found = find_phrases(t.work[words[0][1] : m.end()], index["artist"])
            artist = found[0] if found and found[0][1] == 0 else None
            if artist or words[0][0] not in LEAD_FILLERS or len(words) == 1:
                break
            words.pop(0)
        if artist:
            name, end = artist[0], words[0][1] + artist[2]
            rules.constraints.setdefault("exclude_artists", []).append(name)
            add_note(rules, m.start(), t.said(m.start(), end))
            t.cut(m.start(), end)
            continue
        # "nothing with drums", "no songs with vocals": what follows "with" is the object.
        while len(words) > 1 and (words[0][0] in _WITH or words[0][0] in LEAD_FILLERS):
            words.pop(0)
        if not words or words[0][0] in NEG_IDIOMS or words[0][0] in OBJECT_STOPS:
            continue
        groups, current, end = [], [], m.start("obj")
        for word, _s, e in words:
            if word in OBJECT_STOPS or len(current) >= 4:
                break
            end = e
            if word in ("or", "nor"):
                groups.append(current)
                current = []
            else:
                current.append(word)
        groups.append(current)
        phrases = []
        for group in groups:
            while group and group[-1] in TRAIL_FILLERS:
                group.pop()
            if group:
                phrases.append(" ".join(group))
        if m["cue"] in _WEAK_CUES and not all(_negatable(p, index) for p in phrases):
            continue  # "skipping rope" is an activity, "skipping metal" a wish
        if phrases:
            note = t.said(m.start(), end)
            t.cut(m.start(), end)
            for phrase in phrases:
                _negate(phrase, note, m.start(), rules, index)


def _negatable(phrase: str, index: dict) -> bool:
    """Is ``phrase`` a genre, instrument, drum or vocal word (no mood guessing)?"""
    key = norm(phrase)
    return bool(key in GENRE_TAGS or library_genres(key, index["genre"]) or key in DRUM_WORDS
                or key in INSTRUMENT_TAGS or key in VOCAL_WORDS)  # fmt: skip


def _negate(phrase: str, note: str, pos: int, rules: Rules, index: dict) -> None:
    c, key = rules.constraints, norm(phrase)
    genres = library_genres(key, index["genre"])
    if key in GENRE_TAGS or genres:
        for genre in genres:
            if genre not in c.setdefault("exclude_genres", []):
                c["exclude_genres"].append(genre)
        tags = [x for x in GENRE_TAGS.get(key, []) if x not in c.get("exclude_tags", [])]
        if tags:
            c.setdefault("exclude_tags", []).extend(tags)
            rules.negated_tags.extend(tags)
    elif key in DRUM_WORDS:
        c["beat"] = False  # the measured pulse says it better than any drum tag
    elif key in INSTRUMENT_TAGS:
        tag = INSTRUMENT_TAGS[key][0]
        if tag not in c.setdefault("exclude_tags", []):
            c["exclude_tags"].append(tag)
            rules.negated_tags.append(tag)
    elif key in VOCAL_WORDS:
        c["instrumental"] = True
    elif key in ("instrumental", "instrumentals"):
        c["instrumental"] = False
    elif key.removeprefix("too ") in FAST:
        c["tempo_max"] = min(c.get("tempo_max", 999), 120)
        note = f"{note} (tempo ≤ 120 BPM)"
    elif key.removeprefix("too ") in SLOW:
        c["tempo_min"] = max(c.get("tempo_min", 0), 95)
        note = f"{note} (tempo ≥ 95 BPM)"
    else:
        rules.negated_moods.append((key, note, pos))  # the parser knows moods
        return
    add_note(rules, pos, note)


def _common(word: str, resolve: Resolver) -> bool:
    return word in STOPWORDS or word in VOCABULARY or resolve(word, True) is not None


def _library_mentions(t: QueryText, rules: Rules, index: dict, resolve: Resolver) -> None:
    for kind in ("artist", "album"):
        for name, start, end in find_phrases(t.work, index[kind]):
            cue = re.search(_CUE, t.work[max(0, start - 12) : start])
            word = norm(name)
            if not cue and " " not in word and (len(word) < 4 or _common(word, resolve)):
                continue  # a one-word name like "Rain" is more likely just a word
            names = rules.constraints.setdefault(f"include_{kind}s", [])
            names.extend([name] if name not in names else [])
            add_note(rules, start, f"{'by' if kind == 'artist' else 'album'} {t.said(start, end)}")
            t.cut(start - (len(cue.group()) if cue else 0), end)
    for name, word, start, end in mentions(t.work, index["genre"]):
        rules.known_words.update(norm(word).split())  # "bebop" is Jazz, not an unknown word
        included = rules.constraints.setdefault("include_genres", [])
        if name not in rules.constraints.get("exclude_genres", []) and name not in included:
            included.append(name)
            said = t.said(start, end)
            add_note(rules, start, f"genre {said}" if norm(word) == norm(name) else
                     f"genre {name} ({said})")  # fmt: skip
    if not rules.constraints.get("include_genres"):
        rules.constraints.pop("include_genres", None)
    # A genre the files are not tagged with ("bebop" in a library without Jazz): prefer
    # what sounds like its nearest known family, and say so, rather than "not understood".
    for family, word, start, end in list(tree_only(t.work, index["genre"])):
        if norm(word) in GENRE_TAGS:
            continue  # named tags of its own, taken below
        tags = [x for x in GENRE_TAGS[family] if x not in rules.negated_tags]
        rules.named_tags.extend(x for x in tags if x not in rules.named_tags)
        add_note(rules, start, f"sounds like {family} ({t.said(start, end)})")
        t.cut(start, end)
