"""An OpenAPI 3 description of ``/rest/`` (served at ``/rest/openapi.json``).

Written from the same endpoint table the dispatcher uses, with each method's
parameters; tests/test_subsonic_schemathesis.py fuzzes every operation from it.
Subsonic answers errors inside a 200 envelope, so every operation documents 200.
"""

from __future__ import annotations

from webapp.subsonic.lists import LIST_TYPES
from webapp.subsonic.registry import ENDPOINTS
from webapp.subsonic.responses import API_VERSION, ERROR_CODES

S, N, B = {"type": "string"}, {"type": "integer"}, {"type": "string", "enum": ["true", "false"]}
ID = {"type": "string", "maxLength": 64}
LIST_TYPE = {"type": "string", "enum": list(LIST_TYPES)}
IDS = {"type": "array", "items": ID}
# method -> (required parameters, optional parameters)
PARAMETERS: dict[str, tuple[dict, dict]] = {
    "getArtist": ({"id": ID}, {}),
    "getAlbum": ({"id": ID}, {}),
    "getSong": ({"id": ID}, {}),
    "getMusicDirectory": ({"id": ID}, {}),
    "getSongsByGenre": ({"genre": S}, {"count": N, "offset": N}),
    "getAlbumList2": ({"type": LIST_TYPE},
                      {"size": N, "offset": N, "fromYear": N, "toYear": N, "genre": S}),
    "getRandomSongs": ({}, {"size": N, "genre": S, "fromYear": N, "toYear": N}),
    "search3": ({"query": S}, {"artistCount": N, "artistOffset": N, "albumCount": N,
                               "albumOffset": N, "songCount": N, "songOffset": N}),
    "stream": ({"id": ID}, {"maxBitRate": N, "format": S}),
    "download": ({"id": ID}, {}),
    "getCoverArt": ({"id": ID}, {"size": N}),
    "scrobble": ({"id": ID}, {"submission": B, "time": N}),
    "star": ({}, {"id": IDS, "albumId": IDS, "artistId": IDS}),
    "unstar": ({}, {"id": IDS, "albumId": IDS, "artistId": IDS}),
    "setRating": ({"id": ID, "rating": N}, {}),
    "getPlaylists": ({}, {"username": S}),
    "getPlaylist": ({"id": ID}, {}),
    "createPlaylist": ({}, {"playlistId": ID, "name": S, "songId": IDS}),
    "updatePlaylist": ({"playlistId": ID}, {"name": S, "comment": S, "public": B,
                                            "songIdToAdd": IDS, "songIndexToRemove": {
                                                "type": "array", "items": N}}),
    "deletePlaylist": ({"id": ID}, {}),
    "getSimilarSongs2": ({"id": ID}, {"count": N}),
    "getSimilarSongs": ({"id": ID}, {"count": N}),
    "getTopSongs": ({"artist": S}, {"count": N}),
    "getSonicSimilarTracks": ({"id": ID}, {"count": N}),
    "findSonicPath": ({"startSongId": ID, "endSongId": ID}, {"count": N}),
    "getMoodPlaylist": ({"text": S}, {"count": N}),
    "getAlbumList": ({"type": LIST_TYPE},
                     {"size": N, "offset": N, "fromYear": N, "toYear": N, "genre": S}),
    "search2": ({"query": S}, {"artistCount": N, "albumCount": N, "songCount": N}),
    "getUser": ({"username": S}, {}),
    "getArtistInfo2": ({"id": ID}, {}),
    "getAlbumInfo2": ({"id": ID}, {}),
}  # fmt: skip

# Methods that take ``musicFolderId`` (a 1-based library root).
BY_FOLDER = {"getIndexes", "getArtists", "getSongsByGenre", "getAlbumList2", "getAlbumList",
             "getRandomSongs", "search3", "search2"}  # fmt: skip

ENVELOPE = {
    "type": "object",
    "required": ["subsonic-response"],
    "properties": {"subsonic-response": {
        "type": "object",
        "required": ["status", "version"],
        "properties": {
            "status": {"type": "string", "enum": ["ok", "failed"]},
            "version": {"type": "string"},
            "error": {"type": "object", "required": ["code", "message"], "properties": {
                "code": {"type": "integer", "enum": list(ERROR_CODES)},
                "message": {"type": "string"}}},
        },
    }},
}  # fmt: skip


def _operation(name: str) -> dict:
    required, optional = PARAMETERS.get(name, ({}, {}))
    if name in BY_FOLDER:
        optional = {**optional, "musicFolderId": N}
    params = [{"name": "f", "in": "query", "required": True,
               "schema": {"type": "string", "enum": ["json"]}}]  # fmt: skip
    for names, is_required in ((required, True), (optional, False)):
        for param, schema in names.items():
            params.append({"name": param, "in": "query", "required": is_required,
                           "schema": schema, "style": "form", "explode": True})  # fmt: skip
    responses = {"200": {"description": "The envelope: ok, or an error with its code",
                         "content": {"application/json": {"schema": ENVELOPE}}}}  # fmt: skip
    if name in ("stream", "download", "getCoverArt"):
        responses["206"] = {"description": "Part of the file (HTTP Range)"}
    return {"operationId": name, "parameters": params, "responses": responses}


def build_spec(version: str) -> dict:
    from webapp.subsonic import routes  # noqa: F401 - registers every method

    paths = {f"/rest/{name}": {"get": _operation(name)} for name in sorted(ENDPOINTS)}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Moodroom OpenSubsonic API", "version": version,
                 "description": f"Subsonic API {API_VERSION} with OpenSubsonic extensions"},
        "paths": paths,
        "components": {"securitySchemes": {
            "apiKey": {"type": "apiKey", "in": "query", "name": "apiKey"}}},
        "security": [{"apiKey": []}],
    }  # fmt: skip
