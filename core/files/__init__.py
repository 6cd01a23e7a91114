"""Files on disk: finding audio files, their tags, cover art, and playlist files.

Pure functions over paths and bytes; ``models`` and ``tasks`` store what they find.
"""

from core.files._covers import (
    THUMB_SIZES,
    content_hash,
    embedded_picture,
    find_picture,
    is_image,
    placeholder_svg,
    thumbnail,
)
from core.files._file_tags import read_tags, tokens
from core.files._playlist_files import (
    FileEntry,
    PlaylistFileError,
    match,
    parse,
    write_m3u8,
    write_xspf,
)
from core.files._scanner import (
    AUDIO_EXTENSIONS,
    FoundFile,
    ScanPlan,
    discover,
    fingerprint,
    inside,
    plan_scan,
)

__all__ = [
    "AUDIO_EXTENSIONS",
    "THUMB_SIZES",
    "FileEntry",
    "FoundFile",
    "PlaylistFileError",
    "ScanPlan",
    "content_hash",
    "discover",
    "embedded_picture",
    "find_picture",
    "fingerprint",
    "inside",
    "is_image",
    "match",
    "parse",
    "placeholder_svg",
    "plan_scan",
    "read_tags",
    "thumbnail",
    "tokens",
    "write_m3u8",
    "write_xspf",
]
