"""``flask`` commands that belong to the app as a whole."""

from __future__ import annotations

import click
from flask import Flask

from models import ensure_all_indexes


def register_commands(app: Flask) -> None:
    """Attach the commands to ``app.cli``."""

    @app.cli.command("seed")
    def seed_command():
        """Load the seeded moods and register model files (safe to repeat)."""
        from seeds.load import seed_all

        ensure_all_indexes()
        report = seed_all()
        click.echo(
            f"Moods: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged; models registered: {report.models}."
        )
