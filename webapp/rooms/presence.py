"""Who is in a room and what they are dragging, kept in Redis so every process sees it."""

from __future__ import annotations

import json
import time

from webapp.rooms.store import _redis

STALE_AFTER_S = 24 * 3600  # entries of a process that died without saying goodbye


def _key(playlist_id: str) -> str:
    return f"moodroom:room:{playlist_id}:presence"


def enter(playlist_id: str, sid: str, user_id: str, name: str) -> None:
    _redis().hset(_key(playlist_id), sid, json.dumps(
        {"user": user_id, "name": name, "dragging": None, "ts": time.time()}))  # fmt: skip


def drag(playlist_id: str, sid: str, entry_id: str | None) -> bool:
    raw = _redis().hget(_key(playlist_id), sid)
    if raw is None:
        return False
    data = json.loads(raw)
    data.update(dragging=entry_id, ts=time.time())
    _redis().hset(_key(playlist_id), sid, json.dumps(data))
    return True


def leave(playlist_id: str, sid: str) -> None:
    _redis().hdel(_key(playlist_id), sid)


def members(playlist_id: str) -> list[dict]:
    """One row per person (several tabs of one person count once)."""
    people: dict[str, dict] = {}
    now = time.time()
    for sid, raw in _redis().hgetall(_key(playlist_id)).items():
        data = json.loads(raw)
        if now - data["ts"] > STALE_AFTER_S:  # a process died without saying goodbye
            _redis().hdel(_key(playlist_id), sid)
            continue
        person = people.setdefault(data["user"], {"user": data["user"], "name": data["name"],
                                                  "dragging": None})  # fmt: skip
        person["dragging"] = person["dragging"] or data["dragging"]
    return sorted(people.values(), key=lambda p: p["name"].lower())
