"""Applying room ops to the database: one at a time per playlist, across processes.

A Redis lock per playlist serialises ops from every web process (threads of
one process first queue on a local lock, so only one of them polls Redis).
Inside it the op is validated against the current state, written to the op
log first (with its effect) and then to the entries; a crash between the two
is repaired on the next load by replaying logged effects the entries lack.
Each process caches the latest state and brings it forward from the op log.
A Redis key per room (the "head") holds the latest version; while it equals
the cached one, an op needs no database read at all, only its writes.
Anything that changes a playlist's roles or visibility calls ``forget``.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import redis
from mongoengine import NotUniqueError

import settings
from core import roomops
from core.roomops import OpError, RoomState
from models import Playlist, PlaylistEntry, PlaylistOp
from models.base import new_id, utcnow
from webapp.rooms.tracks import track_info, unavailable

__all__ = ["Applied", "RoomPlaylist", "catch_up", "forget", "get_playlist", "load_state",
           "room_lock", "submit", "track_info"]  # fmt: skip

LOCK_TIMEOUT_S = 10
LOCK_POLL_S = 0.002  # redis-py polls a held lock every 0.1 s by default: 100 ms stalls
SNAPSHOT_AFTER = 500  # further behind than this, a snapshot is cheaper than replaying
RECENT_OPS_TTL_S = 600  # logged ops also kept in Redis this long (see ``_recent_ops``)


@lru_cache(maxsize=1)
def _redis():
    return redis.Redis.from_url(settings.redis_url())


@dataclass
class Applied:
    """The outcome of one submitted op."""

    seq: int
    effect: dict
    duplicate: bool = False


_cache: dict[str, tuple[int, RoomState]] = {}
_meta: dict[str, RoomPlaylist] = {}  # the playlist as last read, its version kept current
_cache_lock = threading.Lock()
_local_locks: dict[str, threading.Lock] = {}


def _room_lock(playlist_id: str):
    """This process's lock for the room, then the Redis lock shared by every process."""
    with _cache_lock:
        local = _local_locks.setdefault(playlist_id, threading.Lock())
    if not local.acquire(timeout=LOCK_TIMEOUT_S):
        raise OpError("the room is busy; try again")
    try:  # Redis may be away: never keep the local lock then, or the room stays wedged
        lock = _redis().lock(f"moodroom:room:{playlist_id}:lock", timeout=LOCK_TIMEOUT_S,
                             blocking_timeout=LOCK_TIMEOUT_S, sleep=LOCK_POLL_S)  # fmt: skip
        acquired = lock.acquire()
    except BaseException:
        local.release()
        raise
    if not acquired:
        local.release()
        raise OpError("the room is busy; try again")
    return local, lock


def _release(locks) -> None:
    local, lock = locks
    try:
        # The lock may have expired while we worked; our writes are already done.
        with contextlib.suppress(redis.exceptions.LockError):
            lock.release()
    finally:
        local.release()


@contextlib.contextmanager
def room_lock(playlist_id: str):
    """Hold the room's lock: for changes to a playlist made outside ``submit``."""
    locks = _room_lock(playlist_id)
    try:
        yield
    finally:
        _release(locks)


@dataclass
class RoomPlaylist:
    """What a room needs of its playlist, read as one raw document.

    Loading a ``Playlist`` builds an embedded document per collaborator and
    ``Playlist.role_of`` then loads every collaborator's user: with 100
    editors that was ~30 ms per op, twice. Read-only: never saved.
    """

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
    raw = Playlist.objects(id=playlist_id).as_pymongo().first()
    if raw is None:
        return None
    roles = {raw["owner"]: "owner"} if raw.get("owner") else {}
    for collaborator in raw.get("collaborators", []):
        if collaborator.get("user"):  # the first entry for a user wins, as in role_of
            roles.setdefault(collaborator["user"], collaborator.get("role") or "viewer")
    return RoomPlaylist(raw["_id"], raw.get("name", ""), raw.get("description") or "",
                        bool(raw.get("public", False)), raw.get("version", 0), roles)  # fmt: skip


