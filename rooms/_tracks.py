"""Display fields of tracks for room events, cached per process."""

from __future__ import annotations

import threading
import time

from models import Track

TRACK_INFO_TTL_S = 60.0  # display fields (title, artist, bpm, key) may lag a rescan this long
TRACK_INFO_MAX = 50_000

# track id -> (loaded at, available, display fields)
_track_info: dict[str, tuple[float, bool, dict]] = {}
_lock = threading.Lock()


def _load(track_ids: list[str], now: float) -> None:
    if len(_track_info) > TRACK_INFO_MAX:
        with _lock:
            _track_info.clear()
    for track_id, (available, info) in Track.display_fields(track_ids).items():
        _track_info[track_id] = (now, available, info)


def _fresh(track_ids, now: float) -> list[str]:
    """The ids with no cached row younger than the TTL."""
    missing = []
    for track_id in set(track_ids):
        hit = _track_info.get(track_id)
        if not hit or now - hit[0] >= TRACK_INFO_TTL_S:
            missing.append(track_id)
    return missing


def track_info(track_ids) -> dict[str, dict]:
    """Display fields for tracks, keyed by id (unknown ids are left out).

    Kept per process for ``TRACK_INFO_TTL_S``: a snapshot names every track in
    the playlist, and the embedded server needs ~0.5 ms per track to find them.
    """
    now = time.monotonic()
    missing = _fresh(track_ids, now)
    if missing:
        _load(missing, now)
    out = {}
    for track_id in set(track_ids):
        hit = _track_info.get(track_id)
        if hit:
            out[track_id] = dict(hit[2])
    return out


def unavailable(track_ids: list[str]) -> list[str]:
    """The ids that are unknown or not available to play, in the order given.

    A track seen available within the TTL counts as available: adds then
    need no database read, and the next ``track_info`` is a cache hit. One
    seen unavailable is asked again (a rescan may have brought it back).
    """
    now = time.monotonic()
    missing = _fresh(track_ids, now)
    missing += [t for t in set(track_ids) if t not in missing and not _track_info[t][1]]
    if missing:
        _load(missing, now)
    return [t for t in track_ids if not (_track_info.get(t) or (0, False))[1]]


def clear() -> None:
    with _lock:
        _track_info.clear()
