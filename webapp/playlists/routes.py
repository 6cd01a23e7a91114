"""Saved playlists: save a generation, list them, show one."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request, url_for
from flask_login import current_user, login_required
from mongoengine.queryset.visitor import Q

from core.orderkeys import keys_between
from models import GenerationSession, Playlist, PlaylistEntry, Track

bp = Blueprint("playlists", __name__)
MAX_NAME = 120


@bp.post("/api/generations/<session_id>/save")
@login_required
def save_generation(session_id: str):
    """Save a completed generation as a new playlist owned by the current person."""
    session = GenerationSession.objects(id=session_id, user=current_user.id).first()
    if session is None:
        abort(404)
    if session.status != "completed" or not session.ordering:
        return jsonify({"error": "Only a finished playlist with tracks can be saved."}), 409
    body = request.get_json(silent=True)
    body = {} if body is None else body
    if not isinstance(body, dict):
        return jsonify({"error": "Send a JSON object."}), 400
    name = body.get("name")
    if name is None:
        name = session.mood_query.text if session.mood_query else "Mood playlist"
    if not isinstance(name, str) or not name.strip():
        return jsonify({"error": "Give the playlist a name."}), 400
    name = name.strip()[:MAX_NAME]
    reasons = {c.track_id: c.reason for c in session.candidates}
    tracks = Track.objects.in_bulk(list(session.ordering))
    ordering = [t for t in session.ordering if t in tracks]
    playlist = Playlist(
        owner=current_user.id,
        name=name,
        description=f"Made from “{session.mood_query.text}”" if session.mood_query else "",
        source_session=session,
    ).save()
    entries = [
        PlaylistEntry(playlist=playlist, track=tracks[track_id], order_key=key,
                      added_by=current_user.id, reason=reasons.get(track_id))
        for track_id, key in zip(ordering, keys_between(None, None, len(ordering)), strict=True)
    ]  # fmt: skip
    PlaylistEntry.objects.insert(entries, load_bulk=False)
    url = url_for("playlists.show", playlist_id=playlist.id)
    return jsonify({"playlist": playlist.id, "name": playlist.name, "url": url}), 201


def visible_playlist(playlist_id: str) -> Playlist:
    """The playlist if the current person may see it; 404 otherwise (no existence leak)."""
    playlist = Playlist.objects(id=playlist_id).first()
    if playlist is None or not (playlist.public or playlist.role_of(current_user.id)):
        abort(404)
    return playlist


@bp.get("/playlists")
@login_required
def index():
    """My playlists and those shared with me."""
    playlists = Playlist.objects(
        Q(owner=current_user.id) | Q(collaborators__user=current_user.id)
    ).order_by("-edited_ms")
    return render_template("playlists/index.html", playlists=playlists)


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
                           role=playlist.role_of(current_user.id))  # fmt: skip


@bp.get("/api/playlists/<playlist_id>/more")
@login_required
def more_like_these(playlist_id: str):
    """Tracks that would fit this playlist: near its centroid, nudged by my taste."""
    import time

    from core.paths import more_like
    from core.taste import TasteModel
    from models.feedback import taste_events
    from webapp.search.routes import catalog_cache

    playlist = visible_playlist(playlist_id)
    loaded = catalog_cache().get()
    if loaded is None:
        return jsonify({"tracks": []})
    catalog = loaded[0]
    entries = PlaylistEntry.objects(playlist=playlist).only("track").as_pymongo()
    track_ids = [e["track"] for e in entries]  # raw ids: no track loaded per entry
    taste = TasteModel.learn(taste_events(current_user.id), catalog, now=time.time())
    count = min(max(request.args.get("count", 10, type=int) or 10, 1), 50)
    from core.preferences import excluded_rows

    never = excluded_rows(catalog, current_user.preferences or {})  # my standing exclusions
    tracks = more_like(catalog, track_ids, count + int(never.sum()),
                       None if taste.is_empty else taste.score)  # fmt: skip
    tracks = [t for t in tracks if not never[catalog.position[t["id"]]]][:count]
    for item in tracks:
        reason = None if taste.is_empty else taste.reason(catalog.position[item["id"]])
        if reason:
            item["reason"] = f"{item['reason']}; {reason}"
    return jsonify({"playlist": playlist.id, "tracks": tracks})
