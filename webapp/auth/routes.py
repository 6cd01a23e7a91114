"""Register, sign in and sign out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from mongoengine import NotUniqueError

from models import AccountToken, User
from models.base import utcnow
from webapp.auth.forms import LoginForm, RegisterForm, ResetForm
from webapp.extensions import limiter
from webapp.services.accounts import registration_mode
from webapp.services.passwords import hash_password, needs_rehash, verify_password

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"], methods=["POST"])
def register():
    """Create an account; the very first account becomes the admin.

    ``REGISTRATION=invite`` needs an unused invitation link (``?invite=``), ``closed``
    refuses every registration (administrators use ``flask users create``).
    """
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    mode = registration_mode()
    invite = AccountToken.valid(request.args.get("invite"), "invite")
    if mode == "closed" or (mode == "invite" and invite is None):
        message = (
            "Registration is closed: ask an administrator for an account."
            if mode == "closed"
            else "You need a valid invitation link to create an account: ask an administrator."
        )
        return render_template("auth/register.html", form=None, refused=message), 403
    form = RegisterForm()
    if form.validate_on_submit():
        if User.by_username(form.username.data):
            form.username.errors.append("That username is taken.")
        else:
            user = User(
                username=form.username.data.strip(),
                display_name=(form.display_name.data or "").strip() or None,
                email=form.email.data or None,
                password_hash=hash_password(form.password.data),
                is_admin=User.objects.count() == 0,
            )
            try:
                user.save()
            except NotUniqueError:
                form.username.errors.append("That username is taken.")
            else:
                if mode == "invite" and not invite.use(user):  # used by someone else just now
                    user.delete()
                    used = "That invitation was just used."
                    return render_template("auth/register.html", form=None, refused=used), 403
                _start_session(user, remember=False)
                flash(f"Welcome to Moodroom, {user.display_name}!", "success")
                return redirect(url_for("main.index"))
    return render_template("auth/register.html", form=form), 200 if request.method == "GET" else 400


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def reset_password(token: str):
    """Set a new password with a one-time link from an administrator; signs out everywhere."""
    link = AccountToken.valid(token, "reset")
    if link is None or link.user is None:
        return render_template("auth/reset.html", form=None,
                               refused="This link is not valid any more."), 404  # fmt: skip
    form = ResetForm()
    if form.validate_on_submit():
        user = link.user
        if not link.use(user):
            return render_template("auth/reset.html", form=None,
                                   refused="This link was just used."), 404  # fmt: skip
        User.objects(id=user.id).update(set__password_hash=hash_password(form.password.data))
        user.sign_out_everywhere()
        logout_user()
        session.clear()
        flash("Your password is changed: sign in with it.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, who=link.user.username), (
        200 if request.method == "GET" else 400
    )


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    """Sign in with username and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = User.by_username(form.username.data)
        if user and user.is_active and verify_password(user.password_hash, form.password.data):
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(form.password.data)
            _start_session(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        flash("Wrong username or password.", "error")
    status = 200 if request.method == "GET" else 401
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Sign out and forget the session."""
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


def _start_session(user: User, remember: bool) -> None:
    # A fresh session on sign-in defeats session fixation.
    session.clear()
    login_user(user, remember=remember)
    user.last_login = utcnow()
    user.save()


def _safe_next(target: str | None) -> str:
    """Only follow ``next`` to a path on this site."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return url_for("main.index")
