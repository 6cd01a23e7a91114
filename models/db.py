"""Connecting to MongoDB."""

from __future__ import annotations

import mongoengine
from pymongo.errors import ConnectionFailure, PyMongoError

import settings

# A reply that takes longer than this means the server hangs rather than works:
# even a full scan on the embedded server answers within seconds.
SOCKET_TIMEOUT_MS = 30_000
# What the driver raises while the database cannot be reached (ServerSelectionTimeoutError,
# AutoReconnect and NetworkTimeout derive from it): what callers outside models/ catch.
DB_UNREACHABLE = (ConnectionFailure,)


def connect_db(uri: str, alias: str = "default", timeout_ms: int | None = None):
    """Connect MongoEngine to ``uri`` (replacing an earlier connection of the same alias).

    ``timeout_ms`` (default ``settings.mongodb_timeout_ms()``) bounds the wait for
    an unreachable server: it fails fast, and pymongo reconnects by itself once
    the server is back, so the app never needs a restart.
    """
    timeout_ms = timeout_ms or settings.mongodb_timeout_ms()
    mongoengine.disconnect(alias=alias)
    return mongoengine.connect(
        host=uri,
        alias=alias,
        serverSelectionTimeoutMS=timeout_ms,
        connectTimeoutMS=timeout_ms,
        socketTimeoutMS=max(SOCKET_TIMEOUT_MS, timeout_ms),
        uuidRepresentation="standard",
    )


def ping_db(alias: str = "default") -> str | None:
    """Return ``None`` when the database answers a ping, else a short reason."""
    try:
        mongoengine.get_connection(alias).admin.command("ping")
    except (PyMongoError, mongoengine.ConnectionFailure) as exc:
        return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    return None


def probe(uri: str, timeout_ms: int = 500) -> str | None:
    """Ping ``uri`` once on a connection of its own: ``None`` when it answers, else why not."""
    connect_db(uri, alias="probe", timeout_ms=timeout_ms)
    try:
        return ping_db("probe")
    finally:
        mongoengine.disconnect(alias="probe")


def ensure_all_indexes() -> None:
    """Create the indexes every registered document declares in ``meta``."""
    from models import ALL_DOCUMENTS

    for doc in ALL_DOCUMENTS:
        doc.ensure_indexes()
