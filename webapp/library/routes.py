"""The Library page, scans, and the library status API."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import login_required

from core.catalog import CAMELOT_CODES, SORT_COLUMNS
from models import Track, track_browse
from models.correction import effective_corrections
from tasks.library import scan_root
from webapp.catalog import catalog_cache
from webapp.library import search as library_search
from webapp.schemas.limits import MAX_SEARCH_LENGTH
from webapp.schemas.tracks import LibraryMatches, LibrarySearchArgs, LibraryStatus
from webapp.services.roles import admin_required
from webapp.validation import arguments, response

bp = Blueprint("library", __name__)

COLUMNS = [  # (sort column, heading) in table order
    ("title", "Title"), ("artist", "Artist"), ("album", "Album"), ("genre", "Genre"),
    ("year", "Year"), ("bpm", "BPM"), ("key", "Key"), ("energy", "Energy"),
    ("brightness", "Brightness"), ("danceability", "Dance"), ("loudness", "LUFS"),
    ("duration", "Length"), ("status", "Status"),
]  # fmt: skip
DECADES = list(range(1950, 2030, 10))


def _filters() -> dict:
    """The Library filters from the query string (bad values are ignored, not errors)."""
    args = request.args
    number = lambda name, low, high: (  # noqa: E731
        min(max(v, low), high) if (v := args.get(name, type=float)) is not None else None
    )
    decade = args.get("decade", type=int)
    return {
        "bpm_min": number("bpm_min", 0, 400), "bpm_max": number("bpm_max", 0, 400),
        "energy_min": number("energy_min", 0, 1), "energy_max": number("energy_max", 0, 1),
        "genre": (args.get("genre") or "")[:80] or None,
        "decade": decade if decade in DECADES else None,
        "key": args.get("key") if args.get("key") in CAMELOT_CODES else None,
        "compatible": args.get("compatible") == "1",
    }  # fmt: skip


@bp.get("/library")
@login_required
def page():
    """Roots, live progress, failures, search, filters and a sortable table of tracks."""
    sort = request.args.get("sort", "artist")
    sort = sort if sort in SORT_COLUMNS else "artist"
    descending = request.args.get("dir") == "desc"
    filters = _filters()
    after, before = request.args.get("after"), request.args.get("before")
    tracks, more = track_browse.page(sort, descending, after=after, before=before,
                                     filters=filters)  # fmt: skip
    loaded = catalog_cache().get()
    genres = sorted({g for g in loaded[0].text["genre"] if g}) if loaded else []
    state = {k: v for k, v in request.args.items() if k not in ("after", "before")}
    return render_template(
        "library/page.html",
        corrections=effective_corrections([t.id for t in tracks], named=True),
        roots=current_app.config["MUSIC_DIRS"],
        counts=Track.status_counts(),
        failures=_failures(),
        tracks=tracks,
        columns=COLUMNS,
        sort=sort,
        descending=descending,
        filters=filters,
        genres=genres,
        decades=DECADES,
        camelot_codes=CAMELOT_CODES,
        state=state,
        # Keyset links: the next page starts after the last row, the previous ends before
        # the first; "more" says whether rows remain in the direction just walked.
        next_key=tracks[-1].sort_keys.get(sort) if tracks and (more or before) else None,
        prev_key=tracks[0].sort_keys.get(sort) if tracks and (after or (before and more)) else None,
    )


@bp.get("/api/library/search")
@login_required
@arguments(LibrarySearchArgs)
@response(LibraryMatches, description="The first 50 matches by title, and how many matched")
def search_api(args: dict):
    """Tracks matching every word typed (as word prefixes).

    Title, artist, album, genre and each track's strongest tags are searched.
    """
    query = args["q"][:MAX_SEARCH_LENGTH]
    loaded = catalog_cache().get()
    if loaded is None or not query.strip():
        return jsonify({"total": 0, "tracks": []})
    return jsonify(library_search.search(loaded[0], query))


@bp.get("/library/artist")
@login_required
def artist():
    """An artist's tracks, album by album, in track order."""
    name = request.args.get("name", "")[:300]
    tracks = track_browse.by_artist(name) if name else []
    if not tracks:
        abort(404, description="No tracks by that artist in the library.")
    return render_template("library/artist.html", artist=name, tracks=tracks)


@bp.get("/library/album")
@login_required
def album():
    """One album's tracks in track order."""
    artist_name = request.args.get("artist", "")[:300]
    name = request.args.get("name", "")[:300]
    tracks = track_browse.album(artist_name, name) if artist_name else []
    if not tracks:
        abort(404, description="No such album in the library.")
    return render_template("library/album.html", artist=artist_name, album=name, tracks=tracks)


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
@response(LibraryStatus, description="Counts and failures")
def status():
    """Counts per analysis status and the latest failures with their reasons."""
    return jsonify({"counts": Track.status_counts(), "failures": _failures()})


def _failures(limit: int = 20) -> list[dict]:
    return Track.latest_failures(limit)


from webapp.library import covers  # noqa: E402,F401 - registers the cover art route
