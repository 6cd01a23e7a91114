"""Whole-database maintenance behind ``flask db``: status, backup, restore, reference checks.

Each operation works on the connected database unless given another, and
reports a database failure as a ``MaintenanceError`` with a one-line message.
"""

from __future__ import annotations

import functools

from mongoengine.connection import get_db
from pymongo.errors import PyMongoError

from models.maintenance import backup as _backup
from models.maintenance import references as _references
from models.maintenance import restore as _restore
from models.maintenance import schema as _schema
from models.maintenance.backup import MaintenanceError
from models.maintenance.references import reference_links


def _on_the_database(operation):
    """``operation(db, ...)`` on the connected database by default; driver errors as text."""

    @functools.wraps(operation)
    def run(*args, db=None, **kwargs):
        try:
            return operation(get_db() if db is None else db, *args, **kwargs)
        except PyMongoError as exc:
            message = f"database error: {str(exc).splitlines()[0][:300]}"
            raise MaintenanceError(message) from None

    return run


database_status = _on_the_database(_schema.database_status)
backup = _on_the_database(_backup.backup)
restore = _on_the_database(_restore.restore)
find_problems = _on_the_database(_references.find_problems)

__all__ = [
    "MaintenanceError",
    "backup",
    "database_status",
    "find_problems",
    "reference_links",
    "restore",
]
