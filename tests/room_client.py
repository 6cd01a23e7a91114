"""A Python model of the browser's room client (``webapp/static/js/room.js``).

It signs in over HTTP like a person, then talks the ``/rooms`` Socket.IO
protocol over a websocket to a real server: it keeps the server-confirmed
entries and version by applying ``applied`` effects in sequence order
(re-joining with ``since`` to catch up when it sees a gap), keeps its own
pending ops and resends them with the same ``op_id`` after a reconnect.

python-socketio runs every incoming message in its own thread, so events
can reach the handlers out of order; early ones wait in a buffer until the
sequence is complete, as a browser's in-order delivery would give it.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import requests
import socketio

NAMESPACE = "/rooms"
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class PendingOp:
    """An op this client issued that the confirmed state does not show yet."""

    op_id: str
    op: dict
    seq: int | None = None  # set by an ok acknowledgement


class RoomClient:
    """One person's tab in a room, driven from a test.

    Attributes:
        confirmed: entry id -> entry dict, as the server's ops produced them.
        version: the sequence number of the last op in ``confirmed``.
        acked: op id -> seq for this client's ops the server acknowledged as applied.
        refused: op id -> error for this client's ops the server refused.
        acks: every acknowledgement received, as ``(op_id, ack)``.
        seen_ops: seq -> op id of every op applied to ``confirmed``.
        closed: reasons of the ``closed`` events received (the playlist was deleted).
    """

    def __init__(
        self,
        base_url: str,
        username: str,
        playlist_id: str,
        password: str = "correct horse",
        make_id: Callable[[], str] | None = None,
    ):
        self.base_url = base_url
        self.username = username
        self.playlist_id = playlist_id
        self._password = password
        self._make_id = make_id or (lambda: uuid.uuid4().hex)
        self.http = requests.Session()
        self.sio: socketio.Client | None = None
        self.confirmed: dict[str, dict] = {}
        self.name = ""
        self.description = ""
        self.version: int | None = None
        self.role: str | None = None
        self.connections: dict[str, dict] = {}  # presence: key -> newest change
        self.tracks: dict[str, dict] = {}
        self.pending: list[PendingOp] = []
        self.sent: dict[str, dict] = {}
        self.acked: dict[str, int] = {}
        self.refused: dict[str, str] = {}
        self.acks: list[tuple[str, dict]] = []
        self.seen_ops: dict[int, str] = {}
        self.errors: list[str] = []
        self.closed: list[str] = []
        self.problems: list[str] = []  # protocol surprises the test asserts are absent
        self.joins = 0
        self.connects = 0
        self._early: dict[int, dict] = {}
        self._joined = False
        self._joining = False
        self._join_again = False
        self._generation = 0
        self._cond = threading.Condition(threading.RLock())

    # -- connection ---------------------------------------------------------------------------

    def login(self) -> None:
        """Sign in through the real form, CSRF token included."""
        page = self.http.get(f"{self.base_url}/auth/login", timeout=10)
        match = CSRF_INPUT.search(page.text)
        assert match, "the sign-in form has no csrf_token field"
        response = self.http.post(
            f"{self.base_url}/auth/login",
            data={"username": self.username, "password": self._password,
                  "csrf_token": match.group(1)},
            allow_redirects=False, timeout=10,
        )  # fmt: skip
        assert response.status_code == 302, (self.username, response.status_code)

    def connect(self, base_url: str | None = None) -> None:
        """Open a websocket (to ``base_url`` if given) and join the room."""
        if base_url:
            self.base_url = base_url
        cookie = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        sio = socketio.Client(reconnection=False)
        with self._cond:
            self._generation += 1
            generation = self._generation
        sio.on("applied", lambda event: self._on_applied(event), namespace=NAMESPACE)
        sio.on("presence", lambda event: self._on_presence(event), namespace=NAMESPACE)
        sio.on("error", lambda event: self._on_error(event), namespace=NAMESPACE)
        sio.on("closed", lambda event: self._on_closed(event), namespace=NAMESPACE)
        sio.on("disconnect", lambda *_: self._on_disconnect(generation), namespace=NAMESPACE)
        sio.connect(self.base_url, headers={"Cookie": cookie}, transports=["websocket"],
                    namespaces=[NAMESPACE], wait_timeout=10)  # fmt: skip
        with self._cond:
            self.sio = sio
            self.connects += 1
            self._join()

    def disconnect(self) -> None:
        """Go offline; ops sent from now on wait in ``pending``."""
        with self._cond:
            sio, self.sio = self.sio, None
            self._generation += 1
            self._joined = self._joining = False
            self._cond.notify_all()
        if sio is not None:
            sio.disconnect()  # outside the lock: its handlers take the lock

    @property
    def online(self) -> bool:
        """Connected and joined: ops go out at once."""
        with self._cond:
            return self._joined

    # -- reading the state ---------------------------------------------------------------------

    def entries(self) -> list[tuple[str, str]]:
        """The confirmed list in order, as ``(entry_id, track_id)``."""
        return [(e["id"], e["track_id"]) for e in self.ordered()]

    def ordered(self) -> list[dict]:
        """The confirmed entries, sorted as the server sorts them."""
        with self._cond:
            return sorted(self.confirmed.values(), key=lambda e: (e["order_key"], e["id"]))

    def settled(self, version: int | None = None) -> bool:
        """Joined, nothing pending, and (if given) at ``version``."""
        with self._cond:
            done = self._joined and not self._joining and not self.pending and not self._early
            return done and (version is None or self.version == version)

    def describe(self) -> dict:
        """A summary for assertion messages."""
        with self._cond:
            return {"user": self.username, "server": self.base_url, "joined": self._joined,
                    "joining": self._joining, "version": self.version, "pending": self.pending,
                    "early": sorted(self._early), "problems": self.problems,
                    "errors": self.errors[-5:]}  # fmt: skip

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 30.0) -> bool:
        """Block until ``predicate()`` holds or ``timeout`` seconds pass; return whether it held."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.5))
            return True

    # -- sending ops ---------------------------------------------------------------------------

    def send(self, op: dict) -> str:
        """Issue an op (queued while offline); return its op id."""
        op = dict(op)
        with self._cond:
            if op.get("type") == "add" and "new_ids" not in op:
                op["new_ids"] = [self._make_id() for _ in op["track_ids"]]
            item = PendingOp(self._make_id(), op)
            self.pending.append(item)
            self.sent[item.op_id] = op
            if self._joined:
                self._emit_op(item)
            return item.op_id

    def resend(self, op_id: str) -> bool:
        """Send an op again with the same id, as a flaky network might; False if offline."""
        with self._cond:
            if not self._joined:
                return False
            item = next((p for p in self.pending if p.op_id == op_id), None)
            self._emit_op(item or PendingOp(op_id, self.sent[op_id]))
            return True

    def _emit_op(self, item: PendingOp) -> None:
        payload = {"playlist_id": self.playlist_id, "op_id": item.op_id, "op": item.op}

        def on_ack(ack=None):  # even from a connection since left: the answer still holds
            self._on_op_ack(item, ack)

        # If the connection is going away, the op is resent after the next join.
        with contextlib.suppress(socketio.exceptions.SocketIOError):
            self.sio.emit("op", payload, namespace=NAMESPACE, callback=on_ack)

    def _on_op_ack(self, item: PendingOp, ack) -> None:
        with self._cond:
            self.acks.append((item.op_id, ack))
            if not isinstance(ack, dict):
                self.problems.append(f"op {item.op_id} got acknowledgement {ack!r}")
            elif ack.get("ok"):
                if self.acked.setdefault(item.op_id, ack["seq"]) != ack["seq"]:
                    self.problems.append(f"op {item.op_id} acknowledged with two seqs")
                if item.op_id in self.refused:
                    self.problems.append(f"op {item.op_id} both refused and applied")
                item.seq = ack["seq"]
                if self.version is not None and ack["seq"] <= self.version:
                    self._drop_pending(item.op_id)
            else:
                if item.op_id in self.acked or item.op_id in self.seen_ops.values():
                    self.problems.append(f"op {item.op_id} both applied and refused: {ack!r}")
                self.refused[item.op_id] = ack.get("error", "")
                self._drop_pending(item.op_id)
            self._cond.notify_all()

    def _drop_pending(self, op_id: str) -> None:
        self.pending = [p for p in self.pending if p.op_id != op_id]

    # -- joining and catching up ---------------------------------------------------------------

    def _join(self) -> None:
        """Ask for the ops after ``version`` (or a snapshot); one join at a time."""
        if self.sio is None:
            return
        if self._joining:
            self._join_again = True
            return
        self._joining, self._join_again = True, False
        self.joins += 1
        generation = self._generation
        try:
            self.sio.emit("join", {"playlist_id": self.playlist_id, "since": self.version},
                          namespace=NAMESPACE,
                          callback=lambda ack=None: self._on_join_ack(generation, ack))  # fmt: skip
        except socketio.exceptions.SocketIOError:
            self._joining = False

    def _on_join_ack(self, generation: int, ack) -> None:
        with self._cond:
            if generation != self._generation:
                return  # an answer on a connection we have left
            self._joining = False
            if not isinstance(ack, dict) or not ack.get("ok"):
                self.problems.append(f"join refused: {ack!r}")
                self._cond.notify_all()
                return
            self.role = ack["role"]
            self.connections = {}
            for change in ack.get("connections", []):
                self._note_presence(change)
            self.tracks.update(ack.get("tracks") or {})
            if "snapshot" in ack:
                snapshot = ack["snapshot"]
                self.confirmed = {e["id"]: e for e in snapshot["entries"]}
                self.name, self.description = snapshot["name"], snapshot["description"]
                self.version = ack["version"]
            for op in ack.get("ops", []):
                if op["seq"] <= self.version:
                    continue
                if op["seq"] != self.version + 1:
                    self.problems.append(f"catch-up skips from {self.version} to {op['seq']}")
                self._apply(op["seq"], op["op_id"], op["effect"])
            if ack["version"] != self.version:
                self.problems.append(f"join says version {ack['version']}, ops end at "
                                     f"{self.version}")  # fmt: skip
            self._joined = True
            self._drain()
            for item in list(self.pending):  # resend what the server may not have seen
                self._emit_op(item)
            if self._join_again or self._early:
                self._join()
            self._cond.notify_all()

    def _on_applied(self, event: dict) -> None:
        with self._cond:
            if event.get("playlist_id") != self.playlist_id:
                return
            self.tracks.update(event.get("tracks") or {})
            if self.version is not None and event["seq"] <= self.version:
                return
            self._early[event["seq"]] = event
            if self._joined and not self._joining:
                self._drain()
                if self._early:
                    self._join()  # missed something (or it is still on its way): catch up
            self._cond.notify_all()

    def _drain(self) -> None:
        """Apply buffered events that continue the confirmed sequence."""
        for seq in [s for s in self._early if s <= self.version]:
            del self._early[seq]
        while self.version + 1 in self._early:
            event = self._early.pop(self.version + 1)
            self._apply(event["seq"], event["op_id"], event["effect"])

    def _apply(self, seq: int, op_id: str, effect: dict) -> None:
        for entry_id in effect.get("delete", []):
            self.confirmed.pop(entry_id, None)
        for entry in effect.get("upsert", []):
            self.confirmed[entry["id"]] = entry
        if "name" in effect:
            self.name = effect["name"]
        if "description" in effect:
            self.description = effect["description"]
        if self.seen_ops.setdefault(seq, op_id) != op_id:
            self.problems.append(f"seq {seq} seen as two ops")
        self.version = seq
        if op_id in self.refused:
            self.problems.append(f"op {op_id} both refused and applied")
        self.pending = [p for p in self.pending
                        if p.op_id != op_id and not (p.seq and p.seq <= seq)]  # fmt: skip

    # -- other server events -------------------------------------------------------------------

    def _note_presence(self, change: dict) -> None:
        known = self.connections.get(change["key"])
        if known is None or known["ts"] <= change["ts"]:
            self.connections[change["key"]] = change

    @property
    def members(self) -> list[dict]:
        """The people this client sees in the room."""
        with self._cond:
            return fold_presence(self.connections.values())

    def _on_presence(self, event: dict) -> None:
        with self._cond:
            if event.get("playlist_id") == self.playlist_id:
                self._note_presence(event)
                self._cond.notify_all()

    def _on_error(self, event) -> None:
        with self._cond:
            self.errors.append((event or {}).get("message", ""))

    def _on_closed(self, event) -> None:
        with self._cond:
            self.closed.append((event or {}).get("reason", ""))
            self._cond.notify_all()

    def _on_disconnect(self, generation: int) -> None:
        with self._cond:
            if generation == self._generation:  # the server dropped us
                self._joined = self._joining = False
                self.sio = None
            self._cond.notify_all()


def fold_presence(changes) -> list[dict]:
    """People from presence changes (the newest per connection), as the page shows them."""
    newest: dict[str, dict] = {}
    for change in changes:
        if change["key"] not in newest or newest[change["key"]]["ts"] <= change["ts"]:
            newest[change["key"]] = change
    people: dict[str, dict] = {}
    for change in sorted(newest.values(), key=lambda c: c["ts"]):
        if change["member"]:
            member = change["member"]
            person = people.setdefault(member["user"], {**member, "dragging": None})
            person["dragging"] = person["dragging"] or member["dragging"]
    return sorted(people.values(), key=lambda p: p["name"].lower())
