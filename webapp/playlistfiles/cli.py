"""``flask playlists export|import``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from core.files import PlaylistFileError
from models import Playlist, User
from webapp.playlistfiles import service
from webapp.playlistfiles.routes import bp


@bp.cli.command("export")
@click.argument("playlist_id")
@click.option("--format", "fmt", type=click.Choice(["m3u8", "xspf"]), default="m3u8")
@click.option("--root", type=int, default=None, help="M3U8 paths relative to this root (0, 1…)")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="file (default: stdout)")
def export_command(playlist_id, fmt, root, output):
    """Write a playlist as M3U8 (absolute paths unless --root) or XSPF."""
    playlist = Playlist.objects(id=playlist_id).first()
    if playlist is None:
        raise click.ClickException(f"no playlist {playlist_id}")
    roots = current_app.config["MUSIC_DIRS"]
    if root is not None and not 0 <= root < len(roots):
        raise click.ClickException(f"--root must be 0 to {len(roots) - 1}")
    text = service.export(playlist, fmt, str(roots[root]) if root is not None else None)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@bp.cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--user", "username", required=True, help="who owns the new playlist")
@click.option("--name", default=None, help="playlist name (default: the file's title)")
def import_command(path, username, name):
    """Import an M3U, M3U8, XSPF or PLS file into a new playlist; list what did not match."""
    user = User.by_username(username)
    if user is None:
        raise click.ClickException(f"no user {username}")
    try:
        result = service.import_file(user.id, Path(path).name,
                                     service.decode(Path(path).read_bytes()),
                                     [str(r) for r in current_app.config["MUSIC_DIRS"]],
                                     name)  # fmt: skip
    except PlaylistFileError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Playlist {result.playlist.id} “{result.playlist.name}”: "
               f"{result.matched} tracks matched, {len(result.misses)} not found.")  # fmt: skip
    for miss in result.misses:
        click.echo(f"  not found: {miss.label()}")
