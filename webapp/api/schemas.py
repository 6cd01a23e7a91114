"""Component schemas: request bodies the views accept and the JSON they answer."""

from __future__ import annotations

from models.blend import BLEND_ALGORITHMS
from models.feedback import FEEDBACK_EVENTS
from models.generation import GENERATION_STATUSES
from webapp.player.routes import CONTEXT_KEYS, MAX_MS
from webapp.search.routes import MAX_COUNT, MAX_QUERY_LENGTH

TEXT = {"type": "string", "pattern": r"\S"}  # at least one non-space character
ID = {"type": "string", "maxLength": 64}
OBJECT = {"type": "object", "additionalProperties": True}
NUMBER_OR_NULL = {"type": "number", "nullable": True}


def _obj(required: list[str] | None = None, **properties) -> dict:
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def _list(item: dict | str) -> dict:
    return {
        "type": "array",
        "items": {"$ref": f"#/components/schemas/{item}"} if isinstance(item, str) else item,
    }


TRACK = _obj(
    ["id", "title"],
    id=ID,
    title={"type": "string"},
    artist={"type": "string", "nullable": True},
    album={"type": "string", "nullable": True},
    bpm=NUMBER_OR_NULL,
    key={"type": "string", "nullable": True},
    camelot={"type": "string", "nullable": True},
    energy=NUMBER_OR_NULL,
    duration=NUMBER_OR_NULL,
    reason={"type": "string"},
    position={"type": "integer"},
    score=NUMBER_OR_NULL,
    similarity={"type": "number"},
)

