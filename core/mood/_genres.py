"""Genre words in a query, resolved to the genres a library's tags use.

People name subgenres and scenes ("bebop", "jungle", "deep house", "string quartet") while
files are tagged with broad genres ("Jazz", "Drum and Bass", "House", "Classical"). The
genre tree of beets' lastgenre plugin (``assets/genres/``, MIT) gives every genre's parent;
a genre word resolves to the nearest of itself and its ancestors that the library holds.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from core.mood._lexicon import find_phrases, norm

TREE = Path(__file__).resolve().parents[2] / "assets" / "genres" / "genres-tree.yaml"
# Spellings people type for the tree's names (keys and values in ``norm`` form). Ampersands
# and apostrophes vanish in ``norm``: "drum & bass" is "drum bass", "d&b" is "d b".
ALIASES = {
    "dnb": "drum and bass", "d b": "drum and bass", "d n b": "drum and bass",
    "drum bass": "drum and bass", "drum n bass": "drum and bass",
    "drum'n'bass": "drum and bass",
    "hiphop": "hip hop", "rap": "hip hop", "metal": "heavy metal", "lofi": "lo fi",
    "edm": "electronic", "electronica": "electronic", "rnb": "r b",
    "orchestra": "orchestral", "chamber": "chamber music", "classical music": "classical",
    "symphonic": "symphony", "punk": "punk rock", "prog": "progressive rock",
    "boom bap": "hip hop", "chillhop": "lo fi", "chill hop": "lo fi",
    # Scenes named by what people do to the music.
    "headbang": "heavy metal", "headbanging": "heavy metal", "headbangers": "heavy metal",
    "headbanger": "heavy metal", "moshpit": "heavy metal", "mosh pit": "heavy metal",
    "mosh": "heavy metal",
}  # fmt: skip
# A genre that is also an everyday noun is not a genre next to these words: "a house
# party", "cleaning the house", "rock bottom".
_NOUN_GENRES = {"house", "rock", "soul", "country", "pop", "metal", "folk", "swing", "garage"}
_NOT_GENRE_BEFORE = re.compile(r"\b(?:the|my|our|your|his|her|their|this|that|a|whole)\s+$")
_NOT_GENRE_AFTER = re.compile(
    r"^\s+(?:party|parties|warming|chores|work|guests|plants|keeping|cleaning|bottom|hold)\b"
)


# Tree names that are everyday words in a request ("minimal vocals", "my son's party",
# "background music for reading"): they name a genre only when the library uses them.
_EVERYDAY = {
    "background music", "mass", "minimal", "noise", "progressive", "son", "oi", "humor",
    "comedy", "lowercase", "industrial", "hardcore", "breaks", "baggy", "sega", "jit", "liwa",
    "sawt", "lavani", "funky", "isolationism",
}  # fmt: skip


@cache
def parents() -> dict[str, str | None]:
    """Every genre of the tree (``norm`` form) -> its parent (None at the top)."""
    import yaml

    out: dict[str, str | None] = {}

    def walk(nodes, parent):
        for node in nodes:
            if isinstance(node, dict):
                for name, children in node.items():
                    out.setdefault(norm(name), parent)
                    walk(children or [], norm(name))
            else:
                out.setdefault(norm(str(node)), parent)

    walk(yaml.safe_load(TREE.read_text()), None)
    return out


@cache
def phrases() -> dict[str, str]:
    """Every phrase that names a genre of the tree -> that genre."""
    tree = parents()
    names = {name: name for name in tree if name not in _EVERYDAY}
    return {**names, **{a: g for a, g in ALIASES.items() if g in tree}}


def lineage(genre: str) -> list[str]:
    """``genre`` and its ancestors, nearest first."""
    tree, out = parents(), []
    while genre and genre not in out:
        out.append(genre)
        genre = tree.get(genre)
    return out


def library_genres(phrase: str, library: dict[str, str]) -> list[str]:
    """Library genre names (``library``: ``norm`` form -> name) that ``phrase`` resolves to."""
    key = norm(phrase)
    if key in library:
        return [library[key]]
    genre = phrases().get(key)
    if genre is None:
        return []
    # The tree files some compounds by their first word ("indie pop" under alternative
    # rock); in English the last word is the head: an indie pop song is a pop song.
    by_tree_name = {ALIASES.get(k, k): name for k, name in library.items()}
    head = genre.split()[-1]
    if head != genre and head in by_tree_name:
        return [by_tree_name[head]]
    for step in lineage(genre):
        if step in by_tree_name:
            return [by_tree_name[step]]
    return []


def mentions(text: str, library: dict[str, str]):
    """Genre words of ``text`` the library can answer: ``(genre name, word, start, end)``."""
    table = {**phrases(), **{k: k for k in library}}
    for genre, start, end in find_phrases(text, table):
        word = text[start:end]
        if norm(word) in _NOUN_GENRES and (
            _NOT_GENRE_BEFORE.search(text[:start]) or _NOT_GENRE_AFTER.match(text[end:])
        ):
            continue
        for name in library_genres(genre, library):
            yield name, word, start, end


def tree_only(text: str, library: dict[str, str]):
    """Genre words of ``text`` the library cannot answer, with the nearest genre in the tree
    that names musicnn tags (``tags``: genre word -> tags): ``(genre, word, start, end)``."""
    from core.mood._lexicon import GENRE_TAGS

    for genre, start, end in find_phrases(text, phrases()):
        if library_genres(genre, library):
            continue
        for step in lineage(genre):
            if step in GENRE_TAGS:
                yield step, text[start:end], start, end
                break
