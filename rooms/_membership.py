"""Changing who may do what in a room, and deleting its playlist, under the room's lock."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from models import Playlist
from rooms import _state
from rooms._publisher import publish


@contextlib.contextmanager
def changing(playlist_id: str) -> Iterator[Playlist | None]:
    """Hold the room's lock while the playlist's roles or visibility change.

    Yields the playlist read under the lock (``None`` if it is gone); once the
    block ends, every process reads it again before its next op. Embedded lists
    are replaced whole (``update(set__collaborators=...)``), never edited in place.
    """
    with _state.room_lock(playlist_id):
        yield Playlist.objects(id=playlist_id).first()
        _state.forget(playlist_id)


def tell(playlist_id: str, event: str, payload: dict) -> None:
    """Send ``event`` to the pages open on the room (``removed`` after a member left...)."""
    publish(playlist_id, event, payload)


def delete_playlist(playlist_id: str, reason: str) -> None:
    """Delete the playlist with its entries and op log; open rooms close, told ``reason``."""
    with _state.room_lock(playlist_id):
        Playlist.delete_with_history(playlist_id)
        _state.drop(playlist_id)
        publish(playlist_id, "closed", {"reason": reason})
