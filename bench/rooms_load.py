"""Socket.IO room clients for ``bench.rooms``: fan-out, catch-up and a Redis baseline.

Every client runs in this one process, so send and arrival times come from
one clock (``time.perf_counter``). The clients share one asyncio event loop
(python-socketio's ``AsyncClient`` on aiohttp) in a background thread, as a
browser runs one event loop per page: 100 threaded clients spent most of
the measured time in their own thread switches and pure-Python websocket
parsing (the bare Redis fan-out to 100 threads had a p99 of 20-35 ms alone).
"""

from __future__ import annotations

import asyncio
import functools
import gc
import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import redis
import redis.asyncio
import socketio

from bench.common import percentile

NS = "/rooms"


class _Loop:
    """The event loop every client of the run lives on, in a daemon thread."""

    _loop: asyncio.AbstractEventLoop | None = None
    _lock = threading.Lock()

    @classmethod
    def get(cls) -> asyncio.AbstractEventLoop:
        with cls._lock:
            if cls._loop is None:
                cls._loop = asyncio.new_event_loop()
                threading.Thread(target=cls._loop.run_forever, daemon=True).start()
            return cls._loop

    @classmethod
    def run(cls, coro, timeout: float = 60):
        """Run ``coro`` on the loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coro, cls.get()).result(timeout)

    @classmethod
    def start(cls, coro) -> None:
        """Schedule ``coro`` on the loop without waiting."""
        asyncio.run_coroutine_threadsafe(coro, cls.get())


class Client:
    """One Socket.IO client in the room; stamps every ``applied`` event on arrival."""

    def __init__(self, cookie: str):
        self.cookie = cookie
        self.sio = socketio.AsyncClient(reconnection=False)
        self._arrived: dict[str, tuple[float, int]] = {}  # op_id -> (arrival, seq)
        self._lock = threading.Lock()
        self.sio.on("applied", self._on_applied, namespace=NS)

    def _on_applied(self, data):
        arrival = time.perf_counter()
        with self._lock:
            self._arrived[data["op_id"]] = (arrival, data["seq"])

    def arrived(self) -> dict[str, tuple[float, int]]:
        """A copy of op id -> (arrival time, seq) so far."""
        with self._lock:
            return dict(self._arrived)

    def connect(self, base: str) -> None:
        _Loop.run(self.sio.connect(base, headers={"Cookie": self.cookie},
                                   transports=["websocket"], namespaces=[NS],
                                   wait_timeout=20))  # fmt: skip

    def call(self, event: str, data: dict, timeout: float = 30):
        return _Loop.run(self.sio.call(event, data, namespace=NS, timeout=timeout), timeout + 5)

    def emit(self, event: str, data: dict, callback) -> None:
        """Send without waiting; ``callback`` gets the acknowledgement on the loop."""
        _Loop.start(self.sio.emit(event, data, namespace=NS, callback=callback))

    def disconnect(self) -> None:
        _Loop.run(self.sio.disconnect())


def out_of_order(arrived: dict[str, tuple[float, int]]) -> int:
    """Events that arrived after an event with a higher ``seq``."""
    late, highest = 0, -1
    for _, seq in sorted(arrived.values()):
        late += seq < highest
        highest = max(highest, seq)
    return late


def in_order_times(arrived: dict[str, tuple[float, int]]) -> dict[str, float]:
    """When each op could be applied: a client applies ``applied`` events in ``seq``
    order, so an event that overtook an earlier one waits for it."""
    ready, latest = {}, 0.0
    for op_id, (arrival, _) in sorted(arrived.items(), key=lambda kv: kv[1][1]):
        latest = max(latest, arrival)
        ready[op_id] = latest
    return ready


class OpMaker:
    """Random add / move / vote ops on entries known to exist."""

    def __init__(self, track_ids: list[str], entry_ids: list[str], seed: int = 1):
        self.rng = random.Random(seed)
        self.track_ids = track_ids
        self.entry_ids = list(entry_ids)
        self.lock = threading.Lock()

    def make(self) -> dict:
        with self.lock:
            r, entries = self.rng.random(), self.entry_ids
            if r < 0.2:
                return {"type": "add", "track_ids": [self.rng.choice(self.track_ids)],
                        "new_ids": [uuid.uuid4().hex]}  # fmt: skip
            entry = self.rng.choice(entries)
            if r < 0.6:
                return {"type": "move", "entry_id": entry,
                        "index": self.rng.randrange(len(entries))}  # fmt: skip
            return {"type": "vote", "entry_id": entry, "value": self.rng.choice((-1, 0, 1))}

    def acked(self, op: dict, ack: dict) -> None:
        if op["type"] == "add" and ack.get("ok"):
            with self.lock:
                self.entry_ids += op["new_ids"]


def connect_all(clients: list[Client], bases: list[str], playlist_id: str) -> None:
    def one(i: int) -> None:
        clients[i].connect(bases[i % len(bases)])
        ack = clients[i].call("join", {"playlist_id": playlist_id}, timeout=60)
        if not ack.get("ok"):
            raise RuntimeError(f"join refused: {ack}")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, range(len(clients))))


def disconnect_all(clients: list[Client]) -> None:
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda c: c.disconnect(), clients))


def fanout(
    label: str,
    bases: list[str],
    cookies: list[str],
    setup: dict,
    maker: OpMaker,
    n_clients: int,
    n_senders: int,
    rate: float,
    duration: float,
    settle: float = 2.0,
) -> dict:
    """Connect ``n_clients`` (round-robin over ``bases``), send ops, measure arrival."""
    playlist_id = setup["playlist_id"]
    clients = [Client(cookies[i % len(cookies)]) for i in range(n_clients)]
    joining = time.perf_counter()
    connect_all(clients, bases, playlist_id)
    join_s = time.perf_counter() - joining
    print(f"  {label}: {n_clients} clients joined in {join_s:.1f} s; sending ops", flush=True)
    # Each join sends the whole member list to everyone already in: let that settle
    # (about 5,000 presence messages for 100 clients) so the ops meet a steady room.
    time.sleep(settle)
    senders = clients[:n_senders]  # round-robin placement: senders on every server
    sent: dict[str, float] = {}
    acks: dict[str, tuple[float, dict]] = {}
    acks_lock = threading.Lock()

    def on_ack(op_id, op, ack=None):
        arrival = time.perf_counter()
        with acks_lock:
            acks[op_id] = (arrival, ack or {})
        maker.acked(op, ack or {})

    def applied_ops() -> tuple[int, set[str]]:
        with acks_lock:
            return len(acks), {k for k, (_, a) in acks.items() if a.get("ok")}

    n_ops = int(rate * duration)
    # A collector pass in this process (up to 110 ms with 100 clients' state) would
    # delay every arrival stamp at once: none while measuring.
    gc.collect()
    gc.disable()
    start = time.perf_counter() + 0.3
    for i in range(n_ops):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        op, op_id = maker.make(), f"{label}-{i}-{uuid.uuid4().hex[:8]}"
        sent[op_id] = time.perf_counter()
        senders[i % n_senders].emit("op", {"playlist_id": playlist_id, "op_id": op_id, "op": op},
                                    functools.partial(on_ack, op_id, op))  # fmt: skip
    send_span = time.perf_counter() - start
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline:
        n_acked, ok = applied_ops()
        if n_acked == n_ops and all(ok <= c.arrived().keys() for c in clients):
            break
        time.sleep(0.05)
    gc.enable()
    disconnect_all(clients)
    _, ok = applied_ops()  # unique op ids: every ok ack is a first application
    arrived = [{k: v for k, v in c.arrived().items() if k in ok} for c in clients]
    received = sum(len(a) for a in arrived)
    latencies = [(t - sent[k]) * 1000 for a in arrived for k, (t, _) in a.items()]
    ack_ms = [(acks[k][0] - sent[k]) * 1000 for k in ok]
    late = sum(out_of_order(a) for a in arrived)
    in_order = [(t - sent[k]) * 1000 for a in arrived for k, t in in_order_times(a).items()]
    refused = sorted({a.get("error", "no ack") for _, a in acks.values() if not a.get("ok")})
    worst = {}  # op index -> latest arrival of that op at any client
    for a in arrived:
        for k, (t, _) in a.items():
            index = int(k.split("-")[1])
            worst[index] = max(worst.get(index, 0.0), (t - sent[k]) * 1000)
    slowest = sorted(worst.items(), key=lambda kv: -kv[1])[:5]
    to_wall = time.time() - time.perf_counter()  # to find a stall in the servers' logs
    sent_at = {int(k.split("-")[1]): t + to_wall for k, t in sent.items()}
    return {
        "label": label, "servers": len(bases), "clients": n_clients, "ops_sent": n_ops,
        "join_s": join_s,
        "ops_acked": len(ok), "ops_refused": n_ops - len(ok), "refusals": refused,
        "send_rate": n_ops / send_span if send_span else 0.0,
        "received": received, "expected": len(ok) * n_clients,
        "delivered_pct": 100.0 * received / max(1, len(ok) * n_clients),
        "p50_ms": percentile(latencies, 50) if latencies else None,
        "p99_ms": percentile(latencies, 99) if latencies else None,
        "max_ms": max(latencies) if latencies else None,
        "ack_p50_ms": percentile(ack_ms, 50) if ack_ms else None,
        "ack_p99_ms": percentile(ack_ms, 99) if ack_ms else None,
        "out_of_order": late,
        "in_order_p99_ms": percentile(in_order, 99) if in_order else None,
        # (op index, ms to its last client, Unix time it was sent)
        "slowest": [(i, round(ms), round(sent_at[i], 2)) for i, ms in slowest],
    }  # fmt: skip


def redis_baseline(url: str, n_subs: int, rate: float, duration: float) -> dict:
    """PUBLISH -> SUBSCRIBE to ``n_subs`` subscriber connections on the clients' event loop:
    the floor for any fan-out to that many connections in this process."""
    channel = "bench-fanout"
    arrived: list[dict[str, float]] = [{} for _ in range(n_subs)]
    n_msgs = int(rate * duration)

    async def subscriber(i: int, ready: asyncio.Event) -> None:
        client = redis.asyncio.Redis.from_url(url)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(channel)
        ready.set()
        while len(arrived[i]) < n_msgs:
            message = await pubsub.get_message(timeout=1.0)
            if message:
                arrived[i][message["data"].decode()] = time.perf_counter()
        await pubsub.aclose()
        await client.aclose()

    async def subscribe_all():
        tasks, readies = [], []
        for i in range(n_subs):
            readies.append(asyncio.Event())
            tasks.append(asyncio.create_task(subscriber(i, readies[-1])))
        for ready in readies:
            await ready.wait()
        return tasks

    tasks = _Loop.run(subscribe_all())
    publisher = redis.Redis.from_url(url)
    sent = {}
    start = time.perf_counter()
    for i in range(n_msgs):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        sent[str(i)] = time.perf_counter()
        publisher.publish(channel, str(i))
    deadline = time.perf_counter() + 5
    while time.perf_counter() < deadline and any(len(a) < n_msgs for a in arrived):
        time.sleep(0.05)
    for task in tasks:
        task.get_loop().call_soon_threadsafe(task.cancel)
    latencies = [(t - sent[k]) * 1000 for a in arrived for k, t in a.items()]
    return {"received": len(latencies), "expected": n_msgs * n_subs,
            "p50_ms": percentile(latencies, 50), "p99_ms": percentile(latencies, 99)}  # fmt: skip


def apply_ack(state: dict, ack: dict) -> dict:
    """A client's list after a join acknowledgement: a snapshot, or logged effects replayed."""
    if "snapshot" in ack:
        return {e["id"]: e for e in ack["snapshot"]["entries"]}
    state = dict(state)
    for op in ack["ops"]:
        for entry_id in op["effect"].get("delete", []):
            state.pop(entry_id, None)
        for data in op["effect"].get("upsert", []):
            state[data["id"]] = data
    return state


