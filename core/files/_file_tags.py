"""Reading tags from audio files with mutagen."""

from __future__ import annotations

import re
from pathlib import Path

_NUMBER = re.compile(r"\d+")


def read_tags(path: str | Path) -> dict:
    """Title, artist, album, album artist, track number, year, genre and duration.

    Missing tags fall back to the file name (``"Artist - Title.ext"`` is split).
    Unreadable tags are not an error: the audio may still decode.
    """
    import mutagen

    path = Path(path)
    info: dict = {}
    duration = None
    try:
        audio = mutagen.File(str(path), easy=True)
    except Exception:  # mutagen raises many types on damaged headers
        audio = None
    if audio is not None:
        tags = audio.tags or {}
        info = {
            "title": _first(tags, "title"),
            "artist": _first(tags, "artist"),
            "album": _first(tags, "album"),
            "album_artist": _first(tags, "albumartist"),
            "track_no": _number(_first(tags, "tracknumber")),
            "year": _number(_first(tags, "date") or _first(tags, "year")),
            "genre": _first(tags, "genre"),
        }
        length = getattr(audio.info, "length", None)
        duration = round(float(length), 3) if length else None
    return {**_from_filename(path), **{k: v for k, v in info.items() if v}, "duration": duration}


def _first(tags, key: str) -> str | None:
    try:
        values = tags.get(key)
    except (KeyError, ValueError):
        return None
    if not values:
        return None
    value = values[0] if isinstance(values, list) else values
    return str(value).strip()[:300] or None


def _number(text: str | None) -> int | None:
    match = _NUMBER.search(text or "")
    return int(match.group()) if match else None


def _from_filename(path: Path) -> dict:
    stem = path.stem.replace("_", " ").strip()
    stem = re.sub(r"^\d+[\s.-]+", "", stem) or stem  # "01 - Song" -> "Song"
    if " - " in stem:
        artist, title = stem.split(" - ", 1)
        return {"artist": artist.strip(), "title": title.strip()}
    return {"title": stem}


def tokens(*texts: str | None) -> list[str]:
    """Lower-case word tokens of ``texts`` for searching without regex lookups."""
    words = set()
    for text in texts:
        words.update(re.findall(r"\w+", (text or "").lower()))
    return sorted(words)
