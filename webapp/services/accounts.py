"""Account rules shared by sign-up, the admin page and ``flask users``: usernames, roles,
disabling, links."""

from __future__ import annotations

from flask import current_app
from wtforms.validators import Regexp

from models import AccountToken, User

USERNAME_RULE = Regexp(
    r"^[A-Za-z0-9_.-]+$", message="Use letters, digits, dots, dashes or underscores."
)

ROLE_ACTIONS = ("promote", "demote", "disable", "enable", "grant-editor", "revoke-editor")


class AccountError(Exception):
    """A refused account change; the message says why."""


def registration_mode() -> str:
    """``open``, ``invite`` or ``closed``: ``REGISTRATION``, else open until an admin exists."""
    configured = current_app.config.get("REGISTRATION")
    if configured:
        return configured
    return "invite" if User.objects(is_admin=True, disabled__ne=True).count() else "open"


def apply_action(user: User, action: str) -> User:
    """Promote, demote, disable or enable ``user``; never leaves Moodroom without an admin."""
    if action not in ROLE_ACTIONS:
        raise AccountError(f"unknown action {action!r}")
    if action in ("demote", "disable") and user.is_admin and not user.disabled:
        others = User.objects(is_admin=True, disabled__ne=True, id__ne=user.id).count()
        if not others:
            raise AccountError(f"{user.username} is the only administrator; promote someone first.")
    changes = {
        "promote": {"set__is_admin": True},
        "demote": {"set__is_admin": False},
        "disable": {"set__disabled": True, "inc__session_epoch": 1},  # signed out at once
        "enable": {"set__disabled": False},
        "grant-editor": {"set__library_editor": True},
        "revoke-editor": {"set__library_editor": False},
    }[action]
    User.objects(id=user.id).update(**changes)
    user.reload()
    return user


def invite_token(created_by: User | None) -> str:
    """A one-time invitation to create an account."""
    return AccountToken.issue("invite", current_app.config["INVITE_HOURS"], created_by=created_by)


def reset_token(user: User, created_by: User | None) -> str:
    """A one-time link with which ``user`` sets a new password."""
    return AccountToken.issue("reset", current_app.config["RESET_HOURS"], user=user,
                              created_by=created_by)  # fmt: skip