def apply_ops(client: Client, setup: dict, maker: OpMaker, n: int, window: int = 4) -> None:
    """``n`` ops from ``client``, at most ``window`` unacknowledged at a time."""
    slots, done = threading.Semaphore(window), threading.Event()
    count, failures, lock = [0], [], threading.Lock()

    def on_ack(op, ack=None):
        maker.acked(op, ack or {})
        if not (ack or {}).get("ok"):
            failures.append(ack)
        slots.release()
        with lock:
            count[0] += 1
            if count[0] == n:
                done.set()

    for _ in range(n):
        if not slots.acquire(timeout=30):
            raise RuntimeError("ops stopped being acknowledged")
        op = maker.make()
        client.emit("op", {"playlist_id": setup["playlist_id"], "op_id": uuid.uuid4().hex,
                           "op": op}, functools.partial(on_ack, op))  # fmt: skip
    if not done.wait(60):
        raise RuntimeError("ops stopped being acknowledged")
    if failures:
        raise RuntimeError(f"{len(failures)} catch-up ops refused, e.g. {failures[0]}")


def cold_rejoin(base: str, cookie: str, playlist_id: str, since: int) -> tuple[float, str]:
    """One rejoin with ``since`` on a server process that has not seen the room yet."""
    me = Client(cookie)
    me.connect(base)
    start = time.perf_counter()
    ack = me.call("join", {"playlist_id": playlist_id, "since": since})
    apply_ack({}, ack)
    elapsed = (time.perf_counter() - start) * 1000
    me.disconnect()
    return elapsed, "snapshot" if "snapshot" in ack else f"replay of {len(ack['ops'])} ops"


