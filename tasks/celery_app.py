"""The Celery application shared by every task module.

Start the two worker pools with ``celery -A tasks.celery_app worker -Q interactive -c 1``
and ``celery -A tasks.celery_app worker -Q bulk`` (``tasks/routes.py`` says which
task goes where). Tasks get their
database connection from the ``worker_process_init`` signal, so every pool
process (prefork or solo) talks to MongoDB through its own client.
"""

from __future__ import annotations

import os

from celery import Celery, signals

import settings
from models import connect_db
from tasks.routes import BULK, TASK_ROUTES

TASK_MODULES = [
    "tasks.maintenance",
    "tasks.library",
    "tasks.analysis",
    "tasks.catalog",
    "tasks.moods",
]


def create_celery(redis_url: str | None = None) -> Celery:
    """Build the Celery app on Redis as broker and result backend."""
    url = redis_url or settings.redis_url()
    app = Celery("moodroom", broker=url, backend=url, include=TASK_MODULES)
    app.conf.update(
        {
            "task_acks_late": True,
            "task_reject_on_worker_lost": True,
            "worker_prefetch_multiplier": 1,
            # A task whose worker died is redelivered after this long, not after 1 h.
            # Keep it above the longest analysis, or a slow task is handed out twice.
            "broker_transport_options": {
                "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "600"))
            },
            "result_expires": 3600,
            "task_serializer": "json",
            "accept_content": ["json"],
            "broker_connection_retry_on_startup": True,
            # Redis restarting must not end the worker: reconnect for as long as it takes.
            "broker_connection_max_retries": None,
            # Keep running a task whose broker connection dropped (Celery 5's default, stated
            # to silence its warning): results go to MongoDB, and a Redis that restarted has
            # forgotten the message, so a cancelled task would never be redelivered.
            "worker_cancel_long_running_tasks_on_connection_loss": False,
            "worker_hijack_root_logger": False,
            # Interactive and bulk work never share a queue (tasks/routes.py).
            "task_routes": TASK_ROUTES,
            "task_default_queue": BULK,
        }
    )
    minutes = settings.rescan_minutes()
    if minutes > 0:  # `celery beat` (started by the launcher) queues it on time
        app.conf.beat_schedule = {
            "rescan-library": {"task": "library.rescan_all", "schedule": minutes * 60}
        }
    return app


celery = create_celery()


@signals.worker_process_init.connect
@signals.worker_init.connect
def _connect_database(**_kwargs) -> None:
    connect_db(settings.mongodb_uri())


@signals.worker_init.connect
def _warm_up(**_kwargs) -> None:
    """Load the text model, the mood parser and the current index build in the worker's
    main process, before it forks its pool: every pool process starts with them (pages
    shared copy-on-write) and the worker answers pings only once its first query is fast."""
    from tasks.moods import warm_up

    warm_up()
