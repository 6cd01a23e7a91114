"""Streaming audio with HTTP Range, and recording what people do while listening."""

from __future__ import annotations

import contextlib
import mimetypes
import os

from flask import Blueprint, abort, current_app, jsonify, request, send_file
from flask_login import current_user, login_required
from mongoengine import NotUniqueError

from core.files import inside
from models import FeedbackEvent, Playlist, Track, UserLibrary
from models.base import utcnow
from models.feedback import FEEDBACK_EVENTS

bp = Blueprint("player", __name__)
MIME_OVERRIDES = {".opus": "audio/ogg", ".m4a": "audio/mp4", ".aac": "audio/aac",
                  ".flac": "audio/flac", ".oga": "audio/ogg"}  # fmt: skip
MAX_MS = 24 * 3600 * 1000
CONTEXT_KEYS = {"playlist_id", "session_id", "room", "page"}


@bp.get("/api/tracks/<track_id>/stream")
@login_required
def stream(track_id: str):
    """The audio file, with Range support so seeking works (416 for impossible ranges)."""
    track = Track.objects(id=track_id, available=True).only("id", "path").first()
    if track is None:
        abort(404)
    # Paths come from scans, but roots can be reconfigured later: re-check every time.
    if not inside(track.path, current_app.config["MUSIC_DIRS"]):
        abort(403, description="That file is outside the configured music folders.")
    if not os.path.isfile(track.path):
        abort(404, description="The file is gone; rescan the library.")
    suffix = os.path.splitext(track.path)[1].lower()
    mimetype = MIME_OVERRIDES.get(suffix) or mimetypes.guess_type(track.path)[0] or "audio/mpeg"
    response = send_file(track.path, mimetype=mimetype, conditional=True, max_age=3600)
    response.headers["Accept-Ranges"] = "bytes"
    return response


@bp.post("/api/feedback")
@login_required
def feedback():
    """Record play / complete / skip / like / dislike with position, elapsed time and context."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _error("Send a JSON object.")
    event, track_id = body.get("event"), body.get("track_id")
    if event not in FEEDBACK_EVENTS:
        return _error(f"'event' must be one of: {', '.join(FEEDBACK_EVENTS)}.")
    if not isinstance(track_id, str) or len(track_id) > 64:
        return _error("'track_id' is missing.")
    numbers = {}
    for name in ("position_ms", "elapsed_ms"):
        value = body.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or not 0 <= value <= MAX_MS):  # fmt: skip
            return _error(f"'{name}' must be a whole number of milliseconds.")
        numbers[name] = value
    context = body.get("context") or {}
    if (
        not isinstance(context, dict)
        or set(context) - CONTEXT_KEYS
        or not all(isinstance(v, str) and len(v) <= 64 for v in context.values())
    ):
        return _error(f"'context' may only hold short strings under {sorted(CONTEXT_KEYS)}.")
    track = Track.objects(id=track_id).only("id").first()
    if track is None:
        return _error("No such track.", 404)
    playlist = None
    if context.get("playlist_id"):
        playlist = Playlist.objects(id=context["playlist_id"]).first()
        if playlist is None or not (playlist.public or playlist.role_of(current_user.id)):
            return _error("No such playlist.", 404)
    FeedbackEvent(user=current_user.id, track=track, playlist=playlist, event=event,
                  context=context, **numbers).save()  # fmt: skip
    return jsonify({"ok": True, "library": _update_library(track.id, event)}), 201


def _update_library(track_id: str, event: str) -> dict:
    updates = {"set__last_heard": utcnow()}
    if event == "play":
        updates["inc__play_count"] = 1
    elif event == "skip":
        updates["inc__skip_count"] = 1
    elif event in ("like", "dislike"):
        updates["set__liked"] = event == "like"
    # No upsert: the embedded server would give the new row an ObjectId key, and
    # we keep string keys everywhere (docs/data-layer.md). The unique index on
    # (user, track) makes the create race-safe.
    query = UserLibrary.objects(user=current_user.id, track=track_id)
    if query.first() is None:
        with contextlib.suppress(NotUniqueError):
            UserLibrary(user=current_user.id, track=track_id).save()
    entry = query.modify(new=True, **updates)
    return {"liked": entry.liked, "play_count": entry.play_count, "skip_count": entry.skip_count}


def _error(message: str, status: int = 400):
    return jsonify({"error": message}), status
