"""``flask users create|list|promote|demote|disable|enable|reset-password``."""

from __future__ import annotations

import json

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from models import User

users = AppGroup("users", help="Create and manage accounts.")


def register_commands(app: Flask) -> None:
    app.cli.add_command(users)


def _user(username: str) -> User:
    user = User.by_username(username)
    if user is None:
        raise click.ClickException(f"no user named {username!r}")
    return user


@users.command("create")
@click.argument("username")
@click.option("--admin", is_flag=True, help="Make the account an administrator.")
@click.option("--display-name", default=None)
@click.password_option(help="Asked for when not given (or read from MOODROOM_PASSWORD).",
                       envvar="MOODROOM_PASSWORD")  # fmt: skip
def create(username, admin, display_name, password):
    """Create an account (works whatever REGISTRATION says)."""
    from mongoengine import NotUniqueError

    from webapp.services.accounts import USERNAME_RULE
    from webapp.services.passwords import hash_password

    if not 3 <= len(username) <= 32 or not USERNAME_RULE.regex.match(username):
        raise click.UsageError("USERNAME: 3-32 letters, digits, dots, dashes or underscores")
    if len(password) < 8:
        raise click.UsageError("the password needs at least 8 characters")
    try:
        user = User(username=username, display_name=display_name, is_admin=admin,
                    password_hash=hash_password(password)).save()  # fmt: skip
    except NotUniqueError:
        raise click.ClickException(f"{username!r} is taken") from None
    click.echo(f"created {user.username}{' (admin)' if admin else ''}")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def list_users(as_json):
    """Every account with its role and status."""
    for user in User.objects.order_by("username_key"):
        row = {"username": user.username, "display_name": user.display_name,
               "admin": bool(user.is_admin), "disabled": bool(user.disabled),
               "last_login": user.last_login.isoformat() if user.last_login else None}  # fmt: skip
        if as_json:
            click.echo(json.dumps(row))
        else:
            role = "admin" if row["admin"] else "member"
            state = "disabled" if row["disabled"] else "active"
            click.echo(f"{row['username']:<24} {role:<7} {state:<9} {row['last_login'] or '-'}")


def _action_command(action: str, text: str):
    @users.command(action, help=text)
    @click.argument("username")
    def command(username):
        from webapp.services.accounts import AccountError, apply_action

        try:
            apply_action(_user(username), action)
        except AccountError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"{username}: {action}d")

    return command


promote = _action_command("promote", "Make USERNAME an administrator.")
demote = _action_command("demote", "Take administration rights from USERNAME.")
disable = _action_command("disable", "Stop USERNAME signing in (current sessions end).")
enable = _action_command("enable", "Let a disabled USERNAME sign in again.")


@users.command("reset-password")
@click.argument("username")
@click.option("--base-url", default=None, help="Address people reach Moodroom at.")
def reset_password(username, base_url):
    """Print a one-time link with which USERNAME sets a new password."""
    import settings
    from webapp.services.accounts import reset_token

    token = reset_token(_user(username), created_by=None)
    base = (base_url or f"http://127.0.0.1:{settings.port()}").rstrip("/")
    hours = current_app.config["RESET_HOURS"]
    click.echo(f"{base}/auth/reset/{token}")
    click.echo(f"(works once, for {hours} hours)", err=True)
