"""Administration: people (roles, disabling, password-reset links) and account invitations."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from models import AccountToken, User
from webapp.services.accounts import (
    ROLE_ACTIONS,
    AccountError,
    apply_action,
    invite_token,
    registration_mode,
    reset_token,
)
from webapp.services.roles import admin_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@admin_required
def page():
    """Everyone's account, the registration setting and open invitations."""
    users = User.objects.order_by("username_key").only(
        "id",
        "username",
        "display_name",
        "is_admin",
        "library_editor",
        "disabled",
        "last_login",
        "created_at",
    )
    invites = AccountToken.objects(purpose="invite", used_at=None).order_by("-created_at")
    return render_template("admin/page.html", users=users, invites=invites,
                           mode=registration_mode())  # fmt: skip


@bp.post("/users/<user_id>/<action>")
@admin_required
def change(user_id: str, action: str):
    """Promote, demote, disable or enable one account."""
    user = User.objects(id=user_id).first()
    if user is None or action not in ROLE_ACTIONS:
        abort(404)
    try:
        apply_action(user, action)
    except AccountError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.page"), 303)
    flash(f"{user.username}: {action.replace('-', ' ')} done.", "success")
    return redirect(url_for("admin.page"), 303)


@bp.post("/users/<user_id>/reset-link")
@admin_required
def reset_link(user_id: str):
    """A one-time link with which this person sets a new password (shown once)."""
    user = User.objects(id=user_id).first()
    if user is None:
        abort(404)
    token = reset_token(user, created_by=current_user._get_current_object())
    url = url_for("auth.reset_password", token=token, _external=True)
    flash(f"Password-reset link for {user.username} (works once): {url}", "info")
    return redirect(url_for("admin.page"), 303)


@bp.post("/invites")
@admin_required
def create_invite():
    """A one-time link with which someone creates an account (shown once)."""
    token = invite_token(created_by=current_user._get_current_object())
    url = url_for("auth.register", invite=token, _external=True)
    flash(f"Invitation link (works once): {url}", "info")
    return redirect(url_for("admin.page"), 303)


@bp.post("/invites/<invite_id>/revoke")
@admin_required
def revoke_invite(invite_id: str):
    AccountToken.objects(id=invite_id, purpose="invite", used_at=None).delete()
    return redirect(url_for("admin.page"), 303)
