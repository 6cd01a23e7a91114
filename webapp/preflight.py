"""Start-up and health checks of the services Moodroom depends on."""

from __future__ import annotations

import redis

from models import ping_db


def redis_problem(url: str) -> str | None:
    """Return ``None`` when Redis at ``url`` answers PING, else a short reason."""
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    except (redis.RedisError, OSError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def worker_problem(celery_app, timeout: float = 1.0) -> str | None:
    """Return ``None`` when at least one Celery worker answers a ping."""
    return ping_workers(celery_app, timeout)[1]


def ping_workers(celery_app, timeout: float = 1.0) -> tuple[list[str], str | None]:
    """The node names of every Celery worker answering a ping, and what is wrong if none."""
    try:
        replies = celery_app.control.ping(timeout=timeout)
    except Exception as exc:  # kombu raises many types when Redis is away
        return [], f"cannot reach the broker: {type(exc).__name__}: {exc}"
    if not replies:
        return [], f"no Celery worker answered a ping within {timeout:g} s"
    return sorted(name for reply in replies for name in reply), None


def startup_problems(mongodb_uri: str, redis_url: str) -> list[str]:
    """One human sentence per service that cannot be reached."""
    problems = []
    reason = ping_db()
    if reason:
        problems.append(
            f"Cannot reach MongoDB at {mongodb_uri} ({reason}). Start it, set MONGODB_URI to a "
            "running server, or use `make run`, which starts an embedded one."
        )
    reason = redis_problem(redis_url)
    if reason:
        problems.append(
            f"Cannot reach Redis at {redis_url} ({reason}). Start it, set REDIS_URL to a "
            "running server, or use `make run`, which starts one."
        )
    return problems
