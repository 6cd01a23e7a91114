"""``flask mood`` and ``flask generate``: mood search from the command line."""

from __future__ import annotations

import json
import time

import click
from flask import Flask
from flask.cli import with_appcontext


def register_commands(app: Flask) -> None:
    app.cli.add_command(mood_command)
    app.cli.add_command(generate_command)


def _require_worker() -> None:
    from tasks import celery
    from webapp.preflight import worker_problem

    problem = worker_problem(celery, timeout=2.0)
    if problem:
        raise click.ClickException(f"{problem}. Start Moodroom with `make run`.")


@click.command("mood")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print the parsed mood as JSON.")
@with_appcontext
def mood_command(text, as_json):
    """Show how TEXT is understood: mood weights, targets, constraints, length, arc."""
    from tasks.moods import parse_text_task

    _require_worker()
    parsed = parse_text_task.delay(text).get(timeout=120)
    if "error" in parsed:
        raise click.ClickException(parsed["error"])
    if as_json:
        click.echo(json.dumps(parsed))
        return
    moods = ", ".join(f"{k} {v:.0%}" for k, v in parsed["moods"].items())
    click.echo(f"Moods: {moods}")
    for note in parsed.get("matched", []):
        click.echo(f"Understood: {note}")
    for note in parsed.get("warnings", []):
        click.echo(f"Note: {note}")


@click.command("generate")
@click.argument("text")
@click.option("--user", "username", required=True, help="Whose playlist it is.")
@click.option("--count", type=click.IntRange(1, 100), default=None, help="Number of tracks.")
@click.option("--seed", type=click.IntRange(0), default=0, help="Another seed, another mix.")
@click.option("--json", "as_json", is_flag=True, help="Print the playlist as JSON.")
@with_appcontext
def generate_command(text, username, count, seed, as_json):
    """Make an ordered playlist for TEXT, with per-track scores and reasons."""

    from models import User
    from tasks.moods import start_generation
    from webapp.search.views import generation_payload

    user = User.by_username(username)
    if user is None:
        raise click.UsageError(f"no user named {username!r}")
    if not text.strip() or len(text) > 300:
        raise click.UsageError("TEXT must be 1 to 300 characters")
    _require_worker()
    session = start_generation(user.id, text, count, seed)
    # A failed parse stops the chain without a result: watch the session instead.
    deadline = time.monotonic() + 300
    while session.status not in ("completed", "failed") and time.monotonic() < deadline:
        time.sleep(0.1)
        session.reload()
    payload = generation_payload(session)
    if payload["status"] != "completed":
        raise click.ClickException(payload["error"] or f"generation {payload['status']}")
    if as_json:
        click.echo(json.dumps(payload))
        return
    if (payload.get("library") or {}).get("notice"):
        click.echo(payload["library"]["notice"])
    for track in payload["tracks"]:
        artist = track["artist"] or "Unknown artist"  # never "None" for untagged files
        click.echo(f"{track['position'] + 1:>3}. {artist} - {track['title']}  "
                   f"[{track['bpm']} BPM, {track['camelot']}]  {track['reason']}")  # fmt: skip
