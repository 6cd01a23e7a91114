"""Applying room ops: one room at a time, across processes, in batches when busy.

Each op is validated against the current state, logged with its effect (the
op log is written first), then written to the entries and the version, then
published, all under the room's lock (``rooms._state``). Threads of one
process queue their ops per room; whichever holds the room's lock applies
everything queued so far in one go: one log insert, one entries write, one
version update and one Redis round trip for the whole batch. A busy room
then costs a few round trips per batch instead of per op, so a slow moment
(a collector pass, a slow disk) is caught up at once instead of piling up.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field

from core import collab
from core.collab import OpError, RoomState
from models import PlaylistEntry, PlaylistOp
from models.base import new_id
from rooms import _state
from rooms._publisher import publish_applied
from rooms._tracks import unavailable


@dataclass
class Applied:
    """The outcome of one submitted op."""

    seq: int
    effect: dict
    duplicate: bool = False


@dataclass(eq=False)  # compared by identity: two resends of one op are still two answers
class _Pending:
    """An op waiting for whichever thread holds the room's lock to apply it."""

    user_id: str
    op_id: str
    op: dict
    done: threading.Event = field(default_factory=threading.Event)
    result: Applied | None = None
    error: BaseException | None = None

    def finish(self, result: Applied | None = None, error: BaseException | None = None):
        self.result, self.error = result, error
        self.done.set()


_queues: dict[str, list[_Pending]] = {}
_queues_lock = threading.Lock()


def submit(playlist_id: str, user_id: str, op_id: str, raw_op: dict) -> Applied:
    """Validate, apply and publish one op; a resent ``op_id`` returns the first result.

    A newly applied op is published while the room's lock is still held (maybe
    by another thread applying a batch), so broadcasts leave in ``seq`` order.
    """
    mine = _Pending(user_id, op_id, collab.validate_op(raw_op))
    with _queues_lock:
        _queues.setdefault(playlist_id, []).append(mine)
    local = _state.local_lock(playlist_id)
    if local.acquire(timeout=_state.LOCK_TIMEOUT_S):
        try:
            if not mine.done.is_set():  # else an earlier holder of the lock applied it
                with _queues_lock:
                    batch = _queues.pop(playlist_id, [])
                _apply_all(playlist_id, batch)
        finally:
            local.release()
    elif _taken_by_a_batch(playlist_id, mine):
        mine.done.wait(_state.LOCK_TIMEOUT_S)  # taken into a batch meanwhile: its answer comes soon
    if not mine.done.is_set():
        raise OpError("the room is busy; try again")
    if mine.error is not None:
        raise mine.error
    return mine.result


def waiting_ops(playlist_id: str) -> int:
    """How many ops of this process wait for the room's lock."""
    with _queues_lock:
        return len(_queues.get(playlist_id, []))


def _taken_by_a_batch(playlist_id: str, mine: _Pending) -> bool:
    """Whether a batch has taken ``mine``; if not, it leaves the queue and is never applied."""
    with _queues_lock:
        queue = _queues.get(playlist_id, [])
        if mine in queue:
            queue.remove(mine)
            return False
    return True


def _apply_all(playlist_id: str, batch: list[_Pending]) -> None:
    """Apply a batch under the shared lock; every op in it ends with a result or an error."""
    try:
        shared = _state.acquire_shared(playlist_id)
        try:
            _Batch(playlist_id).run(batch)
        finally:
            _state.release_shared(shared)
    except BaseException as exc:
        if not isinstance(exc, OpError):
            # Cut short (the database went away?) maybe after logging ops: the next
            # load must find them in the log and finish them, not trust the cache.
            with contextlib.suppress(Exception):  # Redis may be what went away
                _state.drop(playlist_id)
        for pending in batch:
            if not pending.done.is_set():
                pending.finish(error=exc)
        if not isinstance(exc, Exception):
            raise


