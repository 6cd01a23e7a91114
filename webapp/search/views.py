"""JSON shapes of generation sessions."""

from __future__ import annotations

from models import GenerationSession, Track


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
    }
    if session.status != "completed":
        return body
    by_id = {c.track_id: c for c in session.candidates}
    # Only what the list shows: a track's tag scores and search words are most of its bytes.
    fields = ("path", "duration", "tags", "features")
    tracks = {t.id: t for t in Track.objects(id__in=list(session.ordering)).only(*fields)}
    for position, track_id in enumerate(session.ordering):
        track, candidate = tracks.get(track_id), by_id.get(track_id)
        if track is None:  # deleted since: skip rather than fail the whole page
            continue
        f = track.features
        body["tracks"].append(
            {
                "position": position,
                "id": track_id,
                "title": track.display_title,
                "artist": track.tags.artist,
                "album": track.tags.album,
                "duration": track.duration,
                "bpm": round(f.bpm, 1) if f and f.bpm else None,
                "key": f"{f.key} {f.scale}" if f and f.key else None,
                "camelot": f.camelot if f else None,
                "energy": round(f.energy, 3) if f and f.energy is not None else None,
                "score": candidate.score if candidate else None,
                "parts": candidate.parts if candidate else {},
                "reason": candidate.reason if candidate else "",
            }
        )
    return body


def _parsed_summary(parsed: dict) -> dict:
    keys = ("moods", "targets", "constraints", "length", "arc", "arc_label", "matched", "warnings")
    return {k: parsed.get(k) for k in keys if k in parsed}
