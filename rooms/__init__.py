"""Rooms: playlists many people edit at once, as a service.

The web app's ``/rooms`` Socket.IO namespace, its HTTP routes and the Subsonic
API call only what is exported here; the modules behind it are private. A room
edit goes ``submit`` (``_batching``) → the room's state and locks (``_state``)
→ ``core.collab._room_ops`` and ``models.playlist`` → the publisher the app installed
(``_publisher``). This package imports ``core``, ``models`` and the shared Redis
client, never Flask or the web app.

Tests reset the per-process caches with ``reset_for_tests`` and use nothing else private.
"""

from core.collab import OpError, RoomState
from rooms import _state, _tracks
from rooms._batching import Applied, submit, waiting_ops
from rooms._joining import catch_up, join
from rooms._membership import changing, delete_playlist, tell
from rooms._presence import drag, leave
from rooms._publisher import set_publisher
from rooms._state import RoomPlaylist, get_playlist, room_lock


def state_of(playlist_id: str) -> tuple[int, RoomState]:
    """The playlist's version and state (the op log replayed into any entries it lacks)."""
    with room_lock(playlist_id):
        _, version, state = _state.current(playlist_id)
    return version, state


def reset_for_tests(behind: dict[str, tuple[int, RoomState]] | None = None) -> None:
    """Forget what this process cached, as a fresh process would.

    ``behind`` (playlist id -> ``(version, state)``, as ``state_of`` answered) then
    stands for a process that last saw those versions.
    """
    _state.clear(behind)
    _tracks.clear()


__all__ = [
    "Applied",
    "OpError",
    "RoomPlaylist",
    "catch_up",
    "changing",
    "delete_playlist",
    "drag",
    "get_playlist",
    "join",
    "leave",
    "reset_for_tests",
    "room_lock",
    "set_publisher",
    "state_of",
    "submit",
    "tell",
    "waiting_ops",
]
