"""Live rooms under load: fan-out latency, delivery and catch-up on real server processes.

Starts a private nx-27017, a private redis-server and gunicorn web processes
(``--workers 1 --threads 200``), creates users, a playlist with all of them as
editors and some tracks, then connects 100 Socket.IO clients (signed in
through the real login form, websocket transport) to the playlist's room.
Sign-ins are rate-limited per address, so they come from several loopback
addresses (127.0.1.x); all traffic stays on this machine.

* Fan-out: 2 s after the joins, a few of the clients send ops (add / move /
  vote, unique op ids) at an aggregate 20 ops/s for ~15 s; every client stamps each ``applied``
  event on arrival. Latency = arrival - send time of the op (one process,
  one clock). Delivered = events received / (ops acknowledged x clients).
  Once with one server process, once with two (clients split, ops from both).
* Catch-up: a client leaves, others apply 1,000 ops (snapshot path, more than
  ``rooms._state.SNAPSHOT_AFTER`` behind) or 100 ops (replay path); time from its
  re-``join`` with ``since`` to having the acknowledgement applied locally.
  The caught-up list is compared with a fresh snapshot. Once more on a
  freshly started server process (nothing cached yet).
* Baselines in the same run: a bare Redis PUBLISH -> SUBSCRIBE fan-out to the
  same number of subscribers, and the same Socket.IO stack with no database
  work (``bench.rooms_echo``) driven by the same clients at the same rate.

Run: ``.venv/bin/python -m bench.rooms`` (about 2 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import shutil
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from bench.common import emit_json
from bench.rooms_load import OpMaker, catch_up, cold_rejoin, fanout, redis_baseline
from launcher import services

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Processes:
    """Children this run started; all of them are stopped at the end, even on error."""

    def __init__(self):
        self.running = []

    def add(self, proc):
        self.running.append(proc)
        return proc

    def stop(self, proc) -> None:
        services.stop(proc, timeout=5)
        self.running.remove(proc)

    def stop_all(self) -> None:
        for proc in reversed(self.running):
            services.stop(proc, timeout=5)
        self.running.clear()


def start_web(procs: Processes, app_spec: str, env: dict, log: Path) -> str:
    """Start one gunicorn process serving ``app_spec``; return its base URL once it answers."""
    port = services.free_port()
    args = [sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", "200",
            "--graceful-timeout", "3", "--chdir", str(ROOT),
            "--bind", f"127.0.0.1:{port}", app_spec]  # fmt: skip
    proc = procs.add(services.spawn(args, log, env=env))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{app_spec} exited; see {log}")
        try:
            requests.get(f"{base}/socket.io/?EIO=4&transport=polling", timeout=2)
            return base
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{app_spec} did not answer within 60 s; see {log}")


def seed(n_users: int, n_tracks: int, n_entries: int) -> dict:
    """Users, tracks and a playlist with every user as an editor and some entries."""
    import rooms
    from models import Collaborator, Playlist, User, connect_db, ensure_all_indexes
    from tests.factories import add_analysed_tracks
    from webapp.services.passwords import hash_password

    connect_db(os.environ["MONGODB_URI"])
    ensure_all_indexes()
    track_ids = [t.id for t in add_analysed_tracks(n_tracks)]
    password_hash = hash_password(PASSWORD)  # one hash for all: Argon2 is slow on purpose
    users = [User(username=f"bench{i:03d}", password_hash=password_hash).save()
             for i in range(n_users)]  # fmt: skip
    playlist = Playlist(owner=users[0], name="Bench room",
                        collaborators=[Collaborator(user=u, role="editor") for u in users[1:]],
                        ).save()  # fmt: skip
    entry_ids = []
    for start in range(0, n_entries, 50):
        ids = track_ids[start : min(n_entries, start + 50)]
        applied = rooms.submit(playlist.id, users[0].id, f"seed-{start}",
                               {"type": "add", "track_ids": ids})  # fmt: skip
        entry_ids += [u["id"] for u in applied.effect["upsert"]]
    return {"playlist_id": playlist.id, "usernames": [u.username for u in users],
            "track_ids": track_ids, "entry_ids": entry_ids}  # fmt: skip


class _FromAddress(requests.adapters.HTTPAdapter):
    """Connect from a given loopback address (all of 127.0.0.0/8 is this machine)."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def login(base: str, username: str, index: int = 0) -> str:
    """Sign in through the login form (with its CSRF token); return the Cookie header.

    Sign-ins are rate-limited per address (``LOGIN_RATE_LIMIT``), so every five
    people come from their own loopback address, as people on their own machines would.
    """
    http = requests.Session()
    http.mount("http://", _FromAddress(f"127.0.1.{index // 5 + 1}"))
    page = http.get(f"{base}/auth/login", timeout=30)
    token = CSRF_RE.search(page.text).group(1)
    response = http.post(f"{base}/auth/login", allow_redirects=False, timeout=30,
                         data={"username": username, "password": PASSWORD,
                               "csrf_token": token})  # fmt: skip
    if response.status_code != 302:
        raise RuntimeError(f"login of {username} failed: {response.status_code}")
    return "; ".join(f"{k}={v}" for k, v in http.cookies.items())


