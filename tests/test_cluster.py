"""A cluster on one machine: two web processes, two Celery workers, one database, one Redis.

Every process is started as the launcher starts it and has its own empty
``DATA_DIR``, so nothing is shared through the disk: the index build reaches the
second worker only through MongoDB.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import time

import pytest
from pymongo import MongoClient

from tests.audio_factory import make_known_tracks
from tests.room_client import RoomClient
from tests.stack import Stack, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]
PASSWORD = "correct horse battery"
TRACKS = 8
QUERY = {"text": "calm and gentle, slow tempo", "count": 5}


def wait_until(predicate, timeout: float, what: str, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def register(base: str, username: str) -> None:
    import requests

    http = requests.Session()
    page = http.get(f"{base}/auth/register", timeout=30)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    response = http.post(f"{base}/auth/register", allow_redirects=False, timeout=30,
                         data={"username": username, "password": PASSWORD, "confirm": PASSWORD,
                               "csrf_token": token})  # fmt: skip
    assert response.status_code == 302, response.text[:500]


def generate(http, base: str) -> dict:
    """A mood query through ``base``; the finished generation."""
    response = http.post(f"{base}/api/moods/generate", json=QUERY, timeout=30)
    assert response.status_code == 202, response.text
    url = f"{base}/api/generations/{response.json()['session']}"

    def finished():
        body = http.get(url, timeout=30).json()
        return body if body["status"] in ("completed", "failed") else None

    body = wait_until(finished, 120, "the generation")
    assert body["status"] == "completed" and body["tracks"], body
    return body


def healthy_workers(http, base: str) -> list[str]:
    body = http.get(f"{base}/healthz", timeout=30).json()
    return body["workers"] if body.get("worker") == "up" else []


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster")
    make_known_tracks(folder / "music", n=TRACKS, seconds=12)
    stack = Stack(folder / "stack")
    stack.start_servers()
    stack.env["MUSIC_DIR"] = str(folder / "music")
    try:
        stack.seed_moods()
        dirs = {name: folder / f"{name}-data" for name in ("w1", "w2", "web-a", "web-b")}
        w1 = stack.worker("w1", dirs["w1"])
        base_a, _ = stack.web("web-a", dirs["web-a"])
        base_b, _ = stack.web("web-b", dirs["web-b"])
        register(base_a, "ada")
        db = MongoClient(stack.env["MONGODB_URI"]).get_default_database()
        yield {"stack": stack, "dirs": dirs, "w1": w1, "a": base_a, "b": base_b, "db": db}
    finally:
        stack.stop_all()


def test_two_webs_and_two_workers_share_only_the_database_and_redis(cluster):
    stack, dirs, db = cluster["stack"], cluster["dirs"], cluster["db"]
    base_a, base_b = cluster["a"], cluster["b"]
    http_a, http_b = sign_in(base_a, "ada", PASSWORD), sign_in(base_b, "ada", PASSWORD)
    host = wait_until(lambda: healthy_workers(http_a, base_a), 120, "worker w1")[0].split("@")[1]

    # A scan on the only worker running: analysis, then the index build, published to MongoDB.
    response = http_a.post(f"{base_a}/library/scan", data={"root": 0}, allow_redirects=False)
    assert response.status_code == 303
    wait_until(lambda: (b := db.index_builds.find_one(sort=[("seq", -1)]))
               and json.loads(b["manifest"])["rows"] == TRACKS, 300, "the index build")  # fmt: skip
    first = generate(http_a, base_a)
    build = db.index_builds.find_one(sort=[("seq", -1)])
    assert first["algorithms"]["catalog"] == build["version"]

    # A second worker with an empty DATA_DIR; each web process names both.
    stack.worker("w2", dirs["w2"])
    names = sorted([f"w1@{host}", f"w2@{host}"])
    for http, base in ((http_a, base_a), (http_b, base_b)):
        wait_until(lambda h=http, b=base: healthy_workers(h, b) == names, 120, f"both on {base}")

    # Only w2 left: it answers the same query the same way, from the build it fetched.
    stack.stop(cluster["w1"])
    wait_until(lambda: healthy_workers(http_b, base_b) == [f"w2@{host}"], 60, "w1 gone")
    second = generate(http_b, base_b)
    assert [t["id"] for t in second["tracks"]] == [t["id"] for t in first["tracks"]]
    assert second["algorithms"]["catalog"] == build["version"]
    blobs = dirs["w2"] / "index" / "blobs"
    assert sorted(p.name for p in blobs.iterdir()) == sorted(set(build["blobs"]))

    # Its cache deleted while it runs: one refetch, the same answer.
    shutil.rmtree(dirs["w2"])
    third = generate(http_a, base_a)
    assert [t["id"] for t in third["tracks"]] == [t["id"] for t in first["tracks"]]
    assert sorted(p.name for p in blobs.iterdir()) == sorted(set(build["blobs"]))

    # A room edited through both web processes converges.
    saved = http_a.post(f"{base_a}/api/generations/{first['session']}/save", json={}, timeout=30)
    assert saved.status_code == 201, saved.text
    playlist_id = saved.json()["playlist"]
    track_ids = [t["id"] for t in first["tracks"]]
    clients = [RoomClient(base, "ada", playlist_id, password=PASSWORD) for base in (base_a, base_b)]
    try:
        for client in clients:
            client.login()
            client.connect()
            assert client.wait_for(client.settled, 30), client.describe()
        rng = random.Random(4)
        for i in range(20):
            client = clients[i % 2]
            entries = client.entries()
            if i % 3 == 0 or not entries:
                client.send({"type": "add", "track_ids": [rng.choice(track_ids)]})
            else:
                entry_id = rng.choice(entries)[0]
                client.send({"type": "move", "entry_id": entry_id,
                             "index": rng.randrange(len(entries))})  # fmt: skip
        for client in clients:
            assert client.wait_for(client.settled, 60), client.describe()
        version = db.playlists.find_one({"_id": playlist_id})["version"]
        for client in clients:
            assert client.wait_for(lambda c=client: c.version == version, 30), client.describe()
        stored = sorted(db.playlist_entries.find({"playlist": playlist_id}),
                        key=lambda e: (e["order_key"], e["_id"]))  # fmt: skip
        expected = [(e["_id"], e["track"]) for e in stored]
        assert clients[0].entries() == clients[1].entries() == expected
        assert len(expected) == len(track_ids) + 7  # every add landed once
    finally:
        for client in clients:
            client.disconnect()
