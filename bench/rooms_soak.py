"""Rooms fuzz soak: minutes of fuzzed Socket.IO events, counting what breaks.

Runs the strategies, event checks and invariants of ``tests/test_rooms_fuzz.py``
(shared in ``tests/room_fuzz.py``) for ``--minutes`` instead of 2,000 cases, on
Flask-SocketIO's test client against a private nx-27017 and redis-server. An
owner and a viewer send hypothesis-drawn events (well-formed ops, subtly wrong
ones, arbitrary JSON); in half of the cases the owner instead edits as a page
would (real tracks and entries), so the room fills up and churns. Each answer
must be well-formed and the viewer must change
nothing (else a *protocol* failure); an exception out of a handler is a *crash*;
every ``--check-s`` seconds the op log must replay to the stored entries with
unique order keys (else an *invariant violation*). A fresh room every
``--room-cases`` cases keeps the log, and the checks, short.

Baseline, interleaved with the fuzzing in the same run: plain valid ops (add /
move / vote / remove, all accepted) from the owner of another room through the
same stack. The ratio is fuzzed events per second over valid ops per second.

Run: ``.venv/bin/python -m bench.rooms_soak`` (10 minutes) or ``--minutes 2``.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
import traceback
import uuid
from collections import Counter
from pathlib import Path

from bench.common import emit_json, private_mongo
from launcher import services

FUZZ_BATCH = 200  # hypothesis examples per batch, then a burst of valid ops
VALID_BURST = 40


class Soak:
    """Fuzzed rooms plus a baseline room, with everything counted."""

    def __init__(self, app, owner, viewer, tracks, room_cases: int, check_s: float):
        self.app, self.owner, self.viewer, self.tracks = app, owner, viewer, tracks
        self.room_cases, self.check_s = room_cases, check_s
        self.counts: Counter = Counter()
        self.refusals: Counter = Counter()
        self.failures: list[str] = []  # the first few, for the report
        self.fuzz_s = self.valid_s = 0.0
        self.room = None
        self._open_room()
        self.base_playlist, base_clients = self._room("Baseline")
        self.base_client, self.base_entries = base_clients["owner"], []
        self.rng = random.Random(7)

    def _room(self, name):
        from tests.room_fuzz import open_room

        return open_room(self.app, self.owner, self.viewer, name)

    def _open_room(self) -> None:
        if self.room:
            self._check()
            for client in self.room[1].values():
                client.disconnect(namespace="/rooms")
        self.room = self._room(f"Fuzz {self.counts['rooms'] + 1}")
        self.counts["rooms"] += 1
        self.room_start, self.last_check = self.counts["cases"], time.monotonic()

    def _fail(self, kind: str, exc: BaseException) -> None:
        self.counts[kind] += 1
        if len(self.failures) < 5:
            self.failures.append(f"{kind}: {''.join(traceback.format_exception(exc))[-1500:]}")

    def case(self, data) -> None:
        """One hypothesis case: a fuzzed event, and the invariants when they are due."""
        from hypothesis import strategies as st

        from tests.room_fuzz import fuzz_event, valid_event

        if self.counts["cases"] - self.room_start >= self.room_cases:
            self._open_room()
        playlist, clients = self.room
        started = time.perf_counter()
        try:
            if data.draw(st.booleans()):  # half of the cases edit as a page would
                event = "valid op"
                ack = valid_event(data, playlist, self.tracks, clients, entry_ids(playlist))
            else:
                event, ack = fuzz_event(data, playlist, self.tracks, clients)
        except AssertionError as exc:
            self._fail("protocol", exc)
            self._open_room()  # the clients' state is unknown now
        except Exception as exc:
            self._fail("crashes", exc)
            self._open_room()
        else:
            self.counts[f"event {event}"] += 1
            if isinstance(ack, dict) and ack.get("ok") is False:
                self.refusals[str(ack.get("error"))[:60]] += 1
            elif event.endswith("op") and isinstance(ack, dict) and not ack.get("duplicate"):
                self.counts["applied"] += 1
        self.fuzz_s += time.perf_counter() - started
        self.counts["cases"] += 1
        if time.monotonic() - self.last_check > self.check_s:
            self._check()

    def _check(self) -> None:
        from tests.room_fuzz import check_invariants

        self.last_check = time.monotonic()
        self.counts["checks"] += 1
        try:
            check_invariants(self.room[0])
        except AssertionError as exc:
            self._fail("violations", exc)
            self.room = None
            self._open_room()

    def valid_burst(self, n: int) -> None:
        """``n`` ops that are all valid, timed like the fuzzed events."""
        for _ in range(n):
            entries = self.base_entries
            kind = self.rng.choice(["add", "move", "vote"] + (["remove"] if entries else []))
            if kind == "add" or not entries:
                ids = [uuid.uuid4().hex]
                op = {"type": "add", "track_ids": [self.rng.choice(self.tracks)], "new_ids": ids}
            elif kind == "remove" or len(entries) > 40:
                op = {"type": "remove", "entry_id": entries.pop(self.rng.randrange(len(entries)))}
            elif kind == "move":
                op = {"type": "move", "entry_id": self.rng.choice(entries),
                      "index": self.rng.randrange(len(entries))}  # fmt: skip
            else:
                op = {"type": "vote", "entry_id": self.rng.choice(entries), "value": 1}
            payload = {"playlist_id": self.base_playlist.id, "op_id": uuid.uuid4().hex, "op": op}
            started = time.perf_counter()
            ack = self.base_client.emit("op", payload, namespace="/rooms", callback=True)
            self.base_client.get_received("/rooms")
            self.valid_s += time.perf_counter() - started
            self.counts["valid ops"] += 1
            if not (isinstance(ack, dict) and ack.get("ok")):
                self.counts["valid ops refused"] += 1
            elif op["type"] == "add":
                entries += ids


def entry_ids(playlist) -> list[str]:
    """The room's entries, so that fuzzed moves, removes and votes can hit real ones."""
    from models import PlaylistEntry

    return list(PlaylistEntry.objects(playlist=playlist.id).scalar("id"))