def load_state(playlist: Playlist | RoomPlaylist) -> tuple[int, RoomState]:
    """The playlist's state and version, repairing entries the log is ahead of.

    Call it holding the room's lock, with ``playlist`` read under that lock:
    the repair writes entries and the version, and must not race ``submit``.
    """
    with _cache_lock:
        cached = _cache.get(playlist.id)
    if cached and cached[0] == playlist.version:
        return cached
    if cached and 0 < playlist.version - cached[0] <= SNAPSHOT_AFTER:
        version, state = cached  # another process applied ops since: replay them
        recent = _recent_ops(playlist.id, version, playlist.version)
        if recent is not None:  # as up to date as a cache hit; else ask the log below
            for op in recent:
                state = roomops.apply_effect(state, op["effect"])
            with _cache_lock:
                _cache[playlist.id] = (playlist.version, state)
            return playlist.version, state
    else:
        entries = {}
        for doc in PlaylistEntry.objects(playlist=playlist.id).as_pymongo():
            entries[doc["_id"]] = roomops.Entry(
                doc["_id"], doc["track"], doc["order_key"], doc.get("added_by"),
                list(doc.get("votes_up", [])), list(doc.get("votes_down", [])),
            )  # fmt: skip
        state = RoomState(playlist.name, playlist.description or "", entries)
        version = playlist.version
    logged = (
        PlaylistOp.objects(playlist=playlist.id, seq__gt=version)
        .order_by("seq")
        .only("seq", "effect", "undoes")
        .as_pymongo()
    )
    for op in logged:
        state = roomops.apply_effect(state, op["effect"])
        if op["seq"] > playlist.version:  # logged, maybe not yet (fully) in the entries
            if op.get("undoes"):
                PlaylistOp.objects(playlist=playlist.id, seq=op["undoes"]).update(set__undone=True)
            _persist(playlist, op["effect"])
        version = op["seq"]
    if version != playlist.version:
        Playlist.objects(id=playlist.id).update(set__version=version)
        playlist.version = version
    with _cache_lock:
        _cache[playlist.id] = (version, state)
    return version, state


def _head_key(playlist_id: str) -> str:
    return f"moodroom:room:{playlist_id}:head"


def forget(playlist_id: str) -> None:
    """Make every process read the playlist again before its next op (roles changed).

    Call it holding ``room_lock``, after the change is written.
    """
    _redis().delete(_head_key(playlist_id))
    with _cache_lock:
        _meta.pop(playlist_id, None)


def _current(playlist_id: str) -> tuple[RoomPlaylist, int, RoomState]:
    """The playlist, its version and state; call it holding the room's lock.

    The cache is used as is when the head in Redis names its version: no
    process has applied an op since, nor changed who may do what.
    """
    head = _redis().get(_head_key(playlist_id))
    with _cache_lock:
        cached, meta = _cache.get(playlist_id), _meta.get(playlist_id)
    if head is not None and cached and meta and int(head) == cached[0] == meta.version:
        return meta, cached[0], cached[1]
    playlist = get_playlist(playlist_id)
    if playlist is None:
        raise OpError("that playlist does not exist")
    version, state = load_state(playlist)
    with _cache_lock:
        _meta[playlist_id] = playlist
    _redis().set(_head_key(playlist_id), version)
    return playlist, version, state


def submit(
    playlist_id: str,
    user_id: str,
    op_id: str,
    raw_op: dict,
    announce: Callable[[Applied], None] | None = None,
) -> Applied:
    """Validate and apply one op; a resent ``op_id`` returns the first result.

    ``announce`` is called with a newly applied op while the lock is still
    held, so broadcasts leave in ``seq`` order.
    """
    op = roomops.validate(raw_op)
    lock = _room_lock(playlist_id)
    try:
        playlist, version, state = _current(playlist_id)
        # A resent op is recognised by the unique (playlist, op_id) index rather
        # than by a look-up first: on the embedded server that look-up scans the
        # whole log. Nothing is written before the insert, so a duplicate
        # changes nothing, and one whose replay is now refused is still found.
        role = playlist.role_of(user_id)
        try:
            if op["type"] == "undo":
                effect, undoes = _undo(playlist, user_id, role, state)
                inverse, new_state = {}, roomops.apply_effect(state, effect)
            else:
                if op["type"] == "add":
                    _check_tracks(op["track_ids"])
                    # Client-chosen ids must be new everywhere, or an add could take
                    # over another playlist's entries.
                    if op.get("new_ids") and _any_entry(op["new_ids"]):
                        raise OpError("that entry id is already used")
                new_state, effect = roomops.apply(state, op, user_id, role, new_id)
                inverse, undoes = effect.pop("inverse"), None
            seq = version + 1
            logged = PlaylistOp(
                playlist=playlist.id, seq=seq, op_id=op_id, user=user_id, kind=op["type"],
                effect=effect, inverse=inverse, undoes=undoes,
            )  # fmt: skip
            logged.save(force_insert=True)  # a new id: skip save()'s find-and-replace attempt
        except (OpError, NotUniqueError) as exc:
            seen = PlaylistOp.objects(playlist=playlist.id, op_id=op_id).first()
            if seen is not None:
                return Applied(seen.seq, seen.effect, duplicate=True)
            if isinstance(exc, NotUniqueError):
                # Another process logged this seq: our lock expired or vanished. Refuse
                # (nothing was written) rather than leave the op without an answer.
                # Or it crashed before raising the version: reload (and repair) next time.
                with _cache_lock:
                    _cache.pop(playlist.id, None)
                forget(playlist.id)
                raise OpError("the room is busy; try again") from exc
            raise
        if undoes is not None:
            PlaylistOp.objects(playlist=playlist.id, seq=undoes).update(set__undone=True)
        _persist(playlist, effect)
        Playlist.objects(id=playlist.id).update(set__version=seq, set__updated_at=utcnow())
        with _cache_lock:
            _cache[playlist.id] = (seq, new_state)
            playlist.version = seq
        _remember_op(playlist.id, {"seq": seq, "op_id": op_id, "user": user_id, "effect": effect})
        applied = Applied(seq, effect)
        if announce is not None:
            announce(applied)
        return applied
    except Exception as exc:
        if not isinstance(exc, OpError):
            # Cut short (the database went away?) maybe after logging the op: the next
            # load must find it in the log and finish it, not trust any cached state.
            with _cache_lock:
                _cache.pop(playlist_id, None)
            with contextlib.suppress(redis.RedisError):
                forget(playlist_id)
        raise
    finally:
        _release(lock)


