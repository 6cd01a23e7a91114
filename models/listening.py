"""What a person listens to: liked tracks (newest first) and top tracks and artists.

Reads ``FeedbackEvent`` (written with the document, so ``created_at`` is a real date and
range queries work) and ``UserLibrary`` (whether a track is liked now).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from models.base import utcnow
from models.feedback import FeedbackEvent
from models.library import UserLibrary
from models.track import Track

PERIODS = {"4w": timedelta(weeks=4), "6m": timedelta(days=182), "all": None}
PERIOD_LABELS = {"4w": "Last 4 weeks", "6m": "Last 6 months", "all": "All time"}


def liked_tracks(user_id: str, limit: int = 200) -> list[Track]:
    """Tracks liked now, the most recently liked first."""
    liked = {row.track.id for row in UserLibrary.objects(user=user_id, liked=True)
             .no_dereference().only("track")}  # fmt: skip
    order, seen = [], set()
    likes = FeedbackEvent.objects(user=user_id, event="like").order_by("-created_at")
    for event in likes.no_dereference().only("track"):
        track_id = event.track.id
        if track_id in liked and track_id not in seen:
            seen.add(track_id)
            order.append(track_id)
    order += sorted(liked - seen)  # liked before likes were logged as events
    tracks = Track.objects.in_bulk(order[:limit])
    return [tracks[i] for i in order[:limit] if i in tracks]


def top_played(user_id: str, period: str, limit: int = 10, now: datetime | None = None) -> dict:
    """``{"tracks": [(Track, plays)], "artists": [(artist, plays)]}`` over ``period``
    (a key of ``PERIODS``), counting plays."""
    query = {"user": user_id, "event": "play"}
    span = PERIODS[period]
    if span is not None:
        query["created_at__gte"] = (now or utcnow()) - span
    plays = Counter(e.track.id for e in FeedbackEvent.objects(**query).no_dereference()
                    .only("track"))  # fmt: skip
    tracks = Track.objects.in_bulk(list(plays))
    artists = Counter()
    for track_id, n in plays.items():
        if track_id in tracks:
            artists[tracks[track_id].tags.artist or "Unknown artist"] += n
    ranked = sorted((t for t in plays if t in tracks),
                    key=lambda t: (-plays[t], tracks[t].display_title.casefold()))  # fmt: skip
    return {
        "tracks": [(tracks[t], plays[t]) for t in ranked[:limit]],
        "artists": sorted(artists.items(), key=lambda kv: (-kv[1], kv[0].casefold()))[:limit],
    }