def fuzz_batch(soak: Soak, n: int) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=n, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(data=st.data())
    def run(data):
        soak.case(data)

    run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--room-cases", type=int, default=2000, help="cases before a new room")
    parser.add_argument("--check-s", type=float, default=10.0, help="seconds between checks")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="moodroom-soak-"))
    port = services.free_port()
    redis_proc = services.start_redis(port, folder / "redis", folder / "redis.log")
    os.environ.update(REDIS_URL=f"redis://127.0.0.1:{port}/0", MOODROOM_VAR=str(folder / "var"),
                      SECRET_KEY="soak")  # fmt: skip
    try:
        services.wait_for_redis(os.environ["REDIS_URL"], redis_proc)
        with private_mongo("moodroom_soak"):
            soak = run(args)
    finally:
        services.stop(redis_proc)
    report(soak, args)


def run(args) -> Soak:
    from models import User
    from tests.factories import add_analysed_tracks
    from webapp import create_app
    from webapp.config import TestingConfig
    from webapp.services.passwords import hash_password

    app = create_app(TestingConfig, SOCKETIO_MESSAGE_QUEUE=None)
    people = [User(username=name, password_hash=hash_password("correct horse")).save()
              for name in ("soakowner", "soakviewer")]  # fmt: skip
    tracks = [t.id for t in add_analysed_tracks(8, seed=77)]
    soak = Soak(app, *people, tracks, args.room_cases, args.check_s)
    deadline = time.monotonic() + args.minutes * 60
    while time.monotonic() < deadline:
        fuzz_batch(soak, FUZZ_BATCH)
        soak.valid_burst(VALID_BURST)
        print(f"{soak.counts['cases']} cases, {soak.counts['valid ops']} valid ops, "
              f"{sum(soak.refusals.values())} refusals, {soak.counts['crashes']} crashes, "
              f"{soak.counts['violations']} violations", flush=True)  # fmt: skip
    soak._check()
    return soak


def report(soak: Soak, args) -> None:
    c = soak.counts
    fuzz_rate, valid_rate = c["cases"] / soak.fuzz_s, c["valid ops"] / soak.valid_s
    print("\nrefusals (top 8):")
    for message, n in soak.refusals.most_common(8):
        print(f"  {n:6d}  {message}")
    print("events:", {k[6:]: v for k, v in sorted(c.items()) if k.startswith("event ")},
          f"of which ops applied: {c['applied']}")  # fmt: skip
    for failure in soak.failures:
        print(failure)
    print(f"\n| minutes | cases | fuzz events/s | valid ops/s (baseline) | ratio | refusals "
          f"| crashes | protocol | invariant violations / checks | rooms |\n|---|---|---|---|---|"
          f"---|---|---|---|---|\n| {args.minutes:g} | {c['cases']} | {fuzz_rate:.1f} "
          f"| {valid_rate:.1f} | {fuzz_rate / valid_rate:.2f} | {sum(soak.refusals.values())} "
          f"| {c['crashes']} | {c['protocol']} | {c['violations']} / {c['checks']} "
          f"| {c['rooms']} |")  # fmt: skip
    emit_json({
        "minutes": args.minutes, "cases": c["cases"], "fuzz_events_per_s": round(fuzz_rate, 1),
        "valid_ops_per_s": round(valid_rate, 1), "ratio_fuzz_vs_valid": round(
            fuzz_rate / valid_rate, 2), "refusals": sum(soak.refusals.values()),
        "crashes": c["crashes"], "protocol_failures": c["protocol"],
        "invariant_violations": c["violations"], "invariant_checks": c["checks"],
        "fuzz_ops_applied": c["applied"], "valid_ops": c["valid ops"],
        "valid_ops_refused": c["valid ops refused"],
        "rooms": c["rooms"], "loadavg_1m": round(os.getloadavg()[0], 1),
    })  # fmt: skip


if __name__ == "__main__":
    main()
