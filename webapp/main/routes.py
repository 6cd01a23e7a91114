"""The home page."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory
from flask_login import current_user

from models import Mood, Track

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Home: a welcome for visitors, a dashboard for signed-in people."""
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    stats = {
        "tracks": Track.objects(available=True).count(),
        "analysed": Track.objects(available=True, analysis__status="done").count(),
        "moods": Mood.objects.count(),
    }
    moods = Mood.objects.order_by("order").only("key", "label", "emoji")
    return render_template("main/index.html", stats=stats, moods=moods)


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico on their own: answer with the SVG icon."""
    return send_from_directory(
        current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400
    )
