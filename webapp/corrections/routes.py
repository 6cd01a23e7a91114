"""Editors correct a track's tempo or key; everyone sees the corrections and who made them."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify
from flask_login import current_user, login_required

from core.analysis import PITCH_CLASSES, pitch_class
from models import Track, TrackCorrection, User
from models.correction import effective_corrections
from tasks.catalog import correction_saved
from webapp.schemas.corrections import CorrectionRequest, Corrections
from webapp.validation import body, response

bp = Blueprint("corrections", __name__)


@bp.get("/api/tracks/<track_id>/corrections")
@login_required
@response(Corrections, description="Effective corrections and history", errors=(404,))
def history(track_id: str):
    """The effective corrections and every correction made, newest first, with who."""
    if Track.objects(id=track_id).count() == 0:
        abort(404)
    return jsonify(_describe(track_id))


@bp.post("/api/tracks/<track_id>/correction")
@login_required
@body(CorrectionRequest)
@response(Corrections, 201, "Effective corrections and history", errors=(403, 404))
def correct(fix: dict, track_id: str):
    """Correct a track's tempo or key (editors and admins).

    Kept apart from the analysis: survives re-analysis and rescans, and is what the catalog,
    sequencing and reasons use.
    """
    if not current_user.can_correct:
        abort(403, description="Only library editors and administrators correct tracks.")
    if Track.objects(id=track_id).count() == 0:
        abort(404)
    key = PITCH_CLASSES[pitch_class(fix["key"])] if fix["key"] else None
    TrackCorrection(track=track_id, by=current_user.id, bpm=fix["bpm"], key=key,
                    scale=fix["scale"] if key else None,
                    reason=fix["reason"].strip()).save()  # fmt: skip
    correction_saved.delay(track_id)  # the next catalog carries it
    return jsonify(_describe(track_id)), 201


def _describe(track_id: str) -> dict:
    rows = TrackCorrection.history(track_id)
    people = User.objects.in_bulk(list({r["by"] for r in rows if r.get("by")}))

    def who(user_id):
        return people[user_id].display_name if user_id in people else "a former member"

    effective = effective_corrections([track_id], named=True).get(track_id, {})
    return {"track": track_id, "effective": effective, "history": [
        {"bpm": r.get("bpm"), "key": r.get("key"), "scale": r.get("scale"), "reason": r["reason"],
         "by": r.get("by"), "by_name": who(r.get("by")), "at_ms": r.get("at_ms")}
        for r in rows]}  # fmt: skip
