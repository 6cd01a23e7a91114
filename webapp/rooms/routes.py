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

from models import Collaborator, Playlist
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
    return render_template("rooms/room.html", playlist=playlist, role=role)


@bp.post("/rooms/<playlist_id>/invites")
@login_required
def create_invite(playlist_id: str):
    """An invite link carrying a role; only owners and admins may make one."""
    playlist = visible_playlist(playlist_id)
    if RANK.get(playlist.role_of(current_user.id), 0) < RANK["admin"]:
        abort(403, description="Only the owner or an admin can invite people.")
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
            # Embedded lists are replaced whole, never edited in place (DESIGN.md section 1).
            mine = Collaborator(user=current_user.id, role=data["r"])
            playlist.update(set__collaborators=[*others, mine])
            store.forget(playlist_id)
            flash(f"You joined “{playlist.name}” as {data['r']}.", "success")
    return redirect(url_for("rooms.room", playlist_id=playlist_id))


@bp.post("/rooms/<playlist_id>/visibility")
@login_required
def set_visibility(playlist_id: str):
    """Make a playlist public (any signed-in person may view) or private."""
    playlist = visible_playlist(playlist_id)
    if RANK.get(playlist.role_of(current_user.id), 0) < RANK["admin"]:
        abort(403, description="Only the owner or an admin can change who sees this playlist.")
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
