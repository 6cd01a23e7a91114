"""Streaming audio with HTTP Range, and recording what people do while listening."""

from __future__ import annotations

import contextlib
import mimetypes
import os

from flask import Blueprint, abort, current_app, jsonify, send_file
from flask_login import current_user, login_required
from mongoengine import NotUniqueError

from core.files import inside
from models import FeedbackEvent, Playlist, Track, UserLibrary
from models.base import utcnow
from webapp.schemas.listening import Feedback, FeedbackRecorded
from webapp.schemas.tracks import AUDIO, StreamHeaders
from webapp.validation import arguments, body, other_responses, response

bp = Blueprint("player", __name__)
MIME_OVERRIDES = {".opus": "audio/ogg", ".m4a": "audio/mp4", ".aac": "audio/aac",
                  ".flac": "audio/flac", ".oga": "audio/ogg"}  # fmt: skip


@bp.get("/api/tracks/<track_id>/stream")
@login_required
@arguments(StreamHeaders, location="headers")
@response(AUDIO, description="The whole file", media="audio/*")
@other_responses(403, 404, {206: "The requested range", 304: "Not modified (conditional)",
                            416: "A range the file cannot satisfy"})  # fmt: skip
def stream(_headers: dict, track_id: str):
    """The audio file, with Range support so seeking works (416 for impossible ranges).

    ``send_file`` reads the Range header itself; it is declared for the document.
    """
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
@body(Feedback)
@response(FeedbackRecorded, 201, "Recorded, with the track's new counters", errors=(404,))
def feedback(heard: dict):
    """Record play / complete / skip / like / dislike with position, elapsed time and context."""
    context = heard["context"] or {}
    track = Track.objects(id=heard["track_id"]).only("id").first()
    if track is None:
        abort(404, description="No such track.")
    playlist = None
    if context.get("playlist_id"):
        playlist = Playlist.objects(id=context["playlist_id"]).first()
        if playlist is None or not (playlist.public or playlist.role_of(current_user.id)):
            abort(404, description="No such playlist.")
    FeedbackEvent(user=current_user.id, track=track, playlist=playlist, event=heard["event"],
                  context=context, position_ms=heard["position_ms"],
                  elapsed_ms=heard["elapsed_ms"]).save()  # fmt: skip
    return jsonify({"ok": True, "library": _update_library(track.id, heard["event"])}), 201


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
