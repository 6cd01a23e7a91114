"""JSON shapes of generation sessions."""

from __future__ import annotations

from core.taste import energy_label
from models import GenerationSession, MoodQuery, User, track_rows
from models.correction import corrected_features, effective_corrections
from models.track import title_of


def generation_payload(session: GenerationSession) -> dict:
    """What the mood page needs to show one generation."""
    return _payload(GenerationSession.plain(session.id))


def generation_payload_for(session_id: str, user_id: str) -> dict | None:
    """The payload of ``user_id``'s generation ``session_id``, or ``None`` when not theirs.

    Plain documents throughout: the page polls this, and building MongoEngine objects
    for a session's candidates and tracks took most of the request's time."""
    doc = GenerationSession.plain(session_id, user=user_id)
    return None if doc is None else _payload(doc)


def _payload(doc: dict) -> dict:
    query = None
    if doc.get("mood_query"):
        query = MoodQuery.plain(doc["mood_query"], "text", "parsed")
    body = {
        "session": doc["_id"],
        "status": doc.get("status", "pending"),
        "error": doc.get("error"),
        "text": query.get("text") if query else None,
        "parsed": _parsed_summary((query or {}).get("parsed") or {}),
        "tracks": [],
        "stats": doc.get("stats") or {},
        "timings": doc.get("timings") or {},
        "algorithms": doc.get("algorithms") or {},
        # How much of the library was analysed when this ran (a first scan may be going on).
        "library": (doc.get("stats") or {}).get("library"),
    }
    person = User.plain(doc.get("user"), "preferences") or {}
    scale = (person.get("preferences") or {}).get("energy_scale", "unit")
    body["energy_scale"] = scale
    if body["status"] != "completed":
        return body
    ordering = doc.get("ordering") or []
    by_id = {c["track_id"]: c for c in doc.get("candidates") or []}
    # Only what the list shows: a track's tag scores and search words are most of its bytes.
    tracks = track_rows.rows_by_id(ordering, "path", "duration", "tags", "features")
    corrections = effective_corrections(list(ordering))
    for position, track_id in enumerate(ordering):
        track, candidate = tracks.get(track_id), by_id.get(track_id) or {}
        if track is None:  # deleted since: skip rather than fail the whole page
            continue
        tags, f = track.get("tags") or {}, track.get("features") or {}
        fixed = corrections.get(track_id)
        shown = corrected_features(f, fixed)
        body["tracks"].append(
            {
                "position": position,
                "id": track_id,
                "title": title_of(tags, track["path"]),
                "artist": tags.get("artist"),
                "album": tags.get("album"),
                "duration": track.get("duration"),
                "bpm": round(shown["bpm"], 1) if shown.get("bpm") else None,
                "key": f"{shown['key']} {shown.get('scale')}" if shown.get("key") else None,
                "camelot": shown.get("camelot"),
                "corrected": sorted(fixed or {}),  # fields an editor corrected
                "energy": round(f["energy"], 3) if f.get("energy") is not None else None,
                "energy_label": energy_label(f.get("energy"), scale),
                "score": candidate.get("score"),
                "parts": candidate.get("parts") or {},
                "reason": candidate.get("reason") or "",
            }
        )
    return body


def _parsed_summary(parsed: dict) -> dict:
    keys = ("moods", "targets", "constraints", "length", "arc", "arc_label", "matched", "warnings")
    return {k: parsed.get(k) for k in keys if k in parsed}
