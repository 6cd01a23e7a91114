"""Room pages, invite links and sharing settings."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    jsonify,
    render_template,
)
from flask_login import current_user, login_required
from mongoengine import Q

import rooms
from models import Playlist, PlaylistEntry, User
from models.base import new_id
from webapp.schemas.sharing import (
    AddTrack,
    EditablePlaylists,
    TrackAdded,
    Visibility,
)
from webapp.services.playlists import visible_playlist
from webapp.validation import body, response

bp = Blueprint("rooms", __name__)
INVITE_MAX_AGE_S = 7 * 24 * 3600  # an invite link works for a week
RANK = {"viewer": 1, "editor": 2, "admin": 3, "owner": 4}


@bp.get("/rooms/<playlist_id>")
@login_required
def room(playlist_id: str):
    """The live, shared editor for one playlist."""
    playlist = visible_playlist(playlist_id)
    role = playlist.role_of(current_user.id) or "viewer"
    members = [(playlist.owner, "owner"), *((c.user, c.role) for c in playlist.collaborators)]
    names = {user.id: user.display_name for user, _ in members}
    # Why each entry is there (blends: for whom) and who added it, members or not.
    entries = PlaylistEntry.notes(playlist.id)
    reasons = {e["id"]: e["reason"] for e in entries if e["reason"]}
    adders = {e["added_by"] for e in entries} - set(names) - {None}
    names |= {u.id: u.display_name for u in User.objects(id__in=list(adders))}
    return render_template("rooms/room.html", playlist=playlist, role=role, members=members,
                           names=names, reasons=reasons,
                           invite_days=INVITE_MAX_AGE_S // 86400)  # fmt: skip


def playlist_for(playlist_id: str, role: str, refusal: str):
    """The playlist, if the person may see it (404 otherwise) and holds ``role`` (403)."""
    playlist = visible_playlist(playlist_id)
    if RANK.get(playlist.role_of(current_user.id), 0) < RANK[role]:
        abort(403, description=refusal)
    return playlist


@bp.post("/rooms/<playlist_id>/visibility")
@login_required
@body(Visibility)
@response(Visibility, description="The new setting", errors=(403, 404))
def set_visibility(wanted: dict, playlist_id: str):
    """Make a playlist public (any signed-in person may view) or private."""
    playlist = playlist_for(
        playlist_id, "admin", "Only the owner or an admin can change who sees this playlist."
    )
    with rooms.changing(playlist.id) as fresh:
        if fresh is None:
            abort(404)
        fresh.update(set__public=wanted["public"])
    return jsonify({"public": wanted["public"]})


@bp.get("/api/playlists/editable")
@login_required
@response(EditablePlaylists, description="Most recently edited first")
def editable_playlists():
    """Playlists I may add tracks to (owner, admin or editor), most recently edited first."""
    mine = Playlist.objects(
        Q(owner=current_user.id) | Q(collaborators__user=current_user.id)
    ).order_by("-edited_ms")
    rows = [p for p in mine if RANK.get(p.role_of(current_user.id), 0) >= RANK["editor"]]
    return jsonify({"playlists": [{"id": p.id, "name": p.name} for p in rows]})


@bp.post("/api/playlists/<playlist_id>/tracks")
@login_required
@body(AddTrack)
@response(TrackAdded, 201, "Added", errors=(403, 404))
def add_track(added: dict, playlist_id: str):
    """Add ``{"track_id"}`` at the end, as a room op: logged, and shown at once in open rooms."""
    playlist = playlist_for(
        playlist_id, "editor", "Only the owner, admins and editors can add tracks here."
    )
    track_id = added["track_id"]
    try:
        op = {"type": "add", "track_ids": [track_id]}
        applied = rooms.submit(playlist.id, current_user.id, new_id(), op)
    except rooms.OpError as exc:
        abort(400, description=str(exc))
    return jsonify({"playlist": playlist.id, "name": playlist.name, "seq": applied.seq}), 201


from webapp.rooms import invites, manage  # noqa: E402,F401 - register their routes on bp
