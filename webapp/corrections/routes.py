"""Editors correct a track's tempo or key; everyone sees the corrections and who made them."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required

from core.analysis import PITCH_CLASSES, pitch_class
from models import Track, TrackCorrection, User
from models.correction import effective_corrections
from tasks.catalog import correction_saved

bp = Blueprint("corrections", __name__)
BPM_RANGE = (20, 300)
MAX_REASON = 300


@bp.post("/api/tracks/<track_id>/correction")
@login_required
def correct(track_id: str):
    """``{"bpm"?, "key"?, "scale"?, "reason"}`` from an editor; 201 with the effective values."""
    if not current_user.can_correct:
        return _error("Only library editors and administrators correct tracks.", 403)
    if Track.objects(id=track_id).count() == 0:
        abort(404)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _error("Send a JSON object with 'bpm' and/or 'key', and a 'reason'.")
    bpm, key, scale, reason = (body.get(k) for k in ("bpm", "key", "scale", "reason"))
    if bpm is None and key is None:
        return _error("Correct at least one of 'bpm' or 'key'.")
    if bpm is not None and (isinstance(bpm, bool) or not isinstance(bpm, int | float)
                            or not BPM_RANGE[0] <= bpm <= BPM_RANGE[1]):  # fmt: skip
        return _error(f"'bpm' must be a number from {BPM_RANGE[0]} to {BPM_RANGE[1]}.")
    if key is not None:
        try:
            key = PITCH_CLASSES[pitch_class(key)] if isinstance(key, str) and key else None
        except ValueError:
            key = None
        if key is None:
            return _error("'key' must be a note name such as 'A', 'F#' or 'Bb'.")
        if scale not in ("major", "minor"):
            return _error("With a 'key', give 'scale': 'major' or 'minor'.")
    if not isinstance(reason, str) or not reason.strip() or len(reason) > MAX_REASON:
        return _error(f"Say why in 'reason' (1 to {MAX_REASON} characters).")
    bpm = float(bpm) if bpm is not None else None
    TrackCorrection(track=track_id, by=current_user.id, bpm=bpm, key=key,
                    scale=scale if key else None, reason=reason.strip()).save()  # fmt: skip
    correction_saved.delay(track_id)  # the next catalog carries it
    return jsonify(_describe(track_id)), 201


@bp.get("/api/tracks/<track_id>/corrections")
@login_required
def history(track_id: str):
    """The effective corrections and every correction made, newest first, with who."""
    if Track.objects(id=track_id).count() == 0:
        abort(404)
    return jsonify(_describe(track_id))


def _describe(track_id: str) -> dict:
    rows = list(TrackCorrection.objects(track=track_id).order_by("-at_ms").as_pymongo())
    people = User.objects.in_bulk(list({r["by"] for r in rows if r.get("by")}))

    def who(user_id):
        return people[user_id].display_name if user_id in people else "a former member"

    effective = effective_corrections([track_id], named=True).get(track_id, {})
    return {"track": track_id, "effective": effective, "history": [
        {"bpm": r.get("bpm"), "key": r.get("key"), "scale": r.get("scale"), "reason": r["reason"],
         "by": r.get("by"), "by_name": who(r.get("by")), "at_ms": r.get("at_ms")}
        for r in rows]}  # fmt: skip


def _error(message: str, status: int = 400):
    return jsonify({"error": message}), status
