"""JSON shapes of generation sessions."""

from __future__ import annotations

from core.preferences import energy_label
from models import GenerationSession, Track
from models.correction import corrected_features, effective_corrections


def generation_payload(session: GenerationSession) -> dict:
    """What the mood page needs to show one generation."""
    query = session.mood_query
    body = {
        "session": session.id,
        "status": session.status,
        "error": session.error,
        "text": query.text if query else None,
        "parsed": _parsed_summary(query.parsed if query else {}),
        "tracks": [],
        "stats": session.stats or {},
        "timings": session.timings or {},
        "algorithms": session.algorithms or {},
        # How much of the library was analysed when this ran (a first scan may be going on).
        "library": (session.stats or {}).get("library"),
    }
    scale = (session.user.preferences or {}).get("energy_scale", "unit")
    body["energy_scale"] = scale
    if session.status != "completed":
        return body
    by_id = {c.track_id: c for c in session.candidates}
    tracks = Track.objects.in_bulk(list(session.ordering))
    corrections = effective_corrections(list(session.ordering))
    for position, track_id in enumerate(session.ordering):
        track, candidate = tracks.get(track_id), by_id.get(track_id)
        if track is None:  # deleted since: skip rather than fail the whole page
            continue
        f = track.features
        fixed = corrections.get(track_id)
        shown = corrected_features(f.to_mongo().to_dict() if f else {}, fixed)
        body["tracks"].append(
            {
                "position": position,
                "id": track_id,
                "title": track.display_title,
                "artist": track.tags.artist,
                "album": track.tags.album,
                "duration": track.duration,
                "bpm": round(shown["bpm"], 1) if shown.get("bpm") else None,
                "key": f"{shown['key']} {shown.get('scale')}" if shown.get("key") else None,
                "camelot": shown.get("camelot"),
                "corrected": sorted(fixed or {}),  # fields an editor corrected
                "energy": round(f.energy, 3) if f and f.energy is not None else None,
                "energy_label": energy_label(f.energy if f else None, scale),
                "score": candidate.score if candidate else None,
                "parts": candidate.parts if candidate else {},
                "reason": candidate.reason if candidate else "",
            }
        )
    return body


def _parsed_summary(parsed: dict) -> dict:
    keys = ("moods", "targets", "constraints", "length", "arc", "arc_label", "matched", "warnings")
    return {k: parsed.get(k) for k in keys if k in parsed}
