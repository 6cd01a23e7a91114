"""Playlists as files: write M3U8 and XSPF, read M3U/M3U8/XSPF/PLS, match entries to tracks.

Pure: the callers give track rows (``id``, ``path``, ``title``, ``artist``, ``album``,
``duration``) and get text, or parsed entries and matches back.
"""

from __future__ import annotations

import configparser
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urlsplit
from xml.etree import ElementTree

XSPF_NS = "http://xspf.org/ns/0/"
FORMATS = ("m3u", "m3u8", "xspf", "pls")
DURATION_TOLERANCE_S = 3.0


@dataclass
class FileEntry:
    """One entry read from a playlist file; any field may be missing."""

    location: str | None = None
    title: str | None = None
    artist: str | None = None
    album: str | None = None
    duration: float | None = None

    def label(self) -> str:
        if self.artist or self.title:
            return " - ".join(p for p in (self.artist, self.title) if p)
        return self.location or "(empty entry)"


def _one_line(text: str | None) -> str:
    return re.sub(r"[\r\n]+", " ", text or "").strip()


def write_m3u8(rows: list[dict], root: str | None = None) -> str:
    """Extended M3U in UTF-8; paths relative to ``root`` when under it, else absolute."""
    lines = ["#EXTM3U"]
    for row in rows:
        seconds = round(row.get("duration") or 0) or -1
        label = " - ".join(_one_line(p) for p in (row.get("artist"), row.get("title")) if p)
        lines.append(f"#EXTINF:{seconds},{label}")
        path = row["path"]
        if root and path.startswith(root.rstrip("/") + "/"):
            path = os.path.relpath(path, root)
        lines.append(path)
    return "\n".join(lines) + "\n"


