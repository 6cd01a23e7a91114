"""Scanning library roots: find files, store tracks, queue their analysis."""

from __future__ import annotations

import contextlib
import os

import redis
from celery.utils.log import get_task_logger

import settings
from core import files as core_files
from core.files import read_tags, tokens
from models import Track, TrackTags, track_scan
from models.base import utcnow
from models.track_browse import fill_missing_sort_keys, refresh_sort_keys
from redis_client import redis_client
from tasks.celery_app import celery
from tasks.emitter import report_library_progress

log = get_task_logger(__name__)


@celery.task(name="library.scan_root")
def scan_root(root: str) -> dict:
    """Scan one library root; return counts of new, changed, unchanged, vanished files.

    A file whose content matches a track whose own file is gone (moved or renamed) takes
    that track over, id, likes, history and playlist entries included. A known copy of a
    track (``other_paths``) is not hashed again while its size is the same. When a track's
    file is deleted and a copy remains, the track keeps its id and points at the copy.
    """
    root = os.path.realpath(root)
    # One scan of a root at a time (a periodic rescan may fire while a long one runs).
    lock = redis_client().lock(f"moodroom:scan:{root}", timeout=SCAN_LOCK_S, blocking=False)
    if not lock.acquire():
        return {"root": root, "skipped": "a scan of this folder is already running"}
    try:
        return _scan(root)
    finally:
        with contextlib.suppress(redis.exceptions.LockError):
            lock.release()


SCAN_LOCK_S = 3600


@celery.task(name="library.rescan_all")
def rescan_all() -> list[str]:
    """Queue a scan of every configured root (Celery beat runs this every RESCAN_MINUTES)."""
    roots = [str(root) for root in settings.music_dirs() if root.is_dir()]
    for root in roots:
        scan_root.delay(root)
    return roots


def _scan(root: str) -> dict:
    prefix = root.rstrip(os.sep) + os.sep
    known = track_scan.known_under(prefix)
    fill_missing_sort_keys()  # tracks stored before the Library had sort keys
    copies = track_scan.copies_under(prefix)
    found = list(core_files.discover(root))
    seen = {item.path for item in found}
    plan = core_files.plan_scan(found, known)
    promoted = _promote_copies(plan, seen)
    _forget_vanished_copies(copies, seen)
    if plan.vanished:
        Track.objects(path__in=plan.vanished).update(set__available=False)
    if plan.returned:
        Track.objects(path__in=plan.returned).update(set__available=True)
    known_copies = [i for i in plan.new if i.path in copies and copies[i.path][1] == i.size]
    fresh = [i for i in plan.new if not (i.path in copies and copies[i.path][1] == i.size)]
    for item in fresh:  # a listed copy whose size changed is no copy any more: hash it anew
        if item.path in copies:
            Track.objects(id=copies[item.path][0]).update(pull__other_paths=item.path)
    stored = [store_file(item, new=True) for item in fresh]
    stored += [store_file(item, new=False) for item in plan.changed]
    moved = stored.count(MOVED)
    queued = [track_id for track_id in stored if track_id and track_id != MOVED]
    # The Library lists available tracks by sort key: refresh what appeared, moved or went.
    touched = [*plan.vanished, *plan.returned, *(item.path for item in plan.new)]
    if touched:
        refresh_sort_keys(Track.objects(path__in=touched).scalar("id"))
    from tasks.analysis import analyse_track

    for track_id in queued:
        analyse_track.delay(track_id)
    summary = {
        "root": root,
        "new": len(fresh) - moved,
        "changed": len(plan.changed),
        "unchanged": plan.unchanged + len(known_copies),
        "returned": len(plan.returned),
        # Files gone without a copy or a moved file taking their track over.
        "vanished": Track.objects(path__in=plan.vanished).count() if plan.vanished else 0,
        "moved": moved,
        "promoted": promoted,
        "queued": len(queued),
    }
    log.info("scanned %s: %s", root, summary)
    report_library_progress({"type": "scan", **summary})
    return summary


MOVED = "moved"  # what ``store_file`` answers for a file that took over a vanished track


def _promote_copies(plan: core_files.ScanPlan, seen: set[str]) -> int:
    """A vanished track file with a copy still on disk: the track moves to the copy."""
    promoted = 0
    for track in Track.objects(path__in=plan.vanished, other_paths__exists=True):
        remaining = [p for p in track.other_paths if p in seen or os.path.exists(p)]
        if not remaining:
            continue
        heir, rest = remaining[0], [p for p in track.other_paths if p != remaining[0]]
        Track.objects(id=track.id).update(set__path=heir, set__other_paths=rest,
                                          set__available=True)  # fmt: skip
        plan.vanished.remove(track.path)
        plan.new = [i for i in plan.new if i.path != heir]
        promoted += 1
    return promoted


def _forget_vanished_copies(copies: dict, seen: set[str]) -> None:
    for path, (track_id, _size) in copies.items():
        if path not in seen and not os.path.exists(path):
            Track.objects(id=track_id).update(pull__other_paths=path)


def store_file(item: core_files.FoundFile, new: bool) -> str | None:
    """Create or refresh the track for ``item``; return its id when it needs analysis
    (``MOVED`` when the file took over a track whose file is gone)."""
    now = utcnow()
    try:
        digest = core_files.fingerprint(item.path)
    except OSError as exc:
        return _store_unreadable(item, exc, new)
    if new:
        twins = list(Track.objects(fingerprint=digest).only("id", "path", "available"))
        live = [t for t in twins if t.path != item.path and os.path.exists(t.path)]
        if live:
            # A byte-identical copy: one recording, one track.
            Track.objects(id=live[0].id).update(add_to_set__other_paths=item.path)
            return None
        if twins:
            # Its file is gone and this one has the same content: moved or renamed. The
            # track (id, likes, history, playlist entries) follows the file.
            Track.objects(id=twins[0].id).update(
                set__path=item.path, set__size=item.size, set__mtime=item.mtime,
                set__available=True,
            )  # fmt: skip
            return MOVED
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


def _store_unreadable(item: core_files.FoundFile, exc: OSError, new: bool) -> None:
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
