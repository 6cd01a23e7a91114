"""Export and import, shared by the pages and the ``flask playlists`` commands."""

from __future__ import annotations

from dataclasses import dataclass

from core.collab import MAX_ENTRIES
from core.files import FileEntry, match, parse, write_m3u8, write_xspf
from models import Playlist, PlaylistEntry, User, track_rows
from webapp.schemas.limits import MAX_NAME


def _rows(track_ids: list[str]) -> list[dict]:
    by_id = {}
    for row in track_rows.rows_by_id(track_ids, "path", "tags", "duration").values():
        tags = row.get("tags") or {}
        by_id[row["_id"]] = {"id": row["_id"], "path": row["path"], "title": tags.get("title"),
                             "artist": tags.get("artist"), "album": tags.get("album"),
                             "duration": row.get("duration")}  # fmt: skip
    return [by_id[t] for t in track_ids if t in by_id]


def playlist_rows(playlist: Playlist) -> list[dict]:
    """The playlist's tracks in order, as rows for the writers."""
    return _rows(PlaylistEntry.track_ids_of([playlist.id])[playlist.id])


def export(playlist: Playlist, fmt: str, root: str | None = None) -> str:
    """The playlist as ``m3u8`` (paths relative to ``root`` when given) or ``xspf`` text."""
    rows = playlist_rows(playlist)
    if fmt == "xspf":
        owner = User.objects(id=playlist.owner.id).only("username").first()
        return write_xspf(playlist.name, owner.username if owner else "", rows)
    return write_m3u8(rows, root)


@dataclass
class Imported:
    playlist: Playlist
    matched: int
    misses: list[FileEntry]


def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM), else Latin-1 as old M3U files are written."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def import_file(user_id: str, filename: str, text: str, roots: list[str],
                name: str | None = None) -> Imported:  # fmt: skip
    """A new playlist owned by ``user_id`` from a playlist file; what did not match is listed.

    Raises ``core.files.PlaylistFileError`` for a file that is not a playlist.
    """
    entries = parse(filename, text)[:MAX_ENTRIES]
    rows = [
        {"id": r["_id"], "path": r["path"], "title": (r.get("tags") or {}).get("title"),
         "artist": (r.get("tags") or {}).get("artist"), "duration": r.get("duration")}
        for r in track_rows.available_rows("path", "tags", "duration")
    ]  # fmt: skip
    track_ids, misses = match(entries, rows, [str(r) for r in roots])
    title = (name or "").strip() or _title(filename, text) or "Imported playlist"
    playlist = Playlist.with_tracks(track_ids, user_id, owner=user_id, name=title[:MAX_NAME],
                                    description=f"Imported from {filename}"[:2000])  # fmt: skip
    return Imported(playlist, len(track_ids), misses)


def _title(filename: str, text: str) -> str | None:
    if filename.lower().endswith(".xspf"):
        from xml.etree import ElementTree

        try:
            for element in ElementTree.fromstring(text):
                if element.tag.endswith("title") and element.text:
                    return element.text.strip()
        except ElementTree.ParseError:
            return None
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem or None
