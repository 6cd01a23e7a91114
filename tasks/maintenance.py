"""Small housekeeping tasks."""

from __future__ import annotations

from models import ping_db
from tasks.celery_app import celery


@celery.task(name="maintenance.echo")
def echo(value):
    """Return ``value``; proves the broker, a worker and the result backend work."""
    return value


@celery.task(name="maintenance.db_ping")
def db_ping() -> str | None:
    """Ping MongoDB from inside a worker; ``None`` means it answered."""
    return ping_db()
