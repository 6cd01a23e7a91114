"""MongoEngine documents, one aggregate per module.

Imports ``core`` at most; never ``tasks`` or ``webapp``.
"""

from models.account import AccountToken
from models.apikey import ApiKey
from models.blend import Blend, BlendMember, BlendRun
from models.correction import TrackCorrection
from models.cover import Cover, CoverThumb, cover_for, thumbnail_for
from models.db import DB_UNREACHABLE, connect_db, ensure_all_indexes, ping_db
from models.feedback import FeedbackEvent
from models.generation import Candidate, GenerationSession
from models.index_build import IndexBlob, IndexBuild
from models.library import UserLibrary
from models.mood import Mood, MoodQuery
from models.playlist import Collaborator, Playlist, PlaylistEntry, PlaylistOp
from models.registry import ModelRegistry
from models.track import Analysis, Features, Track, TrackTags, TrackVector
from models.user import User

ALL_DOCUMENTS = (
    User,
    AccountToken,
    ApiKey,
    Blend,
    BlendRun,
    Track,
    TrackVector,
    Cover,
    CoverThumb,
    UserLibrary,
    Mood,
    MoodQuery,
    GenerationSession,
    Playlist,
    PlaylistEntry,
    PlaylistOp,
    FeedbackEvent,
    ModelRegistry,
    TrackCorrection,
    IndexBuild,
    IndexBlob,
)

__all__ = [
    "ALL_DOCUMENTS",
    "DB_UNREACHABLE",
    "AccountToken",
    "Analysis",
    "ApiKey",
    "Blend",
    "BlendMember",
    "BlendRun",
    "Candidate",
    "Collaborator",
    "Cover",
    "CoverThumb",
    "Features",
    "FeedbackEvent",
    "GenerationSession",
    "IndexBlob",
    "IndexBuild",
    "ModelRegistry",
    "Mood",
    "MoodQuery",
    "Playlist",
    "PlaylistEntry",
    "PlaylistOp",
    "Track",
    "TrackCorrection",
    "TrackTags",
    "TrackVector",
    "User",
    "UserLibrary",
    "connect_db",
    "cover_for",
    "ensure_all_indexes",
    "ping_db",
    "thumbnail_for",
]
