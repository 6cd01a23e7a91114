"""Listening history, simple statistics and the person's taste (with a reset)."""

from __future__ import annotations

import time
from collections import Counter

from flask import Blueprint, jsonify, render_template
from flask_login import current_user, login_required

from models import FeedbackEvent, MoodQuery, Track, User, listening
from tasks.taste import person_taste
from webapp.schemas.fields import Ok
from webapp.schemas.listening import TopArgs, TopPlayed
from webapp.schemas.tracks import Tracks
from webapp.validation import arguments, response

bp = Blueprint("history", __name__)
RECENT = 50
TEMPO_BINS = [(0, 80), (80, 100), (100, 120), (120, 140), (140, 1000)]
ENERGY_BINS = [(0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 1.01)]


@bp.get("/history")
@login_required
def page():
    """Recent listening, what was liked or skipped, and the moods asked for most."""
    events = list(FeedbackEvent.objects(user=current_user.id).order_by("-created_at")
                  .limit(RECENT))  # fmt: skip
    tracks = Track.objects.in_bulk(list({e.track.id for e in events}))
    played = [tracks[e.track.id] for e in events if e.event == "play" and e.track.id in tracks]
    moods = Counter()
    for query in MoodQuery.objects(user=current_user.id).order_by("-created_at").limit(200):
        top = sorted((query.parsed or {}).get("moods", {}).items(), key=lambda kv: -kv[1])[:1]
        moods.update(key for key, _ in top)
    return render_template(
        "history/page.html",
        events=[(e, tracks.get(e.track.id)) for e in events],
        counts=Counter(e.event for e in FeedbackEvent.objects(user=current_user.id).only("event")),
        top_moods=moods.most_common(5),
        tempo=_histogram([t.features.bpm for t in played if t.features], TEMPO_BINS),
        energy=_histogram([t.features.energy for t in played if t.features], ENERGY_BINS),
        taste=_taste_summary(),
        liked=listening.liked_tracks(current_user.id, limit=100),
        top={p: listening.top_played(current_user.id, p) for p in listening.PERIODS},
        period_labels=listening.PERIOD_LABELS,
    )


def _track_json(track: Track) -> dict:
    return {"id": track.id, "title": track.display_title, "artist": track.tags.artist,
            "album": track.tags.album, "duration": track.duration}  # fmt: skip


@bp.get("/api/me/liked")
@login_required
@response(Tracks, description="Liked tracks")
def liked_api():
    """The tracks I like now, the most recently liked first."""
    return jsonify({"tracks": [_track_json(t) for t in listening.liked_tracks(current_user.id)]})


@bp.get("/api/me/top")
@login_required
@arguments(TopArgs)
@response(TopPlayed, description="Plays per track and per artist")
def top_api(args: dict):
    """My most played tracks and artists over ``period``: 4w, 6m or all (default 4w)."""
    period = args["period"]
    top = listening.top_played(current_user.id, period, limit=args["count"])
    return jsonify(
        {
            "period": period,
            "tracks": [{**_track_json(t), "plays": n} for t, n in top["tracks"]],
            "artists": [{"artist": a, "plays": n} for a, n in top["artists"]],
        }
    )


@bp.post("/api/taste/reset")
@login_required
@response(Ok, description="Done")
def reset_taste():
    """Forget learned taste: feedback before now no longer steers rankings (it stays in history)."""
    User.objects(id=current_user.id).update(set__preferences__taste_reset_ts=time.time())
    return jsonify({"ok": True})


def _histogram(values, bins) -> list[dict]:
    total = max(len(values), 1)
    out = []
    for low, high in bins:
        n = sum(1 for v in values if v is not None and low <= v < high)
        out.append({"low": low, "high": high, "count": n, "share": n / total})
    return out


def _taste_summary() -> dict | None:
    from webapp.catalog import catalog_cache

    loaded = catalog_cache().get()
    if loaded is None:
        return None
    model = person_taste(current_user.id, loaded[0])[0]
    return model.summary(loaded[0])
