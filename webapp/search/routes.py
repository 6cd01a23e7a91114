"""Mood search: the page, the generation API, similar tracks and paths."""

from __future__ import annotations

import re

from flask import Blueprint, abort, jsonify, render_template, request, url_for
from flask_login import current_user, login_required

from models import Mood, Track
from tasks.moods import start_generation as queue_generation
from webapp.catalog import catalog_cache
from webapp.search.views import generation_payload_for

bp = Blueprint("search", __name__)


MAX_QUERY_LENGTH = 300
MAX_COUNT = 100


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
def start_generation():
    """Queue parse -> retrieve/rank/order for ``{"text", "count"?, "seed"?}``; 202 with the id."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _error("Send a JSON object with a 'text' field.", 400)
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        return _error("Describe a mood, for example “rainy sunday morning, calm but hopeful”.", 400)
    if len(text) > MAX_QUERY_LENGTH:
        return _error(f"That is too long: keep it under {MAX_QUERY_LENGTH} characters.", 400)
    count, seed = body.get("count"), body.get("seed", 0)
    if count is not None and (
        not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_COUNT
    ):
        return _error(f"'count' must be a whole number from 1 to {MAX_COUNT}.", 400)
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**31:
        return _error("'seed' must be a non-negative whole number.", 400)
    session = queue_generation(current_user.id, text, count, seed)
    return jsonify(
        {"session": session.id, "status": session.status,
         "url": url_for("search.generation", session_id=session.id)}
    ), 202  # fmt: skip


@bp.get("/api/generations/<session_id>")
@login_required
def generation(session_id: str):
    """Status, parsed mood and (when completed) the ordered tracks with reasons."""
    payload = generation_payload_for(session_id, current_user.id)
    if payload is None:
        abort(404)
    return jsonify(payload)


@bp.get("/api/tracks/<track_id>/similar")
@login_required
def similar(track_id: str):
    """Tracks that sound alike (musicnn embedding neighbours)."""
    from core.catalog import similar_tracks

    loaded = catalog_cache().get()
    if loaded is None or track_id not in loaded[0].position:
        abort(404, description="That track is not analysed yet.")
    count = min(max(request.args.get("count", 10, type=int) or 10, 1), 50)
    return jsonify({"track": track_id, "similar": similar_tracks(loaded[0], track_id, count)})


@bp.get("/api/path")
@login_required
def path():
    """An ordered bridge of tracks from ``from`` to ``to``."""
    from core.catalog import bridge

    start, end = request.args.get("from", ""), request.args.get("to", "")
    loaded = catalog_cache().get()
    if loaded is None or start not in loaded[0].position or end not in loaded[0].position:
        abort(404, description="Both tracks must be analysed library tracks.")
    count = min(max(request.args.get("count", 8, type=int) or 8, 3), 30)
    return jsonify({"from": start, "to": end, "tracks": bridge(loaded[0], start, end, count)})


@bp.get("/api/tracks/search")
@login_required
def track_search():
    """Library tracks whose title, artist, album or genre words start with the query words."""
    # Tokenised like the stored words (core.files.tokens): "ac/dc" -> "ac", "dc".
    words = re.findall(r"\w+", request.args.get("q", "").lower())[:5]
    if not words:
        return jsonify({"tracks": []})
    # Words are stored normalised in ``search_text``; a raw, escaped prefix match
    # per word avoids MongoEngine regex lookups (docs/data-layer.md, rule 2).
    clauses = [{"search_text": {"$regex": "(^| )" + re.escape(w)}} for w in words]
    rows = Track.objects(available=True, __raw__={"$and": clauses}).limit(25)
    return jsonify({"tracks": [{"id": t.id, "title": t.display_title, "artist": t.tags.artist}
                               for t in rows]})  # fmt: skip


def _error(message: str, status: int):
    return jsonify({"error": message}), status
