"""The one Redis client of a process, made from ``settings.redis_url()``.

redis-py pools its connections (and opens new ones after a fork), so every
module shares this client rather than making its own.
"""

from __future__ import annotations

from functools import lru_cache

import redis

import settings

# A command that has not answered in this long means Redis hangs: fail rather than wait.
TIMEOUT_S = 5


@lru_cache(maxsize=1)
def redis_client() -> redis.Redis:
    """This process's client (connected on first use)."""
    return redis.Redis.from_url(
        settings.redis_url(), socket_connect_timeout=TIMEOUT_S, socket_timeout=TIMEOUT_S
    )
