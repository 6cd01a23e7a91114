"""Deleting a playlist, editing its name and description, and changing who is in it, under
the room's lock; open rooms are told.

Registered on the rooms blueprint (imported at the end of ``webapp/rooms/routes.py``).
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, url_for
from flask_login import current_user, login_required

import rooms
from models.base import new_id
from webapp.rooms.routes import RANK, bp
from webapp.schemas.limits import MAX_DESCRIPTION, MAX_NAME
from webapp.services.playlists import form_text, visible_playlist


@bp.post("/playlists/<playlist_id>/delete")
@login_required
def delete_playlist(playlist_id: str):
    """The owner deletes a playlist: its entries and op log go too; invite links then lead
    nowhere; open rooms are told and close; listening history stays, unlinked."""
    playlist = visible_playlist(playlist_id)
    if playlist.owner.id != current_user.id:
        abort(403, description="Only the owner can delete this playlist.")
    name = playlist.name
    rooms.delete_playlist(playlist.id, f"“{name}” was deleted by its owner.")
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
    with rooms.changing(playlist.id) as fresh:
        if fresh is None:
            abort(404)
        fresh.update(set__collaborators=[c for c in fresh.collaborators if c.user.id != user_id])
    rooms.tell(playlist.id, "removed", {"user": user_id, "left": leaving})
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
    for op in ops:
        try:
            rooms.submit(playlist.id, current_user.id, new_id(), op)
        except rooms.OpError as exc:
            flash(str(exc), "error")
            return back
    flash("Saved." if ops else "Nothing to change.", "success")
    return back
