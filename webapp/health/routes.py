"""``GET /healthz``: is every service Moodroom needs up?"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from models import ping_db
from webapp.preflight import ping_workers, redis_problem

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 when MongoDB, Redis and a Celery worker all answer; 503 naming what is down.

    ``workers`` names every worker node that answered the ping (on any machine)."""
    from tasks import celery

    workers, worker_problem = ping_workers(celery, current_app.config["HEALTH_WORKER_TIMEOUT_S"])
    problems = {
        "mongo": ping_db(),
        "redis": redis_problem(current_app.config["REDIS_URL"]),
        "worker": worker_problem,
    }
    body = {name: "down" if reason else "up" for name, reason in problems.items()}
    body["workers"] = workers
    body["version"] = current_app.config["VERSION"]
    down = {name: reason for name, reason in problems.items() if reason}
    if down:
        body["down"] = sorted(down)
        body["errors"] = down
    return jsonify(body), 503 if down else 200
