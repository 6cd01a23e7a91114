"""Creating an empty playlist and duplicating one (plain forms, answered with redirects).

Registered on the playlists blueprint (imported at the end of ``webapp/playlists/routes.py``).
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user, login_required

from models import Playlist, PlaylistEntry
from webapp.playlists.routes import bp
from webapp.schemas.limits import MAX_DESCRIPTION, MAX_NAME
from webapp.services.playlists import form_text, visible_playlist


@bp.post("/playlists/new")
@login_required
def create():
    """A new, empty playlist of mine."""
    name = form_text("name", MAX_NAME)
    if not name:
        flash("Give the new playlist a name.", "error")
        return redirect(url_for("playlists.index"), 303)
    playlist = Playlist(owner=current_user.id, name=name,
                        description=form_text("description", MAX_DESCRIPTION)).save()  # fmt: skip
    flash(f"Created “{name}”. Add tracks from the Library or a mood search.", "success")
    return redirect(url_for("playlists.show", playlist_id=playlist.id), 303)


@bp.post("/playlists/<playlist_id>/duplicate")
@login_required
def duplicate(playlist_id: str):
    """A copy of a playlist I can see, owned by me (tracks, order and reasons)."""
    source = visible_playlist(playlist_id)
    copy = Playlist(owner=current_user.id, name=f"{source.name} (copy)"[:MAX_NAME],
                    description=source.description).save()  # fmt: skip
    entries = [
        PlaylistEntry(playlist=copy, track=e.track, order_key=e.order_key,
                      added_by=current_user.id, reason=e.reason)
        for e in PlaylistEntry.objects(playlist=source).no_dereference().order_by("order_key")
    ]  # fmt: skip
    if entries:
        PlaylistEntry.objects.insert(entries, load_bulk=False)
    flash(f"Copied into “{copy.name}”, which is yours.", "success")
    return redirect(url_for("playlists.show", playlist_id=copy.id), 303)
