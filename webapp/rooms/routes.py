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
    request,
    url_for,
)
from flask_login import current_user, login_required
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from mongoengine import Q

from core.collab import OpError
from models import Collaborator, Playlist, PlaylistEntry, User
from models.base import new_id
from webapp.playlists.routes import visible_playlist
from webapp.rooms import store

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
    entries = list(PlaylistEntry.objects(playlist=playlist.id).only("id", "reason", "added_by")
                   .as_pymongo())  # fmt: skip
    reasons = {e["_id"]: e["reason"] for e in entries if e.get("reason")}
    adders = {e.get("added_by") for e in entries} - set(names) - {None}
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
def create_invite(playlist_id: str):
    """An invite link carrying a role; only owners and admins may make one."""
    playlist = playlist_for(playlist_id, "admin", "Only the owner or an admin can invite people.")
    body = request.get_json(silent=True)
    body = {} if body is None else body
    if not isinstance(body, dict):
        return jsonify({"error": "Send a JSON object."}), 400
    role = body.get("role", "editor")
    if role not in ("viewer", "editor", "admin"):
        return jsonify({"error": "'role' must be viewer, editor or admin"}), 400
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
    # list, and live rooms must see the new roles (``store.forget``).
    with store.room_lock(playlist_id):
        playlist = Playlist.objects(id=playlist_id).first()
        if playlist is None:
            abort(404)
        current = playlist.role_of(current_user.id)
        if RANK.get(current, 0) < RANK[data["r"]]:
            others = [c for c in playlist.collaborators if c.user.id != current_user.id]
            # Embedded lists are replaced whole, never edited in place (docs/data-layer.md).
            mine = Collaborator(user=current_user.id, role=data["r"])
            playlist.update(set__collaborators=[*others, mine])
            store.forget(playlist_id)
            flash(f"You joined “{playlist.name}” as {data['r']}.", "success")
    return redirect(url_for("rooms.room", playlist_id=playlist_id))


@bp.post("/rooms/<playlist_id>/visibility")
@login_required
def set_visibility(playlist_id: str):
    """Make a playlist public (any signed-in person may view) or private."""
    playlist = playlist_for(
        playlist_id, "admin", "Only the owner or an admin can change who sees this playlist."
    )
    body = request.get_json(silent=True)
    body = {} if body is None else body
    if not isinstance(body, dict):
        return jsonify({"error": "Send a JSON object."}), 400
    if not isinstance(body.get("public"), bool):
        return jsonify({"error": "'public' must be true or false"}), 400
    with store.room_lock(playlist.id):
        playlist.update(set__public=body["public"])
        store.forget(playlist.id)
    return jsonify({"public": body["public"]})


@bp.get("/api/playlists/editable")
@login_required
def editable_playlists():
    """Playlists I may add tracks to (owner, admin or editor), most recently edited first."""
    mine = Playlist.objects(
        Q(owner=current_user.id) | Q(collaborators__user=current_user.id)
    ).order_by("-edited_ms")
    rows = [p for p in mine if RANK.get(p.role_of(current_user.id), 0) >= RANK["editor"]]
    return jsonify({"playlists": [{"id": p.id, "name": p.name} for p in rows]})


@bp.post("/api/playlists/<playlist_id>/tracks")
@login_required
def add_track(playlist_id: str):
    """Add ``{"track_id"}`` at the end, as a room op: logged, and shown at once in open rooms."""
    from webapp.extensions import socketio
    from webapp.rooms.events import room_name

    playlist = playlist_for(
        playlist_id, "editor", "Only the owner, admins and editors can add tracks here."
    )
    body = request.get_json(silent=True)
    track_id = body.get("track_id") if isinstance(body, dict) else None
    if not isinstance(track_id, str) or not 0 < len(track_id) <= 64:
        return jsonify({"error": "Send a JSON object with a 'track_id' string."}), 400
    op_id, user_id = new_id(), current_user.id

    def announce(applied: store.Applied) -> None:
        tracks = store.track_info([u["track_id"] for u in applied.effect.get("upsert", [])])
        socketio.emit("applied", {"playlist_id": playlist.id, "seq": applied.seq,
                                  "op_id": op_id, "user": user_id, "effect": applied.effect,
                                  "tracks": tracks}, namespace="/rooms",
                      to=room_name(playlist.id))  # fmt: skip

    try:
        op = {"type": "add", "track_ids": [track_id]}
        applied = store.submit(playlist.id, user_id, op_id, op, announce=announce)
    except OpError as exc:
        return jsonify({"error": str(exc)}), 400
    return jsonify({"playlist": playlist.id, "name": playlist.name, "seq": applied.seq}), 201


from webapp.rooms import manage  # noqa: E402,F401 - registers delete and membership routes
