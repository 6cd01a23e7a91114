"""The home page."""

from __future__ import annotations

from flask import Blueprint, render_template
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