def write_xspf(name: str, creator: str, rows: list[dict]) -> str:
    """XSPF 1: title, creator, and per track location, title, creator, album, duration (ms)."""
    ElementTree.register_namespace("", XSPF_NS)
    top = ElementTree.Element(f"{{{XSPF_NS}}}playlist", version="1")
    ElementTree.SubElement(top, f"{{{XSPF_NS}}}title").text = name
    ElementTree.SubElement(top, f"{{{XSPF_NS}}}creator").text = creator
    tracks = ElementTree.SubElement(top, f"{{{XSPF_NS}}}trackList")
    for row in rows:
        track = ElementTree.SubElement(tracks, f"{{{XSPF_NS}}}track")
        fields = [("location", "file://" + quote(row["path"])), ("title", row.get("title")),
                  ("creator", row.get("artist")), ("album", row.get("album")),
                  ("duration", str(round((row.get("duration") or 0) * 1000)))]  # fmt: skip
        for tag, value in fields:
            if value:
                ElementTree.SubElement(track, f"{{{XSPF_NS}}}{tag}").text = value
    body = ElementTree.tostring(top, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


class PlaylistFileError(ValueError):
    """A file that is not a playlist this module reads."""


def detect(filename: str, text: str) -> str:
    suffix = PurePosixPath(filename or "").suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return "m3u" if suffix == "m3u8" else suffix
    head = text.lstrip()[:200].lower()
    if head.startswith("<?xml") or "<playlist" in head:
        return "xspf"
    if head.startswith("[playlist]"):
        return "pls"
    return "m3u"


def parse(filename: str, text: str) -> list[FileEntry]:
    """Entries of a playlist file, in order."""
    kind = detect(filename, text.lstrip("\ufeff"))
    text = text.lstrip("\ufeff")
    if kind == "xspf":
        return _parse_xspf(text)
    if kind == "pls":
        return _parse_pls(text)
    return _parse_m3u(text)


def _split_label(label: str) -> tuple[str | None, str | None]:
    if " - " in label:
        artist, title = label.split(" - ", 1)
        return artist.strip() or None, title.strip() or None
    return None, label.strip() or None


def _parse_m3u(text: str) -> list[FileEntry]:
    entries, pending = [], FileEntry()
    for line in text.splitlines():
        line = line.strip()
        if line.upper().startswith("#EXTINF:"):
            length, _, label = line[8:].partition(",")
            try:
                seconds = float(length.split()[0]) if length.split() else -1
            except ValueError:
                seconds = -1
            pending.duration = seconds if seconds > 0 else None
            pending.artist, pending.title = _split_label(label)
        elif line and not line.startswith("#"):
            pending.location = line
            entries.append(pending)
            pending = FileEntry()
    return entries


def _parse_pls(text: str) -> list[FileEntry]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error as exc:
        raise PlaylistFileError(f"not a PLS playlist: {exc}") from None
    if not parser.has_section("playlist"):
        raise PlaylistFileError("not a PLS playlist: no [playlist] section")
    section = parser["playlist"]
    numbers = sorted(int(k[4:]) for k in section if k.startswith("file") and k[4:].isdigit())
    entries = []
    for n in numbers:
        artist, title = _split_label(section.get(f"title{n}", ""))
        try:
            length = float(section.get(f"length{n}", "-1"))
        except ValueError:
            length = -1
        entries.append(FileEntry(section[f"file{n}"].strip(), title, artist, None,
                                 length if length > 0 else None))  # fmt: skip
    return entries


def _parse_xspf(text: str) -> list[FileEntry]:
    if "<!DOCTYPE" in text or "<!ENTITY" in text:  # no entity expansion from uploaded XML
        raise PlaylistFileError("XSPF files with a DOCTYPE are not read")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise PlaylistFileError(f"not an XSPF playlist: {exc}") from None
    entries = []
    for track in root.iter():
        if not track.tag.endswith("track") or track.tag.endswith("trackList"):
            continue
        fields = {child.tag.rsplit("}", 1)[-1]: (child.text or "").strip() for child in track}
        try:
            ms = float(fields.get("duration") or 0)
        except ValueError:
            ms = 0
        entries.append(FileEntry(fields.get("location") or None, fields.get("title") or None,
                                 fields.get("creator") or None, fields.get("album") or None,
                                 ms / 1000 if ms > 0 else None))  # fmt: skip
    return entries


def _norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "").casefold()
    return " ".join(re.findall(r"\w+", text))


def _local_path(location: str) -> str:
    if location.startswith("file:"):
        return unquote(urlsplit(location).path)
    return location.replace("\\", "/")


def _close(a: float | None, b: float) -> bool:
    return not a or abs(a - b) <= DURATION_TOLERANCE_S


def match(entries: list[FileEntry], rows: list[dict], roots: list[str],
          base_dir: str | None = None) -> tuple[list[str], list[FileEntry]]:  # fmt: skip
    """Track ids for ``entries`` in order, and the entries that matched nothing.

    By path first (absolute, or relative to the playlist's folder or to a library
    root); then by artist + title, preferring (and, when both durations are known,
    requiring) a duration within ``DURATION_TOLERANCE_S``.
    """
    by_path: dict[str, str] = {}
    by_tags: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        by_path[os.path.normpath(row["path"])] = row["id"]
        by_tags.setdefault((_norm(row.get("artist")), _norm(row.get("title"))), []).append(row)
    found, misses = [], []
    for entry in entries:
        track_id = None
        if entry.location:
            path = _local_path(entry.location)
            bases = [""] if os.path.isabs(path) else [b for b in [base_dir, *roots] if b]
            for base in bases:
                track_id = by_path.get(os.path.normpath(os.path.join(base, path)))
                if track_id:
                    break
        if track_id is None and entry.title:
            candidates = by_tags.get((_norm(entry.artist), _norm(entry.title)), [])
            if entry.duration:
                candidates = [r for r in candidates if _close(r.get("duration"), entry.duration)]
            track_id = candidates[0]["id"] if candidates else None
        if track_id is None:
            misses.append(entry)
        else:
            found.append(track_id)
    return found, misses
