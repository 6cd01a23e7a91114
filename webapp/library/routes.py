"""The Library page, scans, and the library status API."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import login_required

from models import Track
from models.correction import effective_corrections
from tasks.library import scan_root
from tasks.progress import library_counts
from webapp.auth.decorators import admin_required

bp = Blueprint("library", __name__)

SORTABLE = {
    "title": "tags.title",
    "artist": "tags.artist",
    "bpm": "features.bpm",
    "key": "features.camelot",
    "energy": "features.energy",
    "brightness": "features.brightness",
    "danceability": "features.danceability",
    "loudness": "features.loudness_lufs",
    "duration": "duration",
    "status": "analysis.status",
}
PAGE_SIZE = 100


@bp.get("/library")
@login_required
def page():
    """Roots, live progress, failures and a sortable table of tracks."""
    sort = request.args.get("sort", "artist")
    descending = request.args.get("dir") == "desc"
    field = SORTABLE.get(sort, "tags.artist")
    page_no = min(max(1, request.args.get("page", 1, type=int) or 1), 100_000)
    tracks = (
        Track.objects(available=True)
        .order_by(("-" if descending else "+") + field, "+tags.title")
        .skip((page_no - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    tracks = list(tracks)
    return render_template(
        "library/page.html",
        corrections=effective_corrections([t.id for t in tracks], named=True),
        roots=current_app.config["MUSIC_DIRS"],
        counts=library_counts(),
        failures=_failures(),
        tracks=tracks,
        sort=sort,
        descending=descending,
        page_no=page_no,
        page_size=PAGE_SIZE,
    )


@bp.post("/library/scan")
@admin_required
def scan():
    """Queue a scan of one configured root (chosen by index, never by path)."""
    roots = current_app.config["MUSIC_DIRS"]
    index = request.form.get("root", type=int)
    chosen = roots if index is None else roots[index : index + 1] if 0 <= index < len(roots) else []
    if not chosen:
        flash("Choose one of the configured library folders.", "error")
        return redirect(url_for("library.page"), 303)
    for root in chosen:
        scan_root.delay(str(root))
    flash(f"Scanning {', '.join(str(r) for r in chosen)}…", "info")
    return redirect(url_for("library.page"), 303)


@bp.get("/api/library/status")
@login_required
def status():
    """Counts per analysis status and the latest failures with their reasons."""
    return jsonify({"counts": library_counts(), "failures": _failures()})


def _failures(limit: int = 20) -> list[dict]:
    rows = (
        Track.objects(available=True, analysis__status="failed")
        .order_by("-analysis.finished_at")
        .only("id", "path", "analysis")
        .limit(limit)
    )
    return [{"id": t.id, "path": t.path, "error": t.analysis.error} for t in rows]
