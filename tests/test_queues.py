"""Interactive and bulk work on separate queues: a mood search never waits behind analysis."""

from __future__ import annotations

import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker

from models import Track
from tasks import celery
from tasks.routes import BULK, INTERACTIVE, queue_length
from tests.factories import add_analysed_tracks

pytestmark = pytest.mark.slow


@pytest.fixture
def broker(redis_url):
    client = redis.Redis.from_url(redis_url)
    for queue in (BULK, INTERACTIVE):
        for suffix in ("", "\x06\x163", "\x06\x166", "\x06\x169"):
            client.delete(queue + suffix)
    yield client
    for queue in (BULK, INTERACTIVE):
        for suffix in ("", "\x06\x163", "\x06\x166", "\x06\x169"):
            client.delete(queue + suffix)


def worker(queues):
    return start_worker(celery, pool="solo", perform_ping_check=False, loglevel="WARNING",
                        shutdown_timeout=10, queues=queues)  # fmt: skip


def routed(name: str) -> dict:
    return celery.amqp.router.route({}, name)


def test_every_task_has_its_queue():
    celery.loader.import_default_modules()
    names = [n for n in celery.tasks if not n.startswith("celery.")]
    interactive = {n for n in names if routed(n)["queue"].name == INTERACTIVE}
    bulk = {n for n in names if routed(n)["queue"].name == BULK}
    assert len(names) >= 8 and interactive | bulk == set(names)
    assert {"moods.parse_mood", "moods.generate_playlist", "moods.parse_text"} <= interactive
    assert {"library.scan_root", "analysis.analyse_track", "index.rebuild"} <= bulk
    # Inside the bulk queue, a rebuild is served before a scan, a scan before analyses.
    assert (routed("index.rebuild")["priority"] < routed("library.scan_root")["priority"]
            < routed("analysis.analyse_track")["priority"])  # fmt: skip


def wait_for(client, session_id: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/api/generations/{session_id}").get_json()
        if body["status"] in ("completed", "failed"):
            return body
        time.sleep(0.2)
    pytest.fail("generation did not finish")


def test_a_mood_search_completes_while_analyses_wait(app, client, make_user, login, broker):
    from tasks.analysis import analyse_track
    from tasks.catalog import rebuild_index

    app.test_cli_runner().invoke(args=["seed"])
    add_analysed_tracks(120)
    rebuild_index.apply(kwargs={"force": True}).get()
    waiting = [Track(path=f"/music/new/{i}.ogg").save() for i in range(300)]
    for track in waiting:
        analyse_track.delay(track.id)
    assert queue_length(broker, BULK) == 300
    make_user()
    login()
    with worker([INTERACTIVE]):
        response = client.post("/api/moods/generate", json={"text": "calm evening music"})
        assert response.status_code == 202
        body = wait_for(client, response.get_json()["session"])
    assert body["status"] == "completed", body
    assert body["tracks"]
    # The analyses are still all queued: the search did not wait for them.
    assert queue_length(broker, BULK) == 300
    assert Track.objects(analysis__status="pending").count() == 300
    library = body["library"]
    assert library["analysed"] == 120 and library["total"] == 420 and library["waiting"] == 300
    assert library["in_catalog"] == 120
    assert "120 of about 420" in library["notice"]


def test_an_index_rebuild_is_served_before_queued_analyses(app, broker):
    from tasks.analysis import analyse_track
    from tasks.catalog import rebuild_index

    add_analysed_tracks(30)
    for i in range(200):
        analyse_track.delay(f"missing-{i}")  # nothing to analyse: each is quick
    from celery.signals import task_postrun

    left = []

    def when_built(sender=None, **_):  # the worker runs in this process: read the queue then
        if getattr(sender, "name", None) == rebuild_index.name:
            left.append(queue_length(broker, BULK))

    task_postrun.connect(when_built, weak=False)
    try:
        rebuild = rebuild_index.delay(force=True)
        with worker([BULK]):
            assert rebuild.get(timeout=120)["tracks"] == 30
    finally:
        task_postrun.disconnect(when_built)
    # Served first, so (almost) every analysis was still waiting when it finished.
    assert left and left[0] >= 190, left


def test_health_names_a_missing_pool(client, broker):
    with worker([BULK]):
        # A worker just started (or a busy machine) may miss one ping: ask until it answers.
        deadline = time.monotonic() + 60
        while True:
            response = client.get("/healthz")
            body = response.get_json()
            if body["pools"].get("bulk") == "up" or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    assert response.status_code == 503
    assert body["pools"] == {"interactive": "down", "bulk": "up"}
    assert body["down"] == ["worker"]
    assert "'interactive'" in body["errors"]["worker"]


def test_rebuilds_are_debounced_by_how_long_the_last_one_took(app, redis_url):
    from tasks.rebuild_schedule import rebuild_debounce_s, record_rebuild_seconds

    record_rebuild_seconds(0.1)
    assert rebuild_debounce_s() == 5
    record_rebuild_seconds(2)
    assert rebuild_debounce_s() == 20
    record_rebuild_seconds(30)
    assert rebuild_debounce_s() == 40  # catalog stays under a minute behind the analyses
