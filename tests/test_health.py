"""``/healthz`` reports each service; the worker check is a real Celery ping."""

from __future__ import annotations

from webapp import create_app
from webapp.config import TestingConfig


def test_healthy_when_database_redis_and_worker_answer(client, celery_worker):
    response = client.get("/healthz")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body == {"mongo": "up", "redis": "up", "worker": "up", "version": body["version"],
                    "pools": {"interactive": "up", "bulk": "up"},
                    "workers": [celery_worker.hostname]}  # fmt: skip


def test_names_the_worker_when_none_answers(client):
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 503
    assert body["down"] == ["worker"]
    assert body["mongo"] == "up" and body["redis"] == "up" and body["workers"] == []
    assert "no Celery worker answered" in body["errors"]["worker"]
    assert body["pools"] == {"interactive": "down", "bulk": "down"}


def test_names_redis_when_it_is_unreachable(app, mongo_server):
    broken = create_app(TestingConfig, REDIS_URL="redis://127.0.0.1:1/0")
    try:
        body = broken.test_client().get("/healthz").get_json()
        assert "redis" in body["down"]
        assert body["mongo"] == "up"
    finally:
        # create_app connected MongoEngine again; keep the shared connection valid.
        from models import connect_db

        connect_db(mongo_server)


def test_a_task_round_trips_through_the_worker(celery_worker):
    from tasks.maintenance import db_ping, echo

    assert echo.delay({"hello": [1, 2]}).get(timeout=20) == {"hello": [1, 2]}
    assert db_ping.delay().get(timeout=20) is None
