"""Redis restarted under a running app: Socket.IO and Celery reconnect by themselves.

A private redis-server (keeping nothing, like the one ``make run`` starts), a
real gunicorn web process and a Celery worker process on it, two people in a
room. While Redis is away a room op gets a clear error and a dropped client
goes; once Redis is back on the same port (empty: room locks, presence and
queues are gone) the dropped client rejoins, ops are applied again (a lock lost
with Redis wedges nothing) and reach the other client as events (the message
queue listener has subscribed again), the worker answers the web process's
health check, and a task sent after the restart completes.
"""

from __future__ import annotations

import os
import sys
import time

import pytest
import requests

from launcher import services
from models import Collaborator, Playlist
from tasks.celery_app import create_celery
from tests.browser import start_web_server
from tests.factories import add_analysed_tracks
from tests.room_client import CSRF_INPUT, RoomClient
from webapp.outages import REDIS_DOWN

pytestmark = pytest.mark.slow


class Listener(RoomClient):
    """A room client that notes which ops reached it as ``applied`` events (not by catch-up)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.events: list[str] = []

    def _on_applied(self, event: dict) -> None:
        self.events.append(event.get("op_id"))
        super()._on_applied(event)


@pytest.fixture
def redis_server(tmp_path):
    """A private redis-server that the test stops and starts again on the same port."""
    port = services.free_port()
    url = f"redis://127.0.0.1:{port}/0"
    box = {"proc": services.start_redis(port, tmp_path / "redis", tmp_path / "redis.log")}

    def start_again():
        box["proc"] = services.start_redis(port, tmp_path / "redis", tmp_path / "redis.log")
        services.wait_for_redis(url, box["proc"])

    try:
        services.wait_for_redis(url, box["proc"])
        yield url, lambda: services.stop(box["proc"]), start_again
    finally:
        services.stop(box["proc"])


@pytest.fixture
def web(app, redis_server, tmp_path):
    """A Celery worker process and a gunicorn web process, both on the private Redis."""
    url = redis_server[0]
    env = {**os.environ, "REDIS_URL": url}
    # Both pools' queues in one worker: /healthz asks for both.
    command = [sys.executable, "-m", "celery", "-A", "tasks.celery_app", "worker", "--pool", "solo",
               "--without-gossip", "--without-mingle", "-n", f"redis{os.getpid()}@%h",
               "-Q", "interactive,bulk"]  # fmt: skip
    worker = services.spawn(command, tmp_path / "worker.log", env=env)
    try:
        web, base = start_web_server(tmp_path / "web.log", {"REDIS_URL": url})
        try:
            yield base
        finally:
            services.stop(web)
    finally:
        services.stop(worker)
        for name in ("worker.log", "web.log"):
            print(f"--- {name}\n" + (tmp_path / name).read_text(errors="replace")[-4000:])


def healthy(base: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if requests.get(f"{base}/healthz", timeout=10).status_code == 200:
            return True
        time.sleep(0.5)
    return False


def send(client: RoomClient, op: dict) -> str:
    op_id = client.send(op)
    assert client.wait_for(lambda: op_id in client.acked or op_id in client.refused, 30)
    return op_id


def test_redis_restart(web, redis_server, make_user):
    url, stop_redis, start_redis = redis_server
    owner, editor = make_user("olive"), make_user("eddie")
    editors = [Collaborator(user=editor, role="editor")]
    playlist = Playlist(owner=owner, name="Redis", collaborators=editors).save()
    tracks = [t.id for t in add_analysed_tracks(4)]
    olive, eddie = Listener(web, "olive", playlist.id), Listener(web, "eddie", playlist.id)
    for client in (olive, eddie):
        client.login()
        client.connect()
    assert healthy(web, 60), "the worker never answered"
    first = send(olive, {"type": "add", "track_ids": tracks[:1]})
    assert eddie.wait_for(lambda: first in eddie.events, 10)

    stop_redis()
    refused = send(olive, {"type": "add", "track_ids": tracks[1:2]})
    assert olive.refused[refused] == REDIS_DOWN
    assert "redis" in requests.get(f"{web}/healthz", timeout=30).json()["down"]
    signin = requests.Session()
    token = CSRF_INPUT.search(signin.get(f"{web}/auth/login", timeout=10).text).group(1)
    form = {"username": "eddie", "password": "x", "csrf_token": token}
    answer = signin.post(f"{web}/auth/login", data=form, timeout=30)  # rate limits live in Redis
    assert answer.status_code == 503 and REDIS_DOWN in answer.text, answer.text[:500]
    eddie.disconnect()
    start_redis()

    eddie.connect()  # olive's websocket to the web process stayed open throughout
    assert eddie.wait_for(eddie.settled, 20), eddie.describe()
    deadline, sent = time.monotonic() + 30, []
    while time.monotonic() < deadline and not set(sent) & set(eddie.events):
        sent.append(send(olive, {"type": "add", "track_ids": tracks[2:3]}))
        assert sent[-1] in olive.acked, olive.refused  # not "the room is busy"
        eddie.wait_for(lambda: set(sent) & set(eddie.events), 1)
    assert set(sent) & set(eddie.events), "no event reached the room after the restart"
    assert olive.wait_for(lambda: olive.settled(), 20) and eddie.wait_for(eddie.settled, 20)
    assert olive.entries() == eddie.entries()

    assert healthy(web, 60), "the worker or the web process did not reconnect to the broker"
    celery = create_celery(url)
    assert celery.send_task("maintenance.echo", args=["after"]).get(timeout=30) == "after"
    olive.disconnect()
    eddie.disconnect()
