"""Analysing one track in a worker."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from celery.utils.log import get_task_logger
from mongoengine import NotUniqueError

from models import DB_UNREACHABLE, Features, Track, TrackVector
from models.base import utcnow
from models.track_browse import refresh_sort_keys
from tasks.analysis_progress import mark_index_stale
from tasks.celery_app import celery
from tasks.emitter import report_library_progress
from tasks.rebuild_schedule import schedule_index_rebuild

log = get_task_logger(__name__)
TRANSIENT = (*DB_UNREACHABLE, ConnectionError)


@lru_cache(maxsize=1)
def get_analyzer():
    """One analyzer per worker process: the TensorFlow graph loads once."""
    from core.analysis import EssentiaAnalyzer

    return EssentiaAnalyzer()


@celery.task(
    name="analysis.analyse_track",
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=2,
    max_retries=5,
)
def analyse_track(track_id: str) -> str:
    """Analyse one track: pending -> processing -> done | failed (with a reason)."""
    # Claim it; a redelivered task (worker killed mid-way) finds "processing"
    # and runs again, a duplicate delivery of a finished one does nothing.
    track = Track.objects(
        id=track_id, analysis__status__in=["pending", "processing"], available=True
    ).modify(
        set__analysis__status="processing",
        set__analysis__started_at=utcnow(),
        inc__analysis__attempts=1,
        new=True,
    )
    if track is None:
        return "skipped"
    try:
        analyzer = get_analyzer()
        result = analyzer.analyse(track.path, duration_hint=track.duration)
    except TRANSIENT:
        raise
    except Exception as exc:  # analysis bugs on odd audio must not kill the worker
        log.exception("analysis of %s crashed", track.path)
        result = None
        error = f"analysis failed: {type(exc).__name__}: {exc}"[:500]
    else:
        error = result.error
    if error:
        _finish(track_id, status="failed", set__analysis__error=error)
        report_library_progress({"type": "failed", "track": track_id, "error": error})
        return "failed"
    features = {k: v for k, v in result.features.items() if k in Features._fields}
    if result.embedding is not None:
        vector = np.asarray(result.embedding, dtype="<f4")
        values = {"model": analyzer.version, "dim": vector.size, "data": vector.tobytes()}
        try:
            TrackVector(id=track_id, **values).save(force_insert=True)
        except NotUniqueError:  # analysed before: its file changed, or it is analysed again
            TrackVector.objects(id=track_id).update(**{f"set__{k}": v for k, v in values.items()})
    _finish(
        track_id,
        status="done",
        set__analysis__error=None,
        set__analysis__timings=result.timings,
        set__analysis__analyzer_version=analyzer.version,
        set__features=Features(**features),
        set__tag_scores=result.tags,
        set__duration=track.duration or result.duration,
        set__embedding_ref=analyzer.version if result.embedding is not None else None,
    )
    # Bump the generation only now that the track reads as done: a rebuild that sees
    # the new number is then sure to include it.
    generation = mark_index_stale()
    Track.objects(id=track_id).update(set__analysis__generation=generation)
    schedule_index_rebuild()
    report_library_progress({"type": "done", "track": track_id})
    return "done"


def _finish(track_id: str, status: str, **updates) -> None:
    Track.objects(id=track_id).update(
        set__analysis__status=status, set__analysis__finished_at=utcnow(), **updates
    )
    refresh_sort_keys([track_id])  # the Library sorts by features and status
