"""``flask library scan`` and ``flask analyze``."""

from __future__ import annotations

import json
import os
import sys
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from core.files import inside


def register_commands(app: Flask) -> None:
    """Attach the library commands to ``app.cli``."""
    app.cli.add_command(library_group)
    app.cli.add_command(analyze_command)


library_group = AppGroup("library", help="Scan and analyse the music library.")


@library_group.command("scan")
@click.argument("path", required=False, type=click.Path(file_okay=False))
@click.option("--wait", is_flag=True, help="Block until every queued track is analysed.")
@click.option("--timeout", default=0, help="With --wait: give up after this many seconds.")
def scan_command(path, wait, timeout):
    """Scan PATH (default: every configured MUSIC_DIR root) and queue analysis."""
    from tasks import celery
    from tasks.library import scan_root
    from webapp.preflight import worker_problem

    roots = current_app.config["MUSIC_DIRS"]
    if path:
        if not inside(path, roots):
            raise click.UsageError(
                f"{path} is not inside a configured library root: " + ", ".join(map(str, roots))
            )
        targets = [os.path.realpath(path)]
    else:
        targets = [str(r) for r in roots]
    problem = worker_problem(celery, timeout=2.0)
    if problem:
        raise click.ClickException(
            f"{problem}. Start Moodroom with `make run`, or a worker with "
            "`celery -A tasks.celery_app worker`."
        )
    totals: dict[str, int] = {}
    for target in targets:
        summary = scan_root.delay(target).get(timeout=3600)
        for key in ("new", "changed", "unchanged", "vanished", "queued"):
            totals[key] = totals.get(key, 0) + summary[key]
    click.echo(
        f"Scanned {len(targets)} folder(s): {totals['new']} new, {totals['changed']} changed, "
        f"{totals['unchanged']} unchanged, {totals['vanished']} gone; "
        f"{totals['queued']} queued for analysis."
    )
    if wait:
        done, failed = _wait_for_analysis(targets, timeout)
        click.echo(f"Done: {done} analysed, {failed} failed, {totals['unchanged']} skipped.")


def _wait_for_analysis(targets: list[str], timeout: float) -> tuple[int, int]:
    from models import Track

    prefixes = [t.rstrip(os.sep) + os.sep for t in targets]
    query = {"$or": [{"path": {"$gte": p, "$lt": p + "\U0010ffff"}} for p in prefixes]}
    started = time.monotonic()
    while True:
        counts = Track.status_counts(query)
        total = counts["total"]
        finished = counts["done"] + counts["failed"]
        _draw_bar(finished, total, counts["failed"])
        if finished >= total:
            click.echo(file=sys.stderr)
            return counts["done"], counts["failed"]
        if timeout and time.monotonic() - started > timeout:
            click.echo(file=sys.stderr)
            raise click.ClickException(f"gave up after {timeout} s: {total - finished} unfinished")
        time.sleep(0.5)


def _draw_bar(finished: int, total: int, failed: int, width: int = 30) -> None:
    filled = int(width * finished / total) if total else width
    bar = "#" * filled + "-" * (width - filled)
    click.echo(f"\r[{bar}] {finished}/{total} analysed ({failed} failed)", nl=False, err=True)


@click.command("analyze")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def analyze_command(files, as_json):
    """Analyse FILES directly (no database) and print their features."""
    from core.analysis import EssentiaAnalyzer

    analyzer = EssentiaAnalyzer()
    for path in files:
        result = analyzer.analyse(path)
        record = analysis_record(result)
        if as_json:
            click.echo(json.dumps(record))
        elif record["error"]:
            click.echo(f"{path}: error: {record['error']}")
        else:
            click.echo(
                f"{path}: {record['bpm']} BPM, {record['key']} {record['scale']} "
                f"({record['camelot']}), energy {record['energy']}, {record['loudness_lufs']} LUFS"
            )


def analysis_record(result) -> dict:
    """The documented ``flask analyze --json`` object for one result."""
    features = result.features
    keys = (
        "bpm",
        "bpm_confidence",
        "key",
        "scale",
        "camelot",
        "key_strength",
        "loudness_lufs",
        "energy",
        "brightness",
        "danceability",
        "dynamic_complexity",
    )
    return {
        "path": result.path,
        "duration": result.duration,
        **{k: features.get(k) for k in keys},
        "tags": result.tags,
        "embedding_dim": None if result.embedding is None else int(result.embedding.size),
        "error": result.error,
    }