def catch_up(
    base: str, cookies: list[str], setup: dict, maker: OpMaker, missed: int, repeat: int
) -> dict:
    """Leave, let another client apply ``missed`` ops, rejoin with ``since``; time the rejoin."""
    playlist_id = setup["playlist_id"]
    other = Client(cookies[1])
    other.connect(base)
    other.call("join", {"playlist_id": playlist_id})
    me = Client(cookies[0])
    me.connect(base)
    ack = me.call("join", {"playlist_id": playlist_id})
    state, since = apply_ack({}, ack), ack["version"]
    me.disconnect()
    apply_ops(other, setup, maker, missed)
    times, connect_ms, paths = [], [], set()
    me = Client(cookies[0])
    caught_up = state
    for _ in range(repeat):  # the first rejoin is the real one; repeats give a spread
        t0 = time.perf_counter()
        me.connect(base)
        t1 = time.perf_counter()
        ack = me.call("join", {"playlist_id": playlist_id, "since": since})
        caught_up = apply_ack(state, ack)
        t2 = time.perf_counter()
        connect_ms.append((t1 - t0) * 1000)
        times.append((t2 - t1) * 1000)
        paths.add("snapshot" if "snapshot" in ack else f"replay of {len(ack['ops'])} ops")
        me.disconnect()
        me = Client(cookies[0])
    me.connect(base)
    fresh = me.call("join", {"playlist_id": playlist_id})
    me.disconnect()
    other.disconnect()
    matches = apply_ack({}, fresh) == caught_up and fresh["version"] == ack["version"]
    return {"missed": ack["version"] - since, "since": since, "path": ", ".join(sorted(paths)),
            "first_ms": times[0], "median_ms": sorted(times)[len(times) // 2],
            "max_ms": max(times), "connect_ms": sorted(connect_ms)[len(connect_ms) // 2],
            "entries": len(caught_up), "state_matches": matches}  # fmt: skip
