"""Cover art over HTTP: thumbnails with an ETag (a repeat asks and gets 304), or a placeholder.

Registered on the library blueprint (imported at the end of ``webapp/library/routes.py``).
"""

from __future__ import annotations

import hashlib

from flask import abort, make_response, request
from flask_login import login_required

from core.files import THUMB_SIZES, placeholder_svg
from models import Track, cover_for, thumbnail_for
from webapp.library.routes import bp

MAX_AGE_S = 7 * 24 * 3600  # then the browser asks again, and a 304 answers if unchanged


@bp.get("/covers/track/<track_id>")
@login_required
def track_cover(track_id: str):
    """The track's cover as a JPEG of ``size`` (64, 128, 300 or 600; the next size up)."""
    wanted = request.args.get("size", 128, type=int) or 128
    size = next((s for s in THUMB_SIZES if s >= wanted), THUMB_SIZES[-1])
    track = Track.objects(id=track_id[:64]).only("path", "tags", "cover").first()
    if track is None:
        abort(404, description="No such track.")
    cover = cover_for(track)
    if cover is not None:
        response = make_response(thumbnail_for(cover, size))
        response.mimetype = "image/jpeg"
        response.set_etag(f"{cover.id[:40]}-{size}")
    else:
        svg = placeholder_svg(track.tags.album, track.tags.artist)
        response = make_response(svg)
        response.mimetype = "image/svg+xml"
        response.set_etag(hashlib.sha256(svg.encode()).hexdigest()[:40])
    response.cache_control.private = True
    response.cache_control.max_age = MAX_AGE_S
    return response.make_conditional(request)
