"""Operations on the library, tracks, mood generations, listening and taste."""

from __future__ import annotations

from webapp.api.openapi import (
    SIGNED_IN,
    SIGNED_IN_WITH_CSRF,
    body,
    errors,
    json_response,
    path_param,
    query_param,
)

TRACK_ID = path_param("track_id", "A library track id")
SESSION_ID = path_param("session_id", "A generation id from `POST /api/moods/generate`")


def _count(default: int, low: int, high: int) -> dict:
    return query_param(
        "count",
        {"type": "integer", "default": default, "minimum": low, "maximum": high},
        f"How many tracks; clamped to {low}-{high}, anything else means {default}",
    )


PATHS: dict[str, dict] = {
    "/api/library/status": {"get": {
        "tags": ["library"], "summary": "Tracks per analysis status and the latest failures",
        "security": SIGNED_IN,
        "responses": {"200": json_response("Counts and failures", "LibraryStatus"),
                      **errors(401)},
    }},
    "/api/moods/generate": {"post": {
        "tags": ["moods"], "summary": "Queue a playlist for a mood described in words",
        "security": SIGNED_IN_WITH_CSRF, "requestBody": body("MoodRequest"),
        "responses": {"202": json_response("Queued; poll `url`", "GenerationStarted"),
                      **errors(401, 400, 413)},
    }},
    "/api/generations/{session_id}": {"get": {
        "tags": ["moods"], "summary": "Status, parsed mood and (when completed) the tracks",
        "security": SIGNED_IN, "parameters": [SESSION_ID],
        "responses": {"200": json_response("The generation", "Generation"),
                      **errors(401, 404)},
    }},
    "/api/tracks/{track_id}/similar": {"get": {
        "tags": ["tracks"], "summary": "Tracks that sound alike",
        "security": SIGNED_IN, "parameters": [TRACK_ID, _count(10, 1, 50)],
        "responses": {"200": json_response("Nearest tracks", "SimilarTracks"),
                      **errors(401, 404)},
    }},
    "/api/path": {"get": {
        "tags": ["tracks"], "summary": "An ordered bridge of tracks from one track to another",
        "security": SIGNED_IN,
        "parameters": [
            query_param("from", {"type": "string"}, "Start track id", required=True),
            query_param("to", {"type": "string"}, "Destination track id", required=True),
            _count(8, 3, 30),
        ],
        "responses": {"200": json_response("The path, start and destination included",
                                           "TrackPath"), **errors(401, 404)},
    }},
    "/api/tracks/search": {"get": {
        "tags": ["tracks"], "summary": "Tracks whose words start with the query's words",
        "security": SIGNED_IN,
        "parameters": [query_param("q", {"type": "string"}, "Up to 5 words are used")],
        "responses": {"200": json_response("At most 25 tracks", "Tracks"), **errors(401)},
    }},
    "/api/tracks/{track_id}/stream": {"get": {
        "tags": ["tracks"], "summary": "The audio file, with HTTP Range support",
        "security": SIGNED_IN,
        "parameters": [TRACK_ID, {"name": "Range", "in": "header", "required": False,
                                  "schema": {"type": "string", "example": "bytes=0-1023"}}],
        "responses": {
            "200": {"description": "The whole file",
                    "content": {"audio/*": {"schema": {"type": "string", "format": "binary"}}}},
            "206": {"description": "The requested range"},
            "304": {"description": "Not modified (conditional request)"},
            "416": {"description": "A range the file cannot satisfy"},
            **errors(401, 403, 404),
        },
    }},
    "/api/feedback": {"post": {
        "tags": ["listening"], "summary": "Record play / complete / skip / like / dislike",
        "security": SIGNED_IN_WITH_CSRF, "requestBody": body("Feedback"),
        "responses": {"201": json_response("Recorded, with the track's new counters",
                                           "FeedbackRecorded"), **errors(401, 400, 404, 413)},
    }},
    "/api/taste/reset": {"post": {
        "tags": ["listening"], "summary": "Forget learned taste (history stays)",
        "security": SIGNED_IN_WITH_CSRF,
        "responses": {"200": json_response("Done", "Ok"), **errors(401)},
    }},
    "/api/tracks/{track_id}/correction": {"post": {
        "tags": ["library"], "summary": "Correct a track's tempo or key (editors and admins)",
        "description": "Kept apart from the analysis: survives re-analysis and rescans, and "
                       "is what the catalog, sequencing and reasons use.",
        "security": SIGNED_IN_WITH_CSRF, "parameters": [TRACK_ID],
        "requestBody": body("CorrectionRequest"),
        "responses": {"201": json_response("Effective corrections and history", "Corrections"),
                      **errors(401, 400, 403, 404, 413)},
    }},
    "/api/tracks/{track_id}/corrections": {"get": {
        "tags": ["library"], "summary": "A track's corrections, with who made them and why",
        "security": SIGNED_IN, "parameters": [TRACK_ID],
        "responses": {"200": json_response("Effective corrections and history", "Corrections"),
                      **errors(401, 404)},
    }},
}  # fmt: skip