SCHEMAS: dict[str, dict] = {
    "Error": _obj(["error"], error={"type": "string", "description": "What to fix, in words"}),
    "Ok": _obj(["ok"], ok={"type": "boolean", "enum": [True]}),
    "Track": TRACK,
    "MoodRequest": _obj(
        ["text"],
        text={**TEXT, "maxLength": MAX_QUERY_LENGTH, "example": "rainy sunday morning, calm"},
        count={"type": "integer", "minimum": 1, "maximum": MAX_COUNT, "nullable": True},
        seed={"type": "integer", "minimum": 0, "maximum": 2**31 - 1, "default": 0},
    ),
    "GenerationStarted": _obj(
        ["session", "status", "url"], session=ID, status={"type": "string"}, url={"type": "string"}
    ),
    "Generation": _obj(
        ["session", "status", "tracks"],
        session=ID,
        status={"type": "string", "enum": list(GENERATION_STATUSES)},
        error={"type": "string", "nullable": True},
        text={"type": "string", "nullable": True},
        parsed=OBJECT,
        tracks=_list("Track"),
        stats=OBJECT,
        timings=OBJECT,
        algorithms=OBJECT,
        library={
            **OBJECT,
            "nullable": True,
            "description": "analysed / total / waiting / in_catalog tracks, and a notice "
            "while a scan is still analysing",
        },
    ),
    "SaveRequest": _obj(name={**TEXT, "description": "Defaults to the mood text; cut to 120"}),
    "SavedPlaylist": _obj(
        ["playlist", "name", "url"], playlist=ID, name={"type": "string"}, url={"type": "string"}
    ),
    "Tracks": _obj(["tracks"], tracks=_list("Track")),
    "SimilarTracks": _obj(["track", "similar"], track=ID, similar=_list("Track")),
    "TrackPath": _obj(["from", "to", "tracks"], tracks=_list("Track"), **{"from": ID, "to": ID}),
    "PlaylistSuggestions": _obj(["tracks"], playlist=ID, tracks=_list("Track")),
    "BlendRequest": _obj(
        ["members"],
        name={"type": "string", "maxLength": 120, "nullable": True, "default": "Blend"},
        members=_list(
            _obj(
                ["user_id"],
                user_id=ID,
                weight={"type": "number", "minimum": 0.05, "maximum": 10, "default": 1},
            )
        ),
        algorithm={"type": "string", "enum": list(BLEND_ALGORITHMS), "default": "balanced"},
        count={"type": "integer", "minimum": 2, "maximum": 100, "default": 20},
    ),
    "Blend": _obj(
        ["blend", "members", "pending", "ready"],
        blend=ID,
        name={"type": "string"},
        owner=ID,
        algorithm={"type": "string"},
        count={"type": "integer"},
        members=_list(
            _obj(
                ["user_id", "status"],
                user_id=ID,
                name={"type": "string"},
                weight={"type": "number"},
                status={"type": "string", "enum": ["pending", "accepted"]},
            )
        ),
        pending={"type": "array", "items": {"type": "string"}},
        ready={"type": "boolean", "description": "two or more people accepted"},
    ),
    "CorrectionRequest": _obj(
        ["reason"],
        bpm={"type": "number", "minimum": 20, "maximum": 300, "nullable": True},
        key={"type": "string", "maxLength": 3, "nullable": True, "example": "F#"},
        scale={"type": "string", "enum": ["major", "minor"], "nullable": True},
        reason={"type": "string", "minLength": 1, "maxLength": 300},
    ),
    "Corrections": _obj(
        ["track", "effective", "history"],
        track=ID,
        effective=OBJECT,
        history={"type": "array", "items": OBJECT},
    ),
    "BlendInvite": _obj(["user_ids"], user_ids={"type": "array", "items": ID, "minItems": 1}),
    "BlendLeft": _obj(["blend", "left"], blend=ID, left={"type": "boolean"}),
    "BlendRun": _obj(
        ["blend", "run", "playlist", "url", "tracks"],
        blend=ID,
        run={"type": "integer"},
        playlist=ID,
        url={"type": "string"},
        match=NUMBER_OR_NULL,
        pairs=OBJECT,
        shares=OBJECT,
        tracks={"type": "integer"},
        pending={"type": "array", "items": {"type": "string"}},
    ),
    "Feedback": _obj(
        ["event", "track_id"],
        event={"type": "string", "enum": list(FEEDBACK_EVENTS)},
        track_id=ID,
        position_ms={"type": "integer", "minimum": 0, "maximum": MAX_MS, "nullable": True},
        elapsed_ms={"type": "integer", "minimum": 0, "maximum": MAX_MS, "nullable": True},
        context={
            **_obj(**{k: ID for k in sorted(CONTEXT_KEYS)}),
            "additionalProperties": False,
            "nullable": True,
        },
    ),
    "FeedbackRecorded": _obj(
        ["ok", "library"],
        ok={"type": "boolean"},
        library=_obj(
            liked={"type": "boolean", "nullable": True},
            play_count={"type": "integer"},
            skip_count={"type": "integer"},
        ),
    ),
    "LibraryStatus": _obj(
        ["counts", "failures"],
        counts={"type": "object", "additionalProperties": {"type": "integer"}},
        failures=_list(
            _obj(id=ID, path={"type": "string"}, error={"type": "string", "nullable": True})
        ),
    ),
    "InviteRequest": _obj(
        role={"type": "string", "enum": ["viewer", "editor", "admin"], "default": "editor"}
    ),
    "Invite": _obj(["url", "role"], url={"type": "string"}, role={"type": "string"}),
    "Visibility": _obj(["public"], public={"type": "boolean"}),
    "Health": _obj(
        ["mongo", "redis", "worker", "pools", "workers", "version"],
        version={"type": "string"},
        workers={
            "type": "array",
            "items": {"type": "string"},
            "description": "node names of the Celery workers that answered a ping",
        },
        down={"type": "array", "items": {"type": "string"}},
        errors=OBJECT,
        pools=_obj(
            ["interactive", "bulk"],
            **{k: {"type": "string", "enum": ["up", "down"]} for k in ("interactive", "bulk")},
        ),
        **{k: {"type": "string", "enum": ["up", "down"]} for k in ("mongo", "redis", "worker")},
    ),
}
