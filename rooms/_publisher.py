"""Telling a room's open pages what happened, through a publisher the app installs.

The rooms service does not know Socket.IO: the web app installs a function
that sends ``(event, payload)`` to everyone in a playlist's room. Without one
(a command, a benchmark's seeding) nothing is sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from rooms._tracks import track_info

Publisher = Callable[[str, str, dict], None]  # (playlist id, event, payload)

log = logging.getLogger(__name__)
_publisher: Publisher | None = None


def set_publisher(publisher: Publisher | None) -> Publisher | None:
    """Install ``publisher`` for every room event; returns the one it replaces."""
    global _publisher
    previous, _publisher = _publisher, publisher
    return previous


def publish(playlist_id: str, event: str, payload: dict) -> None:
    """Send ``event`` to the room; best effort: what happened stands, pages catch up."""
    if _publisher is None:
        return
    try:
        _publisher(playlist_id, event, {"playlist_id": playlist_id, **payload})
    except Exception:  # the change stands; clients see the gap in seq and catch up
        log.exception("could not send %s to room %s", event, playlist_id)


def publish_applied(playlist_id: str, seq: int, op_id: str, user_id: str, effect: dict) -> None:
    """Announce an applied op with the display fields of the tracks it added."""
    if _publisher is None:
        return
    try:
        tracks = track_info([u["track_id"] for u in effect.get("upsert", [])])
    except Exception:
        log.exception("could not send op %s to room %s", seq, playlist_id)
        return
    publish(playlist_id, "applied", {"seq": seq, "op_id": op_id, "user": user_id,
                                     "effect": effect, "tracks": tracks})  # fmt: skip
