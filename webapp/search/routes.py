"""Mood search: the page, the generation API, similar tracks and paths."""

from __future__ import annotations

import re

from flask import Blueprint, abort, jsonify, render_template, request, url_for
from flask_login import current_user, login_required

from models import Mood, Track, track_browse
from tasks.moods import start_generation as queue_generation
from webapp.catalog import catalog_cache
from webapp.schemas.limits import MAX_QUERY_LENGTH
from webapp.schemas.moods import Generation, GenerationStarted, MoodRequest
from webapp.schemas.tracks import (
    PathArgs,
    SimilarArgs,
    SimilarTracks,
    TrackPath,
    Tracks,
    TrackSearchArgs,
)
from webapp.search.views import generation_payload_for
from webapp.validation import arguments, body, response

bp = Blueprint("search", __name__)


@bp.get("/mood")
@login_required
def page():
    """The mood search page."""
    moods = Mood.objects.order_by("order").only("key", "label", "emoji")
    like_id = request.args.get("like", "")[:64]  # "more like this" from another page
    like = Track.objects(id=like_id).only("path", "tags").first() if like_id else None
    return render_template("search/page.html", moods=moods, max_length=MAX_QUERY_LENGTH, like=like)


@bp.post("/api/moods/generate")
@login_required
@body(MoodRequest)
@response(GenerationStarted, 202, "Queued; poll `url`")
def start_generation(mood: dict):
    """Queue a playlist for a mood described in words (parse, then retrieve, rank, order)."""
    session = queue_generation(current_user.id, mood["text"], mood["count"], mood["seed"])
    return jsonify(
        {"session": session.id, "status": session.status,
         "url": url_for("search.generation", session_id=session.id)}
    ), 202  # fmt: skip


@bp.get("/api/generations/<session_id>")
@login_required
@response(Generation, errors=(404,))
def generation(session_id: str):
    """Status, parsed mood and (when completed) the ordered tracks with reasons."""
    payload = generation_payload_for(session_id, current_user.id)
    if payload is None:
        abort(404)
    return jsonify(payload)


@bp.get("/api/tracks/<track_id>/similar")
@login_required
@arguments(SimilarArgs)
@response(SimilarTracks, description="Nearest tracks", errors=(404,))
def similar(args: dict, track_id: str):
    """Tracks that sound alike (musicnn embedding neighbours)."""
    from core.catalog import similar_tracks

    loaded = catalog_cache().get()
    if loaded is None or track_id not in loaded[0].position:
        abort(404, description="That track is not analysed yet.")
    similar_ones = similar_tracks(loaded[0], track_id, args["count"])
    return jsonify({"track": track_id, "similar": similar_ones})


@bp.get("/api/path")
@login_required
@arguments(PathArgs)
@response(TrackPath, description="The path, start and destination included", errors=(404,))
def path(args: dict):
    """An ordered bridge of tracks from ``from`` to ``to``."""
    from core.catalog import bridge

    start, end = args["start"], args["end"]
    loaded = catalog_cache().get()
    if loaded is None or start not in loaded[0].position or end not in loaded[0].position:
        abort(404, description="Both tracks must be analysed library tracks.")
    tracks = bridge(loaded[0], start, end, args["count"])
    return jsonify({"from": start, "to": end, "tracks": tracks})


@bp.get("/api/tracks/search")
@login_required
@arguments(TrackSearchArgs)
@response(Tracks, description="At most 25 tracks")
def track_search(args: dict):
    """Library tracks whose title, artist, album or genre words start with the query words."""
    # Tokenised like the stored words (core.files.tokens): "ac/dc" -> "ac", "dc".
    words = re.findall(r"\w+", args["q"].lower())[:5]
    if not words:
        return jsonify({"tracks": []})
    rows = track_browse.word_prefix_matches(words, limit=25)
    return jsonify({"tracks": [{"id": t.id, "title": t.display_title, "artist": t.tags.artist}
                               for t in rows]})  # fmt: skip