class _Batch:
    """Plans ops on the running state, then writes each run of planned ops at once."""

    def __init__(self, playlist_id: str):
        self.playlist, self.version, self.state = _state.current(playlist_id)
        self.planned: list[tuple[_Pending, PlaylistOp, RoomState]] = []
        self.twins: list[tuple[_Pending, _Pending]] = []  # (resend, original) in one batch
        self.taken_ids: set[str] = set()

    def run(self, batch: list[_Pending]) -> None:
        self.taken_ids = _taken_entry_ids(batch)
        for index, pending in enumerate(batch):
            if pending.op["type"] == "undo":  # it looks up its target in the log:
                again = self.write()  # write what came first
                if again is not None:
                    return self._again(again + batch[index:])
            try:
                self.plan(pending)
            except OpError as exc:  # unless it is a resend, refused now that it was applied
                seen = PlaylistOp.objects(playlist=self.playlist.id, op_id=pending.op_id).first()
                pending.finish(*((Applied(seen.seq, seen.effect, True),) if seen else (None, exc)))
            if pending.op["type"] == "undo":
                again = self.write()
                if again is not None:
                    return self._again(again + batch[index + 1 :])
        again = self.write()
        if again:
            self._again(again)
        for resend, original in self.twins:
            if original.result is not None:
                resend.finish(Applied(original.result.seq, original.result.effect, True))
            else:
                resend.finish(error=original.error)

    def _again(self, rest: list[_Pending]) -> None:
        """After the log refused an op part-way, plan the rest again on a fresh state."""
        batch = _Batch(self.playlist.id)
        batch.twins = self.twins
        batch.run(rest)

    def plan(self, pending: _Pending) -> None:
        """Apply ``pending`` to the running state and queue its log entry."""
        user_id, op = pending.user_id, pending.op
        role = self.playlist.role_of(user_id)
        state = self.planned[-1][2] if self.planned else self.state
        original = next((p for p, _, _ in self.planned if p.op_id == pending.op_id), None)
        if original is not None:  # a resend racing the op it repeats: answered alike
            self.twins.append((pending, original))
            return
        undoes = None
        if op["type"] == "undo":
            effect, undoes = _undo(self.playlist, user_id, role, state)
            inverse, new_state = {}, collab.apply_effect(state, effect)
        else:
            if op["type"] == "add":
                _check_tracks(op["track_ids"])
                # Client-chosen ids must be new everywhere, or an add could take over
                # another playlist's entries.
                if self.taken_ids & set(op.get("new_ids") or ()):
                    raise OpError("that entry id is already used")
            new_state, effect = collab.apply_op(state, op, user_id, role, new_id)
            inverse = effect.pop("inverse")
        seq = (self.planned[-1][1].seq if self.planned else self.version) + 1
        logged = PlaylistOp(
            playlist=self.playlist.id, seq=seq, op_id=pending.op_id, user=user_id,
            kind=op["type"], effect=effect, inverse=inverse, undoes=undoes,
        )  # fmt: skip
        self.planned.append((pending, logged, new_state))

    def write(self) -> list[_Pending] | None:
        """Log, persist and publish the planned ops; the ops to plan again, if any.

        A resent op is recognised by the unique (playlist, op_id) index rather
        than by a look-up first: on the embedded server that look-up scans the
        whole log. Nothing is written before the log insert, so a duplicate
        changes nothing, and one whose replay is now refused is still found.
        """
        if not self.planned:
            return None
        planned, self.planned = self.planned, []
        done = PlaylistOp.insert_batch([logged for _, logged, _ in planned])
        self._commit(planned[:done])
        if done == len(planned):
            return None
        self._refused(planned[done][0])
        return [p for p, _, _ in planned[done + 1 :]]

    def _commit(self, planned) -> None:
        """Finish logged ops: entries, version, Redis, publishing, answers."""
        if not planned:
            return
        for _, logged, _ in planned:
            if logged.undoes is not None:
                PlaylistOp.objects(playlist=self.playlist.id, seq=logged.undoes).update(
                    set__undone=True
                )
        final, last = planned[-1][2], planned[-1][1].seq
        _state.persist(self.playlist.id, _net_effect(final, planned))
        _state.advance(self.playlist, last, final, [
            {"seq": logged.seq, "op_id": logged.op_id, "user": p.user_id, "effect": logged.effect}
            for p, logged, _ in planned])  # fmt: skip
        self.version, self.state = last, final
        for pending, logged, _ in planned:
            publish_applied(self.playlist.id, logged.seq, logged.op_id, pending.user_id,
                            logged.effect)  # fmt: skip
            pending.finish(Applied(logged.seq, logged.effect))

    def _refused(self, pending: _Pending) -> None:
        """The log refused ``pending``: a resend of an applied op, or another process's seq."""
        seen = PlaylistOp.objects(playlist=self.playlist.id, op_id=pending.op_id).first()
        if seen is not None:
            pending.finish(Applied(seen.seq, seen.effect, duplicate=True))
            return
        # Another process logged this seq: our lock expired or vanished, or it crashed
        # before raising the version. Refuse (nothing was written for it) and reload.
        _state.drop(self.playlist.id)
        pending.finish(error=OpError("the room is busy; try again"))


def _net_effect(after: RoomState, planned) -> dict:
    """One effect writing what the ops in ``planned`` changed, as it is in ``after``."""
    touched: dict[str, None] = {}
    effect: dict = {"upsert": [], "delete": []}
    for _, logged, _ in planned:
        for entry_id in logged.effect.get("delete", []):
            touched[entry_id] = None
        for data in logged.effect.get("upsert", []):
            touched[data["id"]] = None
        for name in ("name", "description"):
            if name in logged.effect:
                effect[name] = getattr(after, name)
    for entry_id in touched:  # an entry added and removed in one batch is deleted: harmless
        if entry_id in after.entries:
            effect["upsert"].append(after.entries[entry_id].to_dict())
        else:
            effect["delete"].append(entry_id)
    return effect


def _taken_entry_ids(batch: list[_Pending]) -> set[str]:
    """Client-chosen entry ids of the adds in ``batch`` that some entry already has."""
    wanted = [i for p in batch if p.op["type"] == "add" for i in p.op.get("new_ids") or ()]
    return PlaylistEntry.existing_ids(wanted) if wanted else set()


def _undo(playlist, user_id, role, state) -> tuple[dict, int]:
    if role not in collab.EDIT_ROLES:
        raise OpError("viewers cannot edit this playlist")
    last = (
        PlaylistOp.objects(playlist=playlist.id, user=user_id, undone=False, kind__ne="undo")
        .order_by("-seq")
        .first()
    )
    if last is None:
        raise OpError("nothing of yours to undo")
    return collab.undo_effect(state, last.kind, last.inverse), last.seq


def _check_tracks(track_ids: list[str]) -> None:
    missing = unavailable(track_ids)
    if missing:
        raise OpError(f"unknown track: {missing[0]}")
