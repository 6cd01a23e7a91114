"""Invite links: an owner or admin makes one carrying a role; following it joins the room.

Registered on the rooms blueprint (imported at the end of ``webapp/rooms/routes.py``).
"""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, url_for
from flask_login import current_user, login_required
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

import rooms
from models import Collaborator
from webapp.rooms.routes import INVITE_MAX_AGE_S, RANK, bp, playlist_for
from webapp.schemas.sharing import Invite, InviteRequest
from webapp.validation import body, response


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="room-invite")


@bp.post("/rooms/<playlist_id>/invites")
@login_required
@body(InviteRequest)
@response(Invite, 201, "The link", errors=(403, 404))
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
