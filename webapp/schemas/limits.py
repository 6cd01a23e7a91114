"""Limits on what people send: used by the schemas, and by the pages and forms that say them."""

from __future__ import annotations

ID_LENGTH = 64  # ids are opaque strings, never longer
MAX_QUERY_LENGTH = 300  # a mood described in words
MAX_COUNT = 100  # tracks in one generation
MAX_SEED = 2**31 - 1
MAX_MS = 24 * 3600 * 1000  # positions and elapsed times while listening
CONTEXT_KEYS = ("page", "playlist_id", "room", "session_id")  # where feedback happened
MAX_NAME = 120  # playlist and blend names
MAX_DESCRIPTION = 2000  # playlist descriptions
MAX_MEMBERS = 10  # people in one blend, its maker included
BLEND_COUNT = (2, 100)
BLEND_WEIGHT = (0.05, 10)
BPM_RANGE = (20, 300)  # a corrected tempo
MAX_REASON = 300  # why a correction was made
MAX_SEARCH_LENGTH = 200  # what is typed into the Library's search
ROOM_ROLES = ("viewer", "editor", "admin")  # roles an invite link can carry
