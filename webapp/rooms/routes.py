"""Room pages, invite links and sharing settings."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user, login_required
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from mongoengine import Q

import rooms
from models import Collaborator, Playlist, PlaylistEntry, User
from models.base import new_id
from webapp.schemas.sharing import (
    AddTrack,
    EditablePlaylists,
    Invite,
    InviteRequest,
    TrackAdded,
    Visibility,
)
from webapp.services.playlists import visible_playlist
from webapp.validation import body, other_responses, response

bp = Blueprint("rooms", __name__)
INVITE_MAX_AGE_S = 7 * 24 * 3600
RANK = {"viewer": 1, "editor": 2, "admin": 3, "owner": 4}


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="room-invite")


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


@bp.post("/rooms/<playlist_id>/invites")
@login_required
@body(InviteRequest)
@response(Invite, 201, "The link")
@other_responses(403, 404)
def create_invite(invite: dict, playlist_id: str):
    """An invite link carrying a role; only owners and admins may make one."""
    playlist = playlist_for(playlist_id, "admin", "Only the owner or an admin can invite people.")
    role = invite["role"]
    token = _serializer().dumps({"p": playlist.id, "r": role})
    url = url_for("rooms.accept_invite", playlist_id=playlist.id, token=token, _external=True)
    return jsonify({"url": url, "role": role}), 201


@bp.get("/rooms/<playlist_id>/join/<token>")
@login_required
def accept_invite(playlist_id: str, token: str):
    """Join with the invite's role (never lowering a role someone already has)."""
    try:
        data = _serializer().loads(token, max_age=INVITE_MAX_AGE_S)
    except SignatureExpired:
        abort(410, description="This invite link has expired; ask for a new one.")
    except BadSignature:
        abort(404)
    if data.get("p") != playlist_id:
        abort(404)
    # Under the room's lock: two people accepting at once each replace the whole
    # list, and live rooms must see the new roles.
    with rooms.changing(playlist_id) as playlist:
        if playlist is None:
            abort(404)
        current = playlist.role_of(current_user.id)
        if RANK.get(current, 0) < RANK[data["r"]]:
            others = [c for c in playlist.collaborators if c.user.id != current_user.id]
            mine = Collaborator(user=current_user.id, role=data["r"])
            playlist.update(set__collaborators=[*others, mine])
            flash(f"You joined “{playlist.name}” as {data['r']}.", "success")
    return redirect(url_for("rooms.room", playlist_id=playlist_id))


@bp.post("/rooms/<playlist_id>/visibility")
@login_required
@body(Visibility)
@response(Visibility, description="The new setting")
@other_responses(403, 404)
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
@response(TrackAdded, 201, "Added")
@other_responses(403, 404)
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


from webapp.rooms import manage  # noqa: E402,F401 - registers delete and membership routes
