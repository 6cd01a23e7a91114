"""Deleting a playlist, editing its name and description, and changing who is in it, under
the room's lock; open rooms are told.

Registered on the rooms blueprint (imported at the end of ``webapp/rooms/routes.py``).
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, url_for
from flask_login import current_user, login_required

from core.collab import OpError
from models import Playlist, PlaylistEntry, PlaylistOp
from models.base import new_id
from webapp.extensions import socketio
from webapp.playlists.manage import MAX_DESCRIPTION, form_text
from webapp.playlists.routes import MAX_NAME, visible_playlist
from webapp.rooms import store
from webapp.rooms.events import room_name
from webapp.rooms.routes import RANK, bp


def _tell_room(playlist_id: str, event: str, payload: dict) -> None:
    socketio.emit(event, {"playlist_id": playlist_id, **payload}, namespace="/rooms",
                  to=room_name(playlist_id))  # fmt: skip


@bp.post("/playlists/<playlist_id>/delete")
@login_required
def delete_playlist(playlist_id: str):
    """The owner deletes a playlist: its entries and op log go too; invite links then lead
    nowhere; open rooms are told and close."""
    playlist = visible_playlist(playlist_id)
    if playlist.owner.id != current_user.id:
        abort(403, description="Only the owner can delete this playlist.")
    name = playlist.name
    with store.room_lock(playlist.id):
        PlaylistEntry.objects(playlist=playlist.id).delete()
        PlaylistOp.objects(playlist=playlist.id).delete()
        Playlist.objects(id=playlist.id).delete()
        store.forget(playlist.id)
        with store._cache_lock:
            store._cache.pop(playlist.id, None)
        _tell_room(playlist.id, "closed", {"reason": f"“{name}” was deleted by its owner."})
    flash(f"Deleted “{name}”.", "success")
    return redirect(url_for("playlists.index"), 303)


@bp.post("/rooms/<playlist_id>/members/<user_id>/remove")
@login_required
def remove_member(playlist_id: str, user_id: str):
    """The owner (or an admin, for editors and viewers) removes a collaborator; anyone
    removes themself ("leave"). Their open room is told and closes for them."""
    playlist = visible_playlist(playlist_id)
    mine, theirs = playlist.role_of(current_user.id), playlist.role_of(user_id)
    leaving = user_id == current_user.id
    if theirs in (None, "owner") or (not leaving and not (
            mine == "owner" or (mine == "admin" and RANK[theirs] < RANK["admin"]))):  # fmt: skip
        message = ("The owner cannot leave their own playlist." if theirs == "owner" and leaving
                   else "You cannot remove that person." if theirs
                   else "That person is not a collaborator.")  # fmt: skip
        return jsonify({"error": message}), 403 if theirs else 404
    with store.room_lock(playlist.id):
        fresh = Playlist.objects(id=playlist.id).first()
        if fresh is None:
            abort(404)
        # Embedded lists are replaced whole, never edited in place.
        others = [c for c in fresh.collaborators if c.user.id != user_id]
        fresh.update(set__collaborators=others)
        store.forget(playlist.id)
        _tell_room(playlist.id, "removed", {"user": user_id, "left": leaving})
    return jsonify({"removed": user_id, "left": leaving})


@bp.post("/playlists/<playlist_id>/details")
@login_required
def edit_details(playlist_id: str):
    """Rename and describe from the playlist page: room ops, so open rooms follow."""
    playlist = visible_playlist(playlist_id)
    back = redirect(url_for("playlists.show", playlist_id=playlist.id), 303)
    if RANK.get(playlist.role_of(current_user.id), 0) < RANK["editor"]:
        abort(403, description="Only the owner, admins and editors can change this playlist.")
    name = form_text("name", MAX_NAME)
    description = form_text("description", MAX_DESCRIPTION)
    if not name:
        flash("The name cannot be empty.", "error")
        return back
    ops = [] if name == playlist.name else [{"type": "rename", "name": name}]
    if description != (playlist.description or ""):
        ops.append({"type": "describe", "description": description})
    user_id = current_user.id  # the announcement may run on another request's thread
    for op in ops:
        op_id = new_id()

        def announce(applied, op_id=op_id):
            _tell_room(playlist.id, "applied", {"seq": applied.seq, "op_id": op_id,
                                                "user": user_id, "effect": applied.effect,
                                                "tracks": {}})  # fmt: skip

        try:
            store.submit(playlist.id, user_id, op_id, op, announce=announce)
        except OpError as exc:
            flash(str(exc), "error")
            return back
    flash("Saved." if ops else "Nothing to change.", "success")
    return back
