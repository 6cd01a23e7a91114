"""Forty mood queries, each with the feature region a good answer falls in.

Regions are judged on the library-relative scale Moodroom promises
("energetic for this library"): ``energy``, ``valence``, ``dance`` and
``bright`` are library percentiles (0-1), ``bpm`` is raw tempo; ``tag(x)`` is
the percentile of musicnn tag ``x``.
"""

from __future__ import annotations

# (query, region as a Python expression over the row's fields)
QUERIES: list[tuple[str, str]] = [
    ("calm music to fall asleep to", "energy <= 0.5 and bpm <= 120"),
    ("sleepy slow ambient night", "energy <= 0.5"),
    ("peaceful meditation", "energy <= 0.5"),
    ("relaxing chill evening at home", "energy <= 0.55"),
    ("high energy workout at the gym", "energy >= 0.5"),
    ("intense running motivation, fast", "energy >= 0.45 and bpm >= 110"),
    ("party music to dance all night", "dance >= 0.45 and energy >= 0.4"),
    ("dance floor bangers", "dance >= 0.45"),
    ("happy feel-good songs", "valence >= 0.45"),
    ("cheerful sunny summer day", "valence >= 0.45"),
    ("sad songs to cry to after a breakup", "valence <= 0.55"),
    ("melancholic rainy afternoon", "valence <= 0.6 and energy <= 0.6"),
    ("dark and brooding", "valence <= 0.6"),
    ("angry aggressive music", "energy >= 0.5"),
    ("songs at exactly 120 bpm", "114 <= bpm <= 126"),
    ("something around 90 bpm", "84 <= bpm <= 96"),
    ("fast songs over 150 bpm", "bpm >= 145"),
    ("slow songs", "bpm <= 100"),
    ("music in A minor", "key == 'A' and scale == 'minor'"),
    ("songs in C major", "key == 'C' and scale == 'major'"),
    ("only minor keys, moody", "scale == 'minor'"),
    ("upbeat songs in major keys", "scale == 'major'"),
    ("instrumental music to focus on coding", "tag('instrumental') >= 0.5"),
    ("study music without vocals", "tag('instrumental') >= 0.5"),
    ("energetic rock but no metal", "genre != 'metal'"),
    ("chill jazz", "genre == 'jazz' or energy <= 0.5"),
    ("folk songs by the campfire", "genre == 'folk' or energy <= 0.5"),
    ("electronic dance music", "genre == 'electronic' or dance >= 0.5"),
    ("romantic dinner for two", "energy <= 0.6"),
    ("morning coffee, gentle start", "energy <= 0.6"),
    ("late night highway drive", "energy >= 0.2"),
    ("epic cinematic build", "energy >= 0.35"),
    ("nostalgic and dreamy", "energy <= 0.65"),
    ("uplifting and hopeful", "valence >= 0.4"),
    ("cozy winter evening by the fire", "energy <= 0.6"),
    ("start chill and build up to a party", "True"),
    ("wind down at the end of a busy day", "energy <= 0.65"),
    ("not sad, happy summer vibes", "valence >= 0.45"),
    ("fast and happy, no metal", "bpm >= 110 and genre != 'metal'"),
    ("slow and sad, 30 minutes", "bpm <= 110 and valence <= 0.6"),
]


def in_region(region: str, row: dict, tag_pct) -> bool:
    """Whether ``row`` (percentile fields + raw bpm/key/scale/genre) lies in ``region``."""
    return bool(eval(region, {"__builtins__": {}}, {**row, "tag": tag_pct}))


def row_fields(catalog, row: int) -> tuple[dict, callable]:
    """The names a region expression may use, for catalog row ``row``."""
    pct = catalog.pct[row]
    fields = {
        "energy": float(pct[1]), "bright": float(pct[2]), "dance": float(pct[3]),
        "valence": float(pct[4]), "bpm": float(catalog.raw["bpm"][row]),
        "key": catalog.text["key"][row], "scale": catalog.text["scale"][row],
        "genre": catalog.text["genre"][row],
    }  # fmt: skip
    index = {t: j for j, t in enumerate(catalog.tag_names)}

    def tag(name: str) -> float:
        return float(catalog.tags_pct[row, index[name]])

    return fields, tag
