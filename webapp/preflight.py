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


def worker_status(
    celery_app, timeout: float = 1.0
) -> tuple[dict[str, bool], list[str], str | None]:
    """Per queue of ``tasks.routes.QUEUES``, whether a worker consumes it; the node names of
    every worker that answered; and what is wrong, if anything. One broadcast."""
    from tasks.routes import QUEUES

    try:
        replies = celery_app.control.inspect(timeout=timeout).active_queues() or {}
    except Exception as exc:  # kombu raises many types when Redis is away
        return (
            dict.fromkeys(QUEUES, False),
            [],
            f"cannot reach the broker: {type(exc).__name__}: {exc}",
        )
    names = sorted(replies)
    consumed = {queue.get("name") for queues in replies.values() for queue in queues or []}
    pools = {queue: queue in consumed for queue in QUEUES}
    if not replies:
        return pools, names, f"no Celery worker answered a ping within {timeout:g} s"
    missing = [queue for queue, up in pools.items() if not up]
    if missing:
        queues = " and ".join(repr(q) for q in missing)
        return pools, names, f"no Celery worker consumes the {queues} queue (start its pool)"
    return pools, names, None


def worker_problem(celery_app, timeout: float = 1.0) -> str | None:
    """Return ``None`` when the interactive and the bulk queue each have a worker."""
    return worker_status(celery_app, timeout)[2]


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
