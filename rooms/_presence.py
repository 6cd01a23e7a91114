"""Who is in a room and what they are dragging, kept in Redis so every process sees it.

Each connection has a row; rooms receive one small change per event (a row,
or ``None`` when it left) rather than the whole list, which with 100 people
joining was 100 lists of 100 sent to everyone. A row's ``key`` is random:
Socket.IO session ids are never shown to other people. ``ts`` orders the
changes of one connection, which can arrive out of order around a join.
"""

from __future__ import annotations

import json
import secrets
import time

from redis_client import redis_client
from rooms._publisher import publish

STALE_AFTER_S = 24 * 3600  # rows of a process that died without saying goodbye


def _key(playlist_id: str) -> str:
    return f"moodroom:room:{playlist_id}:presence"


def change(row: dict, gone: bool = False) -> dict:
    """The event body announcing ``row``: the person, or ``None`` once the connection left."""
    person = None if gone else {k: row[k] for k in ("user", "name", "dragging")}
    return {"key": row["key"], "ts": row["ts"], "member": person}


def publish_row(playlist_id: str, row: dict | None, gone: bool = False) -> None:
    if row is not None:
        publish(playlist_id, "presence", change(row, gone))


def enter(playlist_id: str, sid: str, user_id: str, name: str) -> dict:
    """Add this connection (a rejoin keeps its key); returns its row, not yet published."""
    raw = redis_client().hget(_key(playlist_id), sid)
    old = json.loads(raw) if raw else {"key": secrets.token_hex(8), "ts": 0.0}
    row = {"key": old["key"], "user": user_id, "name": name, "dragging": None,
           "ts": max(time.time(), old["ts"] + 1e-6)}  # fmt: skip
    redis_client().hset(_key(playlist_id), sid, json.dumps(row))
    return row


def drag(playlist_id: str, sid: str, entry_id: str | None) -> None:
    """Record and publish what this connection drags (nothing if it is not here)."""
    raw = redis_client().hget(_key(playlist_id), sid)
    if raw is None:
        return None
    row = json.loads(raw)
    row.update(dragging=entry_id, ts=max(time.time(), row["ts"] + 1e-6))
    redis_client().hset(_key(playlist_id), sid, json.dumps(row))
    publish_row(playlist_id, row)


def leave(playlist_id: str, sid: str) -> None:
    """Remove this connection and publish that it left (nothing if it was not here)."""
    raw = redis_client().hget(_key(playlist_id), sid)
    if raw is None:
        return None
    redis_client().hdel(_key(playlist_id), sid)
    row = json.loads(raw)
    row["ts"] = max(time.time(), row["ts"] + 1e-6)  # newer than its last change
    publish_row(playlist_id, row, gone=True)


def connections(playlist_id: str) -> list[dict]:
    """Every connection's row, dropping rows older than ``STALE_AFTER_S``."""
    rows, now = [], time.time()
    for sid, raw in redis_client().hgetall(_key(playlist_id)).items():
        row = json.loads(raw)
        if now - row["ts"] > STALE_AFTER_S:  # a process died without saying goodbye
            redis_client().hdel(_key(playlist_id), sid)
            continue
        rows.append(row)
    return rows


def people(rows: list[dict]) -> list[dict]:
    """One entry per person (several tabs of one person count once), sorted by name."""
    found: dict[str, dict] = {}
    for row in sorted(rows, key=lambda r: r["ts"]):
        person = found.setdefault(row["user"], {"user": row["user"], "name": row["name"],
                                                "dragging": None})  # fmt: skip
        person["dragging"] = person["dragging"] or row["dragging"]
    return sorted(found.values(), key=lambda p: p["name"].lower())
