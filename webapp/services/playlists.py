"""Who may see a playlist, and reading a playlist form's text within its limit."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from models import Playlist

NOT_VISIBLE = (
    "This playlist does not exist, or you have not been invited to it. "
    "If someone shared it with you, ask them for a new invite link."
)


def visible_playlist(playlist_id: str) -> Playlist:
    """The playlist if the current person may see it; 404 otherwise (no existence leak)."""
    playlist = Playlist.objects(id=playlist_id).first()
    if playlist is None or not (playlist.public or playlist.role_of(current_user.id)):
        # One answer for "missing" and "private": a private playlist must not show it exists.
        abort(404, description=NOT_VISIBLE)
    return playlist


def form_text(name: str, limit: int) -> str:
    """The form field ``name``, stripped and cut to ``limit`` characters."""
    return (request.form.get(name) or "").strip()[:limit]
