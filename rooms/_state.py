"""What a room's ops are applied to: the locks, the cached state and its writes.

A Redis lock per playlist serialises ops from every web process (threads of
one process first queue on a local lock, so only one of them polls Redis).
Each process caches the latest state and brings it forward from the op log;
a crash between the log write and the entries is repaired on the next load
by replaying logged effects the entries lack. A Redis key per room (the
"head") holds the latest version: while it equals the cached one, applying
an op needs no database read at all, only its writes. Anything that changes
a playlist's roles or visibility calls ``forget``.
"""

from __future__ import annotations

import contextlib
import json
import threading
from dataclasses import dataclass

import redis

from core import collab
from core.collab import OpError, RoomState
from models import Playlist, PlaylistEntry, PlaylistOp
from models.base import now_ms
from redis_client import redis_client

LOCK_TIMEOUT_S = 10
LOCK_POLL_S = 0.002  # redis-py polls a held lock every 0.1 s by default: 100 ms stalls
SNAPSHOT_AFTER = 500  # further behind than this, a snapshot is cheaper than replaying
RECENT_OPS_TTL_S = 600  # logged ops also kept in Redis this long (see ``recent_ops``)

_states: dict[str, tuple[int, RoomState]] = {}  # playlist id -> (version, state)
_meta: dict[str, RoomPlaylist] = {}  # the playlist as last read, its version kept current
_cache_lock = threading.Lock()
_local_locks: dict[str, threading.Lock] = {}


@dataclass
class RoomPlaylist:
    """What a room needs of its playlist (``Playlist.roles_view``). Read-only: never saved."""

    id: str
    name: str
    description: str
    public: bool
    version: int
    roles: dict[str, str]  # user id -> role, the owner included

    def role_of(self, user_id: str | None) -> str | None:
        """The role ``user_id`` holds, as ``Playlist.role_of`` answers it."""
        return self.roles.get(user_id) if user_id else None


def get_playlist(playlist_id: str) -> RoomPlaylist | None:
    """The playlist as a room sees it, or ``None``."""
    view = Playlist.roles_view(playlist_id)
    return RoomPlaylist(**view) if view else None


def local_lock(playlist_id: str) -> threading.Lock:
    """This process's lock for the room (taken before the Redis lock)."""
    with _cache_lock:
        return _local_locks.setdefault(playlist_id, threading.Lock())


def acquire_shared(playlist_id: str):
    """The Redis lock shared by every process; call it holding ``local_lock``."""
    lock = redis_client().lock(f"moodroom:room:{playlist_id}:lock", timeout=LOCK_TIMEOUT_S,
                               blocking_timeout=LOCK_TIMEOUT_S, sleep=LOCK_POLL_S)  # fmt: skip
    if not lock.acquire():
        raise OpError("the room is busy; try again")
    return lock


def release_shared(lock) -> None:
    # The lock may have expired while we worked; our writes are already done.
    with contextlib.suppress(redis.exceptions.LockError):
        lock.release()


@contextlib.contextmanager
def room_lock(playlist_id: str):
    """Hold the room's locks: for anything but ops that reads or changes a room."""
    local = local_lock(playlist_id)
    if not local.acquire(timeout=LOCK_TIMEOUT_S):
        raise OpError("the room is busy; try again")
    try:  # Redis may be away: the local lock is released whatever happens
        shared = acquire_shared(playlist_id)
        try:
            yield
        finally:
            release_shared(shared)
    finally:
        local.release()


def load_state(playlist: RoomPlaylist) -> tuple[int, RoomState]:
    """The playlist's state and version, repairing entries the log is ahead of.

    Call it holding the room's lock, with ``playlist`` read under that lock:
    the repair writes entries and the version, and must not race ``submit``.
    """
    with _cache_lock:
        cached = _states.get(playlist.id)
    if cached and cached[0] == playlist.version:
        return cached
    if cached and 0 < playlist.version - cached[0] <= SNAPSHOT_AFTER:
        version, state = cached  # another process applied ops since: replay them
        recent = recent_ops(playlist.id, version, playlist.version)
        if recent is not None:  # as up to date as a cache hit; else ask the log below
            for op in recent:
                state = collab.apply_effect(state, op["effect"])
            remember(playlist.id, playlist.version, state)
            return playlist.version, state
    else:
        entries = {e.id: e for e in PlaylistEntry.room_entries(playlist.id)}
        state = RoomState(playlist.name, playlist.description or "", entries)
        version = playlist.version
    for op in PlaylistOp.logged_after(playlist.id, version):
        state = collab.apply_effect(state, op["effect"])
        if op["seq"] > playlist.version:  # logged, maybe not yet (fully) in the entries
            if op["undoes"]:
                PlaylistOp.objects(playlist=playlist.id, seq=op["undoes"]).update(set__undone=True)
            persist(playlist.id, op["effect"])
        version = op["seq"]
    if version != playlist.version:
        Playlist.objects(id=playlist.id).update(set__version=version)
        playlist.version = version
    remember(playlist.id, version, state)
    return version, state


