"""Operations behind the Library's search, the "Add to playlist…" picker and /history's
liked and most played lists."""

from __future__ import annotations

from webapp.api.openapi import (
    SIGNED_IN,
    SIGNED_IN_WITH_CSRF,
    errors,
    json_response,
    path_param,
    query_param,
)

_TRACKS = {"$ref": "#/components/schemas/Track"}
_PLAYLIST = {"type": "object", "required": ["id", "name"],
             "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}  # fmt: skip

PATHS: dict[str, dict] = {
    "/api/library/search": {"get": {
        "tags": ["library"], "summary": "Tracks matching every word typed (as word prefixes)",
        "description": "Title, artist, album, genre and each track's strongest tags are "
                       "searched; the first 50 matches by title, and how many matched.",
        "security": SIGNED_IN,
        "parameters": [query_param("q", {"type": "string", "maxLength": 200},
                                   "What was typed; empty gives no tracks")],
        "responses": {"200": json_response("Matches", {
            "type": "object", "required": ["total", "tracks"],
            "properties": {"total": {"type": "integer"},
                           "tracks": {"type": "array", "items": _TRACKS}}}),
            **errors(401)},
    }},
    "/api/playlists/editable": {"get": {
        "tags": ["playlists"], "summary": "Playlists I may add tracks to",
        "security": SIGNED_IN,
        "responses": {"200": json_response("Most recently edited first", {
            "type": "object", "required": ["playlists"],
            "properties": {"playlists": {"type": "array", "items": _PLAYLIST}}}),
            **errors(401)},
    }},
    "/api/playlists/{playlist_id}/tracks": {"post": {
        "tags": ["playlists"], "summary": "Add a track at the end (as a room op)",
        "description": "Owners, admins and editors; people with the room open see it at once.",
        "security": SIGNED_IN_WITH_CSRF,
        "parameters": [path_param("playlist_id", "A playlist id")],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["track_id"],
            "properties": {"track_id": {"type": "string", "maxLength": 64}}}}}},
        "responses": {"201": json_response("Added", {
            "type": "object", "required": ["playlist", "name", "seq"],
            "properties": {"playlist": {"type": "string"}, "name": {"type": "string"},
                           "seq": {"type": "integer"}}}),
            **errors(401, 400, 403, 404, 413)},
    }},
    "/api/me/liked": {"get": {
        "tags": ["listening"], "summary": "The tracks I like now, most recently liked first",
        "security": SIGNED_IN,
        "responses": {"200": json_response("Liked tracks", {
            "type": "object", "required": ["tracks"],
            "properties": {"tracks": {"type": "array", "items": _TRACKS}}}),
            **errors(401)},
    }},
    "/api/me/top": {"get": {
        "tags": ["listening"], "summary": "My most played tracks and artists",
        "security": SIGNED_IN,
        "parameters": [
            query_param("period", {"type": "string", "enum": ["4w", "6m", "all"],
                                   "default": "4w"}, "Last 4 weeks, 6 months or all time"),
            query_param("count", {"type": "integer", "default": 10, "minimum": 1,
                                  "maximum": 50}, "How many of each; clamped to 1-50"),
        ],
        "responses": {"200": json_response("Plays per track and per artist", {
            "type": "object", "required": ["period", "tracks", "artists"],
            "properties": {
                "period": {"type": "string"},
                "tracks": {"type": "array", "items": {"allOf": [_TRACKS, {
                    "type": "object", "properties": {"plays": {"type": "integer"}}}]}},
                "artists": {"type": "array", "items": {"type": "object", "properties": {
                    "artist": {"type": "string"}, "plays": {"type": "integer"}}}}}}),
            **errors(401, 400)},
    }},
}  # fmt: skip
