"""Operations on saved playlists, blends, rooms, health and this document."""

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

PLAYLIST_ID = path_param("playlist_id", "A playlist id")
BLEND_ID = path_param("blend_id", "A blend id")

PATHS: dict[str, dict] = {
    "/api/generations/{session_id}/save": {"post": {
        "tags": ["playlists"], "summary": "Save a completed generation as my playlist",
        "security": SIGNED_IN_WITH_CSRF,
        "parameters": [path_param("session_id", "A completed generation")],
        "requestBody": body("SaveRequest", required=False),
        "responses": {"201": json_response("The new playlist", "SavedPlaylist"),
                      **errors(401, 400, 404, 409, 413)},
    }},
    "/api/playlists/{playlist_id}/more": {"get": {
        "tags": ["playlists"], "summary": "Tracks that would fit this playlist",
        "security": SIGNED_IN,
        "parameters": [PLAYLIST_ID, query_param(
            "count", {"type": "integer", "default": 10, "minimum": 1, "maximum": 50},
            "How many; clamped to 1-50")],
        "responses": {"200": json_response("Suggestions with reasons", "PlaylistSuggestions"),
                      **errors(401, 404)},
    }},
    "/api/blends": {"post": {
        "tags": ["blends"], "summary": "Blend 2-10 people's taste into one playlist",
        "security": SIGNED_IN_WITH_CSRF, "requestBody": body("BlendRequest"),
        "description": "The caller is always a member and accepted; the others are invited "
                       "and only count once they accept (`pending` names them).",
        "responses": {"201": json_response("The blend, waiting for invitations", "Blend"),
                      **errors(401, 400, 404, 409, 413)},
    }},
    "/api/blends/{blend_id}": {"get": {
        "tags": ["blends"], "summary": "A blend I am in or invited to, with who is pending",
        "security": SIGNED_IN, "parameters": [BLEND_ID],
        "responses": {"200": json_response("Members and their status", "Blend"),
                      **errors(401, 404)},
    }},
    "/api/blends/{blend_id}/accept": {"post": {
        "tags": ["blends"], "summary": "Accept an invitation: my taste counts from now on",
        "security": SIGNED_IN_WITH_CSRF, "parameters": [BLEND_ID],
        "responses": {"200": json_response("The blend", "Blend"), **errors(401, 404)},
    }},
    "/api/blends/{blend_id}/leave": {"post": {
        "tags": ["blends"], "summary": "Decline an invitation or leave a blend (not its owner)",
        "security": SIGNED_IN_WITH_CSRF, "parameters": [BLEND_ID],
        "responses": {"200": json_response("Left", "BlendLeft"), **errors(401, 404, 409)},
    }},
    "/api/blends/{blend_id}/invite": {"post": {
        "tags": ["blends"], "summary": "Invite more people (the owner); pending until they accept",
        "security": SIGNED_IN_WITH_CSRF, "parameters": [BLEND_ID],
        "requestBody": body("BlendInvite"),
        "responses": {"200": json_response("The blend", "Blend"),
                      **errors(401, 400, 403, 404, 409, 413)},
    }},
    "/api/blends/{blend_id}/regenerate": {"post": {
        "tags": ["blends"], "summary": "A new run of a blend I am in (earlier runs stay)",
        "security": SIGNED_IN_WITH_CSRF,
        "description": "Mixes the members who accepted; 409 until two people have.",
        "parameters": [BLEND_ID],
        "responses": {"201": json_response("The new run", "BlendRun"),
                      **errors(401, 404, 409)},
    }},
    "/rooms/{playlist_id}/invites": {"post": {
        "tags": ["rooms"], "summary": "An invite link carrying a role (owner and admins)",
        "security": SIGNED_IN_WITH_CSRF, "parameters": [PLAYLIST_ID],
        "requestBody": body("InviteRequest", required=False),
        "responses": {"201": json_response("The link", "Invite"),
                      **errors(401, 400, 403, 404, 413)},
    }},
    "/rooms/{playlist_id}/visibility": {"post": {
        "tags": ["rooms"], "summary": "Make a playlist public or private (owner and admins)",
        "security": SIGNED_IN_WITH_CSRF, "parameters": [PLAYLIST_ID],
        "requestBody": body("Visibility"),
        "responses": {"200": json_response("The new setting", "Visibility"),
                      **errors(401, 400, 403, 404, 413)},
    }},
    "/healthz": {"get": {
        "tags": ["service"], "summary": "Are MongoDB, Redis and both Celery pools up?",
        "security": [],
        "responses": {"200": json_response("All up", "Health"),
                      "503": json_response("Something is down (named)", "Health")},
    }},
    "/api/openapi.json": {"get": {
        "tags": ["service"], "summary": "This document", "security": [],
        "responses": {"200": json_response("OpenAPI 3.0", {"type": "object"})},
    }},
}  # fmt: skip
