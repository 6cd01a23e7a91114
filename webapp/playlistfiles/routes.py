"""Export a visible playlist as M3U8 or XSPF; import a playlist file into a new playlist."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional

from core.files import PlaylistFileError
from models import Playlist
from webapp.playlistfiles import service

bp = Blueprint("playlistfiles", __name__, cli_group="playlists")
TYPES = {"m3u8": "audio/x-mpegurl; charset=utf-8", "xspf": "application/xspf+xml; charset=utf-8"}


class ImportForm(FlaskForm):
    file = FileField("Playlist file (M3U, M3U8, XSPF or PLS)", validators=[FileRequired()])
    name = StringField("Name (optional)", validators=[Optional(), Length(max=120)])


def _visible(playlist_id: str) -> Playlist:
    playlist = Playlist.objects(id=playlist_id).first()
    if playlist is None or not (playlist.public or playlist.role_of(current_user.id)):
        abort(404)
    return playlist


def _safe_filename(name: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in " -_." else "_" for c in name).strip()
    return cleaned or "playlist"


@bp.get("/playlists/<playlist_id>/export.<fmt>")
@login_required
def export(playlist_id: str, fmt: str):
    """``?root=N`` writes M3U8 paths relative to the N-th library root; otherwise absolute."""
    if fmt not in TYPES:
        abort(404)
    playlist = _visible(playlist_id)
    roots = current_app.config["MUSIC_DIRS"]
    index = request.args.get("root", type=int)
    if index is not None and not 0 <= index < len(roots):
        abort(400, description="'root' must be the number of a configured library folder.")
    text = service.export(playlist, fmt, str(roots[index]) if index is not None else None)
    filename = f"{_safe_filename(playlist.name)}.{fmt}"
    disposition = f'attachment; filename="{filename}"'
    return Response(text, headers={"Content-Type": TYPES[fmt], "Content-Disposition": disposition})


@bp.route("/playlists/import", methods=["GET", "POST"])
@login_required
def import_page():
    form = ImportForm()
    if not form.validate_on_submit():
        status = 200 if request.method == "GET" else 400
        return render_template("playlistfiles/import.html", form=form, result=None), status
    upload = form.file.data
    try:
        result = service.import_file(
            current_user.id, upload.filename or "playlist.m3u", service.decode(upload.read()),
            current_app.config["MUSIC_DIRS"], form.name.data,
        )  # fmt: skip
    except PlaylistFileError as exc:
        form.file.errors.append(str(exc))
        return render_template("playlistfiles/import.html", form=form, result=None), 400
    return render_template("playlistfiles/import.html", form=ImportForm(formdata=None),
                           result=result), 201  # fmt: skip
