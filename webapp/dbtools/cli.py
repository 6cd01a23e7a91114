"""``flask db status|backup|restore|validate``."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from models.maintenance import (
    MaintenanceError,
    backup,
    database_status,
    find_problems,
    restore,
)

db_group = AppGroup("db", help="Inspect, back up, restore and check the database.")
_PATH = click.Path(path_type=Path)


def register_commands(app: Flask) -> None:
    """Attach the ``db`` group to ``app.cli``."""
    app.cli.add_command(db_group)


@contextmanager
def _clear_errors():
    """Turn expected failures into one-line messages (exit code 1), never tracebacks."""
    try:
        yield
    except MaintenanceError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        raise click.ClickException(f"{exc.strerror or exc}{where}") from None


def _documents(n: int) -> str:
    return f"{n} document" + ("" if n == 1 else "s")


def _report(make_report, as_json: bool, echo_text) -> dict:
    """Make a report, then print it as JSON or as text for people."""
    with _clear_errors():
        report = make_report()
    if as_json:
        click.echo(json.dumps(report, indent=2, default=str))
    else:
        echo_text(report)
    return report


@db_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def status_command(as_json):
    """Collections, document counts, and declared indexes against those present."""
    _report(database_status, as_json, _echo_status)


def _echo_status(report: dict) -> None:
    click.echo(f"Database {report['database']}")
    click.echo(f"{'COLLECTION':<22} {'DOCUMENT':<18} {'COUNT':>8}  INDEXES")
    for row in report["collections"]:
        found = len(row["present"]) + len(row["mismatched"])
        notes = [] if row["exists"] else ["collection absent"]
        for key in ("missing", "mismatched", "extra"):
            if row[key]:
                notes.append(f"{key}: " + "; ".join(row[key]))
        indexes = f"{found}/{row['declared']}  " + "  ".join(notes)
        line = f"{row['collection']:<22} {row['document']:<18} {row['count']:>8}  {indexes}"
        click.echo(line.rstrip())
    for row in report["undeclared"]:
        indexes = ", ".join(row["indexes"]) or "none"
        click.echo(f"{row['collection']:<22} {'(undeclared)':<18} {row['count']:>8}  {indexes}")
    reordered = sum(row["reordered"] for row in report["collections"])
    if reordered:
        click.echo(
            f"Note: {reordered} declared index(es) match by field but lost a key direction "
            "(the embedded server keeps keys ascending)."
        )
    click.echo("Indexes match the declarations." if report["ok"] else "Index problems found.")


@db_group.command("backup")
@click.argument("path", type=_PATH)
@click.option("--batch-size", default=500, show_default=True, help="Documents per read.")
def backup_command(path, batch_size):
    """Write every collection, the index definitions and a manifest into PATH (a new dir)."""

    def progress(name, count):
        click.echo(f"  {name}: {_documents(count)}")

    with _clear_errors():
        manifest = backup(path, batch_size=batch_size, progress=progress)
    total = sum(c["count"] for c in manifest["collections"].values())
    click.echo(
        f"Backed up {_documents(total)} in {len(manifest['collections'])} collections "
        f"of {manifest['database']} to {path}."
    )


@db_group.command("restore")
@click.argument("path", type=_PATH)
@click.option("--force", is_flag=True, help="Drop every collection of a non-empty database first.")
@click.option("--batch-size", default=500, show_default=True, help="Documents per insert.")
def restore_command(path, force, batch_size):
    """Restore the backup in PATH after checking its checksums; refuses a non-empty database."""

    def progress(name, restored, expected):
        click.echo(f"  {name}: {restored}/{_documents(expected)}")

    with _clear_errors():
        summary = restore(path, force=force, batch_size=batch_size, progress=progress)
    if summary["mismatched"]:
        raise click.ClickException(
            "counts differ from the manifest after restoring: " + ", ".join(summary["mismatched"])
        )
    indexes = sum(r["indexes"] for r in summary["collections"].values())
    click.echo(
        f"Restored {_documents(summary['documents'])} in {len(summary['collections'])} "
        f"collections and {indexes} indexes into {summary['database']} "
        f"(backup of {summary['source']} made {summary['created_at']})."
    )


@db_group.command("validate")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def validate_command(as_json):
    """Find dangling references and orphaned documents; exit code 1 when there are any."""
    report = _report(find_problems, as_json, _echo_problems)
    if not report["ok"]:
        click.get_current_context().exit(1)


def _echo_problems(report: dict) -> None:
    click.echo(
        f"Checked {_documents(report['documents'])} in {report['collections']} collections "
        f"against {report['links']} reference fields."
    )
    if report["ok"]:
        click.echo("No problems found.")
    for problem in report["problems"]:
        orphaned = problem["kind"] == "orphaned"
        count = f"{problem['references']} reference(s) in {problem['documents']} document(s)"
        if orphaned:
            count = f"{problem['documents']} document(s)"
        click.echo(f"{problem['kind']:<9} {problem['link']}: {count}")
        for example in problem["examples"]:
            missing = "" if orphaned else f" -> missing {example['missing']}"
            click.echo(f"          e.g. {example['id']}{missing}")