def _undo(playlist, user_id, role, state) -> tuple[dict, int]:
    if role not in roomops.EDIT_ROLES:
        raise OpError("viewers cannot edit this playlist")
    last = (
        PlaylistOp.objects(playlist=playlist.id, user=user_id, undone=False, kind__ne="undo")
        .order_by("-seq")
        .first()
    )
    if last is None:
        raise OpError("nothing of yours to undo")
    return roomops.undo_effect(state, last.kind, last.inverse), last.seq


def _any_entry(entry_ids: list[str]) -> bool:
    # Not count(): the embedded server counts an ``_id`` $in by scanning every
    # entry (170 ms at 5,000), while a find with a limit uses the index.
    return PlaylistEntry.objects(id__in=entry_ids).only("id").limit(1).first() is not None


def _check_tracks(track_ids: list[str]) -> None:
    missing = unavailable(track_ids)
    if missing:
        raise OpError(f"unknown track: {missing[0]}")


def _persist(playlist: Playlist | RoomPlaylist, effect: dict) -> None:
    collection = PlaylistEntry._get_collection()
    if effect.get("delete"):
        collection.delete_many({"_id": {"$in": effect["delete"]}, "playlist": playlist.id})
    for data in effect.get("upsert", []):
        fields = {
            "playlist": playlist.id, "track": data["track_id"], "order_key": data["order_key"],
            "added_by": data.get("added_by"), "votes_up": data.get("votes_up", []),
            "votes_down": data.get("votes_down", []),
        }  # fmt: skip
        # One round trip; ``created_at`` and ``reason`` of an existing entry are kept.
        collection.update_one({"_id": data["id"]},
                              {"$set": fields, "$setOnInsert": {"created_at": utcnow()}},
                              upsert=True)  # fmt: skip
    updates = {f"set__{k}": effect[k] for k in ("name", "description") if k in effect}
    if updates:
        Playlist.objects(id=playlist.id).update(**updates)


def catch_up(playlist: Playlist | RoomPlaylist, since: int | None) -> dict:
    """Ops after ``since``, or a full snapshot when that is cheaper or ``since`` is unknown.

    Under the room's lock, like ``submit``: otherwise an op logged but not yet
    finished in another process would be "repaired" concurrently with it, and
    the answer's version could disagree with its ops.
    """
    lock = _room_lock(playlist.id)
    try:
        playlist, version, state = _current(playlist.id)
    finally:
        _release(lock)
    # Logged ops up to ``version`` and a cached state never change: read them unlocked.
    if since is not None and 0 <= since <= version and version - since <= SNAPSHOT_AFTER:
        ops = _recent_ops(playlist.id, since, version)
        if ops is None:
            logged = (
                PlaylistOp.objects(playlist=playlist.id, seq__gt=since, seq__lte=version)
                .order_by("seq")
                .only("seq", "op_id", "user", "effect")
                .as_pymongo()  # raw user ids: no user document loaded per op
            )
            ops = [{"seq": op["seq"], "op_id": op["op_id"], "user": op["user"],
                    "effect": op["effect"]} for op in logged]  # fmt: skip
        return {"version": version, "ops": ops}
    return {"version": version, "snapshot": state.to_dict()}


def _recent_op_key(playlist_id: str, seq: int) -> str:
    return f"moodroom:room:{playlist_id}:op:{seq}"


def _remember_op(playlist_id: str, op: dict) -> None:
    """Keep a just-applied op in Redis too and move the head to it (one round trip).

    Finding ops by ``seq`` in the log scans it on the embedded server (~20 ms
    at 10,000 ops); other processes and rejoining clients read them here.
    Written under the room's lock, after the log, the entries and the version.
    """
    pipe = _redis().pipeline(transaction=False)
    pipe.set(_recent_op_key(playlist_id, op["seq"]), json.dumps(op), ex=RECENT_OPS_TTL_S)
    pipe.set(_head_key(playlist_id), op["seq"])
    pipe.execute()


def _recent_ops(playlist_id: str, since: int, until: int) -> list[dict] | None:
    """Logged ops with ``since < seq <= until`` from Redis; ``None`` if any is missing."""
    if until <= since:
        return []
    keys = [_recent_op_key(playlist_id, seq) for seq in range(since + 1, until + 1)]
    found = _redis().mget(keys)
    if any(raw is None for raw in found):
        return None
    return [json.loads(raw) for raw in found]
