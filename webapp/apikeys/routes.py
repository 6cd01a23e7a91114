"""``/account/api-keys``: a person's keys for Subsonic apps.

A new key is shown once, on the page that answers its creation (never stored,
never put in a URL or a flash message kept in the session); the list shows each
key's name, its first characters and when it was last used.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from models import ApiKey
from models.apikey import MAX_KEYS_PER_USER
from models.base import iso_ms

bp = Blueprint("apikeys", __name__, url_prefix="/account/api-keys")


class NewKeyForm(FlaskForm):
    name = StringField("Name (the app or device)", validators=[DataRequired(), Length(1, 64)])


class RevokeForm(FlaskForm):
    pass


def _page(form, new_key: str | None = None, status: int = 200):
    keys = ApiKey.objects(user=current_user.id).order_by("-created_at")
    rows = [(k, iso_ms(k.last_used_ms)) for k in keys]
    server = request.host_url.rstrip("/")
    return render_template("apikeys/page.html", form=form, revoke=RevokeForm(), rows=rows,
                           new_key=new_key, server=server), status  # fmt: skip


@bp.get("")
@login_required
def page():
    return _page(NewKeyForm())


@bp.post("")
@login_required
def create():
    form = NewKeyForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    if ApiKey.objects(user=current_user.id).count() >= MAX_KEYS_PER_USER:
        form.name.errors.append(f"You have {MAX_KEYS_PER_USER} keys; revoke one first.")
        return _page(form, status=409)
    _, key = ApiKey.issue(current_user.id, form.name.data.strip())
    response = _page(NewKeyForm(formdata=None), new_key=key, status=201)
    return response[0], response[1], {"Cache-Control": "no-store"}


@bp.post("/<key_id>/revoke")
@login_required
def revoke(key_id: str):
    if not RevokeForm().validate_on_submit():
        abort(400, description="The form expired; reload the page.")
    deleted = ApiKey.objects(id=key_id, user=current_user.id).delete()
    if not deleted:
        abort(404)
    flash("The key is revoked: apps using it are signed out.", "info")
    return redirect(url_for("apikeys.page"), 303)
