"""``GET /healthz``: is every service Moodroom needs up?"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from models import ping_db
from webapp.preflight import redis_problem, worker_status
from webapp.schemas.service import Health
from webapp.validation import response

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@response(Health, description="All up")
@response(Health, 503, "Something is down (named)")
def healthz():
    """200 when MongoDB, Redis and both Celery pools answer; 503 naming what is down.

    ``pools`` says, per queue (``interactive``, ``bulk``), whether a worker consumes it;
    ``workers`` names every worker node that answered (on any machine).
    """
    from tasks import celery

    timeout = current_app.config["HEALTH_WORKER_TIMEOUT_S"]
    pools, workers, worker = worker_status(celery, timeout)
    problems = {
        "mongo": ping_db(),
        "redis": redis_problem(current_app.config["REDIS_URL"]),
        "worker": worker,
    }
    body = {name: "down" if reason else "up" for name, reason in problems.items()}
    body["pools"] = {queue: "up" if up else "down" for queue, up in pools.items()}
    body["workers"] = workers
    body["version"] = current_app.config["VERSION"]
    down = {name: reason for name, reason in problems.items() if reason}
    if down:
        body["down"] = sorted(down)
        body["errors"] = down
    return jsonify(body), 503 if down else 200
