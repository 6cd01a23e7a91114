"""Celery app and thin tasks: take ids, load documents, call ``core``, save, report."""

from tasks.celery_app import celery

__all__ = ["celery"]
