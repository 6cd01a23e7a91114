"""``/settings``: my name, password, sessions, preferences, my data and my account."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from core.taste import MAX_EXCLUDE, parse_exclusions
from models import User
from webapp.extensions import limiter
from webapp.services.passwords import hash_password, verify_password
from webapp.settings.data import delete_account, export_account
from webapp.settings.forms import DeleteForm, PasswordForm, PreferencesForm, ProfileForm

bp = Blueprint("settings", __name__, url_prefix="/settings")
CHECK_LIMIT = "10 per minute"  # password checks: as strict as signing in


def _forms(**given):
    me = current_user
    prefs = me.preferences or {}
    forms = {
        "profile": ProfileForm(display_name=me.display_name),
        "password": PasswordForm(),
        "preferences": PreferencesForm(
            default_count=prefs.get("default_count"),
            exclude=", ".join(prefs.get("exclude") or []),
            energy_scale=prefs.get("energy_scale", "unit"),
        ),
        "delete": DeleteForm(),
    }
    forms.update(given)
    return forms


def _page(status: int = 200, **given):
    return render_template("settings/page.html", **_forms(**given)), status


@bp.get("/")
@login_required
def page():
    return _page()


@bp.post("/profile")
@login_required
def profile():
    form = ProfileForm()
    if not form.validate_on_submit() or not form.display_name.data.strip():
        form.display_name.errors = list(form.display_name.errors) or ["Give a name."]
        return _page(400, profile=form)
    User.objects(id=current_user.id).update(set__display_name=form.display_name.data.strip())
    flash("Your name is changed.", "success")
    return redirect(url_for("settings.page"), 303)


@bp.post("/password")
@login_required
@limiter.limit(CHECK_LIMIT)
def password():
    """Change the password (the current one is required); every other session is signed out."""
    form = PasswordForm()
    if not form.validate_on_submit():
        return _page(400, password=form)
    me = User.objects.get(id=current_user.id)
    if not verify_password(me.password_hash, form.old_password.data):
        form.old_password.errors = ["That is not your current password."]
        return _page(400, password=form)
    User.objects(id=me.id).update(set__password_hash=hash_password(form.password.data))
    me.sign_out_everywhere()
    session.clear()
    login_user(me)  # this session carries on with the new epoch; the others are over
    flash("Your password is changed; your other sessions are signed out.", "success")
    return redirect(url_for("settings.page"), 303)


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """End every session and remember-me cookie of mine, this one included."""
    User.objects.get(id=current_user.id).sign_out_everywhere()
    logout_user()
    session.clear()
    flash("You are signed out everywhere.", "info")
    return redirect(url_for("auth.login"), 303)


@bp.post("/preferences")
@login_required
def preferences():
    """Preferences every generation honours: length, exclusions; how energy is shown."""
    form = PreferencesForm()
    exclude = parse_exclusions(form.exclude.data or "")
    if len(exclude) > MAX_EXCLUDE:
        form.exclude.errors = [f"At most {MAX_EXCLUDE} genres or tags."]
        return _page(400, preferences=form)
    if not form.validate_on_submit():
        return _page(400, preferences=form)
    values = {"default_count": form.default_count.data, "exclude": exclude,
              "energy_scale": form.energy_scale.data}  # fmt: skip
    User.objects(id=current_user.id).update(set__preferences=values)
    flash("Your preferences are saved; the next playlists follow them.", "success")
    return redirect(url_for("settings.page"), 303)


@bp.get("/export")
@login_required
def export():
    """Everything of mine as one JSON file: profile, playlists, feedback, blends, queries."""
    body = json.dumps(export_account(current_user.id), indent=2, default=str)
    name = f"moodroom-{current_user.username}.json"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, mimetype="application/json", headers=disposition)


@bp.post("/delete")
@login_required
@limiter.limit(CHECK_LIMIT)
def delete():
    """Delete my account: playlists handed to a collaborator or deleted, feedback removed,
    blends carry on without me."""
    form = DeleteForm()
    me = User.objects.get(id=current_user.id)
    if not form.validate_on_submit() or not verify_password(me.password_hash, form.password.data):
        form.password.errors = ["Type your password to confirm."]
        return _page(400, delete=form)
    if me.is_admin and not User.objects(is_admin=True, disabled__ne=True, id__ne=me.id).count():
        flash("You are the only administrator: make someone else one first.", "error")
        return _page(409)
    logout_user()
    session.clear()
    report = delete_account(me)
    flash(f"Your account is deleted ({report['playlists_handed_over']} playlists handed over, "
          f"{report['playlists_deleted']} deleted).", "info")  # fmt: skip
    return redirect(url_for("auth.login"), 303)