def fmt(value, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--senders", type=int, default=10)
    parser.add_argument("--rate", type=float, default=20.0, help="aggregate ops per second")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of ops per phase")
    parser.add_argument("--baseline-duration", type=float, default=10.0)
    parser.add_argument("--entries", type=int, default=100, help="entries before the run")
    parser.add_argument("--repeat", type=int, default=5, help="rejoins per catch-up case")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="moodroom-bench-rooms-"))
    procs = Processes()
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    try:
        mongo_port, redis_port = services.free_port(), services.free_port()
        mongo_uri = f"mongodb://127.0.0.1:{mongo_port}/moodroom_bench"
        redis_url = f"redis://127.0.0.1:{redis_port}/0"
        mongo = procs.add(services.start_mongo(mongo_port, folder / "db", folder / "mongo.log"))
        redis_proc = procs.add(services.start_redis(redis_port, folder / "redis",
                                                    folder / "redis.log"))  # fmt: skip
        services.wait_for_mongo(mongo_uri, mongo)
        services.wait_for_redis(redis_url, redis_proc)
        env_vars = {"MONGODB_URI": mongo_uri, "REDIS_URL": redis_url,
                    "MOODROOM_VAR": str(folder / "var"), "DATA_DIR": str(folder / "var" / "data"),
                    "SECRET_KEY": uuid.uuid4().hex, "OMP_NUM_THREADS": "1"}  # fmt: skip
        os.environ.update(env_vars)
        env = {**os.environ, **env_vars}

        setup = seed(args.users, 300, args.entries)
        print(f"seeded {args.users} users, 300 tracks, {len(setup['entry_ids'])} entries "
              f"({time.perf_counter() - started:.1f} s)", flush=True)  # fmt: skip

        print("baseline: Redis PUBLISH -> SUBSCRIBE ...", flush=True)
        bare = redis_baseline(redis_url, args.clients, args.rate, min(5.0, args.baseline_duration))

        print("baseline: Socket.IO echo, no database ...", flush=True)
        echo_proc_log = folder / "echo.log"
        echo_base = start_web(procs, "bench.rooms_echo:app", env, echo_proc_log)
        dummy = OpMaker(setup["track_ids"], setup["entry_ids"], seed=7)
        echo = fanout("echo", [echo_base], ["x=1"], setup, dummy, args.clients, args.senders,
                      args.rate, args.baseline_duration)  # fmt: skip
        procs.stop(procs.running[-1])

        base_a = start_web(procs, "wsgi:app", env, folder / "web-a.log")
        with ThreadPoolExecutor(4) as pool:
            names = setup["usernames"]
            cookies = list(pool.map(functools.partial(login, base_a), names, range(len(names))))
        print(f"signed in {len(cookies)} users ({time.perf_counter() - started:.1f} s)",
              flush=True)  # fmt: skip
        maker = OpMaker(setup["track_ids"], setup["entry_ids"])

        print("rooms: one server process ...", flush=True)
        one = fanout("one", [base_a], cookies, setup, maker, args.clients, args.senders,
                     args.rate, args.duration)  # fmt: skip
        print("rooms: two server processes ...", flush=True)
        base_b = start_web(procs, "wsgi:app", env, folder / "web-b.log")
        web_b = procs.running[-1]
        two = fanout("two", [base_a, base_b], cookies, setup, maker, args.clients,
                     args.senders, args.rate, args.duration)  # fmt: skip
        procs.stop(web_b)

        print("rooms: catch-up ...", flush=True)
        snap = catch_up(base_a, cookies, setup, maker, 1000, args.repeat)
        replay = catch_up(base_a, cookies, setup, maker, 100, args.repeat)
        base_c = start_web(procs, "wsgi:app", env, folder / "web-c.log")
        cold_ms, cold_path = cold_rejoin(base_c, cookies[0], setup["playlist_id"], snap["since"])
    finally:
        procs.stop_all()
        shutil.rmtree(folder, ignore_errors=True)

    print()
    print("| run | servers | clients | ops acked | delivered | p50 ms | p99 ms | max ms "
          "| ack p50/p99 ms | out of order | p99 in seq order ms |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print(f"| Redis PUBLISH->SUBSCRIBE (baseline) | - | {args.clients} | - "
          f"| {bare['received']}/{bare['expected']} | {fmt(bare['p50_ms'])} "
          f"| {fmt(bare['p99_ms'])} | - | - | - | - |")  # fmt: skip
    for name, r in (("Socket.IO echo, no DB (baseline)", echo), ("rooms", one), ("rooms", two)):
        print(f"| {name} | {r['servers']} | {r['clients']} | {r['ops_acked']}/{r['ops_sent']} "
              f"| {r['delivered_pct']:.2f} % | {fmt(r['p50_ms'])} | {fmt(r['p99_ms'])} "
              f"| {fmt(r['max_ms'])} | {fmt(r['ack_p50_ms'])}/{fmt(r['ack_p99_ms'])} "
              f"| {r['out_of_order']} | {fmt(r['in_order_p99_ms'])} |")  # fmt: skip
        if r["refusals"]:
            print(f"  refused: {r['refusals']}")
    for r in (echo, one, two):
        print(f"{r['label']}: {r['clients']} joined in {r['join_s']:.1f} s; slowest ops (index "
              f"of {r['ops_sent']}, ms to the last client, sent at): {r['slowest']}")  # fmt: skip
    print()
    print("| catch-up | path | first ms | median ms | max ms | reconnect ms | entries | state ok |")
    print("|---|---|---|---|---|---|---|---|")
    for r in (snap, replay):
        print(f"| {r['missed']} ops missed | {r['path']} | {fmt(r['first_ms'])} "
              f"| {fmt(r['median_ms'])} | {fmt(r['max_ms'])} | {fmt(r['connect_ms'])} "
              f"| {r['entries']} | {r['state_matches']} |")  # fmt: skip
    print(f"| {snap['missed'] + replay['missed']} ops missed, fresh server process (cold caches) "
          f"| {cold_path} | {fmt(cold_ms)} | - | - | - | - | - |")  # fmt: skip
    print()
    ratio = one["p99_ms"] / echo["p99_ms"] if one["p99_ms"] and echo["p99_ms"] else None
    print(
        f"p99 fan-out, one process: {fmt(one['p99_ms'])} ms = {fmt(ratio)}x the Socket.IO echo "
        f"baseline ({fmt(echo['p99_ms'])} ms), "
        f"{fmt(one['p99_ms'] / bare['p99_ms'])}x bare Redis pub/sub ({fmt(bare['p99_ms'])} ms)"
    )
    print(
        f"targets: delivered 100 % -> {one['delivered_pct']:.2f} / {two['delivered_pct']:.2f} %; "
        f"p99 <= 50 ms (one process) -> {fmt(one['p99_ms'])}; catch-up <= 200 ms -> "
        f"{fmt(snap['median_ms'])} (1000 missed), {fmt(replay['median_ms'])} (100 missed)"
    )
    load_after = os.getloadavg()[0]
    print(
        f"total {time.perf_counter() - started:.0f} s; 1-minute load average "
        f"{load_before:.1f} before, {load_after:.1f} after ({os.cpu_count()} CPUs)"
    )
    total_received = one["received"] + two["received"]
    total_expected = one["expected"] + two["expected"]
    emit_json({
        "delivered_pct": round(100.0 * total_received / max(1, total_expected), 3),
        "delivered_pct_1proc": round(one["delivered_pct"], 3),
        "delivered_pct_2proc": round(two["delivered_pct"], 3),
        "p50_ms_1proc": round(one["p50_ms"], 1), "p99_ms_1proc": round(one["p99_ms"], 1),
        "p50_ms_2proc": round(two["p50_ms"], 1), "p99_ms_2proc": round(two["p99_ms"], 1),
        "catchup_ms": round(snap["median_ms"], 1), "catchup_ms_first": round(snap["first_ms"], 1),
        "catchup_ms_100": round(replay["median_ms"], 1),
        "catchup_ms_cold": round(cold_ms, 1),
        "catchup_state_ok": snap["state_matches"] and replay["state_matches"],
        "baseline_echo_p50_ms": round(echo["p50_ms"], 1),
        "baseline_echo_p99_ms": round(echo["p99_ms"], 1),
        "baseline_redis_p50_ms": round(bare["p50_ms"], 2),
        "baseline_redis_p99_ms": round(bare["p99_ms"], 2),
        "ratio_p99_1proc_vs_echo": round(ratio, 2) if ratio else None,
        "p99_in_seq_order_ms_1proc": round(one["in_order_p99_ms"], 1),
        "p99_in_seq_order_ms_2proc": round(two["in_order_p99_ms"], 1),
        "clients": args.clients, "ops_per_s": args.rate, "loadavg_1m": round(load_after, 1),
    })  # fmt: skip


if __name__ == "__main__":
    main()