def current(playlist_id: str) -> tuple[RoomPlaylist, int, RoomState]:
    """The playlist, its version and state; call it holding the room's lock.

    The cache is used as is when the head in Redis names its version: no
    process has applied an op since, nor changed who may do what.
    """
    head = redis_client().get(_head_key(playlist_id))
    with _cache_lock:
        cached, meta = _states.get(playlist_id), _meta.get(playlist_id)
    if head is not None and cached and meta and int(head) == cached[0] == meta.version:
        return meta, cached[0], cached[1]
    playlist = get_playlist(playlist_id)
    if playlist is None:
        raise OpError("that playlist does not exist")
    version, state = load_state(playlist)
    with _cache_lock:
        _meta[playlist_id] = playlist
    redis_client().set(_head_key(playlist_id), version)
    return playlist, version, state


def persist(playlist_id: str, effect: dict) -> None:
    """Write an effect to the entries (and the name or description) in one round trip."""
    PlaylistEntry.apply_changes(playlist_id, effect.get("delete") or [], effect.get("upsert", []))
    updates = {f"set__{k}": effect[k] for k in ("name", "description") if k in effect}
    if updates:
        Playlist.objects(id=playlist_id).update(**updates)


def advance(playlist: RoomPlaylist, version: int, state: RoomState, ops: list[dict]) -> None:
    """Record logged ``ops`` (already in the entries) as the playlist's new ``version``."""
    Playlist.objects(id=playlist.id).update(set__version=version, set__edited_ms=now_ms())
    remember(playlist.id, version, state)
    playlist.version = version
    remember_ops(playlist.id, ops)


def remember(playlist_id: str, version: int, state: RoomState) -> None:
    """Cache ``state`` at ``version`` in this process."""
    with _cache_lock:
        _states[playlist_id] = (version, state)


def drop(playlist_id: str) -> None:
    """Forget the room here and everywhere: the next load reads the playlist and its log."""
    with _cache_lock:
        _states.pop(playlist_id, None)
    forget(playlist_id)


def forget(playlist_id: str) -> None:
    """Make every process read the playlist again before its next op (roles changed).

    Call it holding ``room_lock``, after the change is written.
    """
    redis_client().delete(_head_key(playlist_id))
    with _cache_lock:
        _meta.pop(playlist_id, None)


def clear(behind: dict[str, tuple[int, RoomState]] | None = None) -> None:
    """Empty this process's cache, then cache ``behind`` (playlist id -> (version, state))."""
    with _cache_lock:
        _states.clear()
        _meta.clear()
        _states.update(behind or {})


def _head_key(playlist_id: str) -> str:
    return f"moodroom:room:{playlist_id}:head"


def _recent_op_key(playlist_id: str, seq: int) -> str:
    return f"moodroom:room:{playlist_id}:op:{seq}"


def remember_ops(playlist_id: str, ops: list[dict]) -> None:
    """Keep just-applied ops in Redis too and move the head to the last (one round trip).

    Finding ops by ``seq`` in the log scans it on the embedded server (~20 ms
    at 10,000 ops); other processes and rejoining clients read them here.
    Written under the room's lock, after the log, the entries and the version.
    """
    pipe = redis_client().pipeline(transaction=False)
    for op in ops:
        pipe.set(_recent_op_key(playlist_id, op["seq"]), json.dumps(op), ex=RECENT_OPS_TTL_S)
    pipe.set(_head_key(playlist_id), ops[-1]["seq"])
    pipe.execute()


def recent_ops(playlist_id: str, since: int, until: int) -> list[dict] | None:
    """Logged ops with ``since < seq <= until`` from Redis; ``None`` if any is missing."""
    if until <= since:
        return []
    keys = [_recent_op_key(playlist_id, seq) for seq in range(since + 1, until + 1)]
    found = redis_client().mget(keys)
    if any(raw is None for raw in found):
        return None
    return [json.loads(raw) for raw in found]
