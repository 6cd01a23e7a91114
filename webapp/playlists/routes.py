"""Saved playlists: save a generation, list them, show one."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, url_for
from flask_login import current_user, login_required
from mongoengine.queryset.visitor import Q

from models import GenerationSession, Playlist, PlaylistEntry, Track, track_rows
from tasks.taste import person_taste
from webapp.schemas.limits import MAX_NAME
from webapp.schemas.moods import SavedPlaylist, SaveRequest
from webapp.schemas.sharing import PlaylistSuggestions, SuggestionArgs
from webapp.services.playlists import visible_playlist
from webapp.validation import arguments, body, response

bp = Blueprint("playlists", __name__)


@bp.post("/api/generations/<session_id>/save")
@login_required
@body(SaveRequest)
@response(SavedPlaylist, 201, "The new playlist", errors=(404, 409))
def save_generation(wanted: dict, session_id: str):
    """Save a completed generation as a new playlist owned by the current person."""
    session = GenerationSession.objects(id=session_id, user=current_user.id).first()
    if session is None:
        abort(404)
    if session.status != "completed" or not session.ordering:
        abort(409, description="Only a finished playlist with tracks can be saved.")
    name = wanted["name"]
    if name is None:
        name = session.mood_query.text if session.mood_query else "Mood playlist"
    name = name.strip()[:MAX_NAME]
    reasons = {c.track_id: c.reason for c in session.candidates}
    known = track_rows.known_ids(session.ordering)
    ordering = [t for t in session.ordering if t in known]
    playlist = Playlist.with_tracks(
        ordering, current_user.id, [reasons.get(t) for t in ordering],
        owner=current_user.id, name=name, source_session=session,
        description=f"Made from “{session.mood_query.text}”" if session.mood_query else "",
    )  # fmt: skip
    url = url_for("playlists.show", playlist_id=playlist.id)
    return jsonify({"playlist": playlist.id, "name": playlist.name, "url": url}), 201


@bp.get("/playlists")
@login_required
def index():
    """My playlists and those shared with me."""
    playlists = list(
        Playlist.objects(
            Q(owner=current_user.id) | Q(collaborators__user=current_user.id)
        ).order_by("-edited_ms")
    )
    return render_template("playlists/index.html", playlists=playlists,
                           stats=playlist_stats(playlists))  # fmt: skip


def playlist_stats(playlists: list[Playlist]) -> dict[str, dict]:
    """Per playlist id: track count, total seconds, owner's name and last edit (datetime)."""
    from datetime import UTC, datetime

    from models import User

    entries = PlaylistEntry.objects(playlist__in=[p.id for p in playlists]).no_dereference()
    rows = [(e.playlist.id, e.track.id) for e in entries.only("playlist", "track")]
    durations = {t.id: t.duration or 0 for t in Track.objects(
        id__in=list({t for _, t in rows})).only("duration")}  # fmt: skip
    owners = User.objects.in_bulk(list({p.owner.id for p in playlists}))
    stats = {p.id: {"count": 0, "seconds": 0.0, "edited": datetime.fromtimestamp(
        (p.edited_ms or 0) / 1000, UTC), "owner": owners[p.owner.id].display_name
        if p.owner.id in owners else "someone"} for p in playlists}  # fmt: skip
    for playlist_id, track_id in rows:
        stats[playlist_id]["count"] += 1
        stats[playlist_id]["seconds"] += durations.get(track_id, 0)
    return stats


@bp.get("/playlists/<playlist_id>")
@login_required
def show(playlist_id: str):
    """One playlist in order, with why each track is there."""
    playlist = visible_playlist(playlist_id)
    # Not dereferenced: ``entry.track`` would load each track on its own (one query per row).
    entries = list(PlaylistEntry.objects(playlist=playlist).no_dereference().order_by("order_key"))
    tracks = Track.objects.in_bulk([e.track.id for e in entries])
    rows = [(e, tracks.get(e.track.id)) for e in entries]
    return render_template("playlists/show.html", playlist=playlist, rows=rows,
                           role=playlist.role_of(current_user.id),
                           stats=playlist_stats([playlist])[playlist.id])  # fmt: skip


@bp.get("/api/playlists/<playlist_id>/more")
@login_required
@arguments(SuggestionArgs)
@response(PlaylistSuggestions, description="Suggestions with reasons", errors=(404,))
def more_like_these(args: dict, playlist_id: str):
    """Tracks that would fit this playlist: near its centroid, nudged by my taste."""

    from core.catalog import more_like
    from webapp.catalog import catalog_cache

    playlist = visible_playlist(playlist_id)
    loaded = catalog_cache().get()
    if loaded is None:
        return jsonify({"tracks": []})
    catalog = loaded[0]
    track_ids = PlaylistEntry.track_ids_of([playlist.id])[playlist.id]
    taste = person_taste(current_user.id, catalog)[0]
    count = args["count"]
    from core.taste import excluded_rows

    never = excluded_rows(catalog, current_user.preferences or {})  # my standing exclusions
    tracks = more_like(catalog, track_ids, count + int(never.sum()),
                       None if taste.is_empty else taste.score)  # fmt: skip
    tracks = [t for t in tracks if not never[catalog.position[t["id"]]]][:count]
    for item in tracks:
        reason = None if taste.is_empty else taste.reason(catalog.position[item["id"]])
        if reason:
            item["reason"] = f"{item['reason']}; {reason}"
    return jsonify({"playlist": playlist.id, "tracks": tracks})


from webapp.playlists import manage  # noqa: E402,F401 - registers create and duplicate
