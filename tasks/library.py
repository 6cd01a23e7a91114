"""Scanning library roots: find files, store tracks, queue their analysis."""

from __future__ import annotations

import os

from celery.utils.log import get_task_logger

from core import scanner
from core.tags import read_tags, tokens
from models import Track, TrackTags
from models.base import utcnow
from models.track_browse import fill_missing_sort_keys, refresh_sort_keys
from tasks.celery_app import celery
from tasks.progress import report_library_progress

log = get_task_logger(__name__)


@celery.task(name="library.scan_root")
def scan_root(root: str) -> dict:
    """Scan one library root; return counts of new, changed, unchanged, vanished files."""
    root = os.path.realpath(root)
    prefix = root.rstrip(os.sep) + os.sep
    # Only the fields the comparison needs: a 10,000-track rescan stays fast.
    known = {
        row["path"]: (row.get("size"), row.get("mtime"), row.get("available", True))
        for row in Track.objects(__raw__={"path": {"$gte": prefix, "$lt": prefix + "\U0010ffff"}})
        .only("path", "size", "mtime", "available")
        .as_pymongo()
    }
    fill_missing_sort_keys()  # tracks stored before the Library had sort keys
    plan = scanner.plan_scan(scanner.discover(root), known)
    queued = [_store(item, new=True) for item in plan.new]
    queued += [_store(item, new=False) for item in plan.changed]
    if plan.vanished:
        Track.objects(path__in=plan.vanished).update(set__available=False)
    if plan.returned:
        Track.objects(path__in=plan.returned).update(set__available=True)
    if plan.vanished or plan.returned:  # the Library lists available tracks by sort key
        moved = [*plan.vanished, *plan.returned]
        refresh_sort_keys(Track.objects(path__in=moved).scalar("id"))
    queued = [track_id for track_id in queued if track_id]
    from tasks.analysis import analyse_track

    for track_id in queued:
        analyse_track.delay(track_id)
    summary = {
        "root": root,
        "new": len(plan.new),
        "changed": len(plan.changed),
        "unchanged": plan.unchanged,
        "returned": len(plan.returned),
        "vanished": len(plan.vanished),
        "queued": len(queued),
    }
    log.info("scanned %s: %s", root, summary)
    report_library_progress({"type": "scan", **summary})
    return summary


def _store(item: scanner.FoundFile, new: bool) -> str | None:
    """Create or refresh the track for ``item``; return its id when it needs analysis."""
    now = utcnow()
    try:
        digest = scanner.fingerprint(item.path)
    except OSError as exc:
        return _store_unreadable(item, exc, new)
    if new:
        twin = Track.objects(fingerprint=digest, available=True).only("id", "path").first()
        if twin is not None and os.path.exists(twin.path):
            # A byte-identical copy: one recording, one track.
            Track.objects(id=twin.id).update(add_to_set__other_paths=item.path)
            return None
    info = read_tags(item.path)
    tags = TrackTags(**{k: info.get(k) for k in TrackTags._fields if k != "id"})
    words = tokens(tags.title, tags.artist, tags.album, tags.album_artist, tags.genre)
    values = {
        "fingerprint": digest,
        "size": item.size,
        "mtime": item.mtime,
        "tags": tags,
        "duration": info.get("duration"),
        "available": True,
        "tokens": words,
        "search_text": " ".join(words),
    }
    if new:
        track = Track(path=item.path, **values)
        track.analysis.queued_at = now
        track.save()
        return track.id
    Track.objects(path=item.path).update(
        **{f"set__{k}": v for k, v in values.items()},
        set__analysis__status="pending",
        set__analysis__error=None,
        set__analysis__queued_at=now,
        set__features=None,
        set__tag_scores={},
        set__cover=None,  # the file changed: look for its picture again
    )
    track_id = Track.objects(path=item.path).only("id").first().id
    refresh_sort_keys([track_id])
    return track_id


def _store_unreadable(item: scanner.FoundFile, exc: OSError, new: bool) -> None:
    reason = (
        "the file disappeared during the scan"
        if isinstance(exc, FileNotFoundError)
        else (f"cannot read the file: {exc.strerror or exc}")
    )
    if new:
        track = Track(path=item.path, size=item.size, mtime=item.mtime, available=True)
        track.tags.title = os.path.basename(item.path)
        track.analysis.status = "failed"
        track.analysis.error = reason
        track.save()
    else:
        Track.objects(path=item.path).update(
            set__analysis__status="failed", set__analysis__error=reason
        )
        refresh_sort_keys(t.id for t in Track.objects(path=item.path).only("id"))
    return None
