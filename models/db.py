"""Connecting to MongoDB."""

from __future__ import annotations

import mongoengine
from pymongo.errors import PyMongoError

# Fail fast instead of pymongo's 30 s default, so a down database turns into a
# clear 503 or start-up message rather than a hung request.
SERVER_SELECTION_TIMEOUT_MS = 3000


def connect_db(uri: str, alias: str = "default"):
    """Connect MongoEngine to ``uri`` (replacing an earlier connection of the same alias)."""
    mongoengine.disconnect(alias=alias)
    return mongoengine.connect(
        host=uri,
        alias=alias,
        serverSelectionTimeoutMS=SERVER_SELECTION_TIMEOUT_MS,
        connectTimeoutMS=SERVER_SELECTION_TIMEOUT_MS,
        uuidRepresentation="standard",
    )


def ping_db(alias: str = "default") -> str | None:
    """Return ``None`` when the database answers a ping, else a short reason."""
    try:
        mongoengine.get_connection(alias).admin.command("ping")
    except (PyMongoError, mongoengine.ConnectionFailure) as exc:
        return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    return None


def ensure_all_indexes() -> None:
    """Create the indexes every registered document declares in ``meta``."""
    from models import ALL_DOCUMENTS

    for doc in ALL_DOCUMENTS:
        doc.ensure_indexes()
