"""Cover art: find a track's picture, make thumbnails, draw a placeholder.

Pure functions over files and bytes (mutagen, Pillow); ``models/cover.py`` stores one copy
per distinct image and answers ``cover_for(track)``.
"""

from __future__ import annotations

import base64
import hashlib
import io
from pathlib import Path

FOLDER_NAMES = ("cover", "folder", "front")  # cover.jpg, folder.png, front.jpeg …
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")
MAX_IMAGE_BYTES = 8 * 2**20  # a bigger "picture" is not cover art
THUMB_SIZES = (64, 128, 300, 600)
FRONT_COVER = 3  # ID3/FLAC picture type "Cover (front)"


def embedded_picture(path: str) -> bytes | None:
    """The front cover (else the first picture) stored inside an audio file, if any."""
    import mutagen

    try:
        audio = mutagen.File(path)
    except Exception:  # unreadable or not audio: no picture, never a failed page
        return None
    if audio is None:
        return None
    pictures: list[tuple[int, bytes]] = []
    tags = audio.tags
    if hasattr(audio, "pictures"):  # FLAC
        pictures += [(p.type, p.data) for p in audio.pictures]
    if tags is not None:
        if hasattr(tags, "getall"):  # ID3 (mp3, aiff, wav)
            pictures += [(frame.type, frame.data) for frame in tags.getall("APIC")]
        if "covr" in tags:  # MP4 / m4a
            pictures += [(FRONT_COVER, bytes(c)) for c in tags["covr"]]
        if "metadata_block_picture" in tags:  # Ogg Vorbis / Opus
            pictures += _vorbis_pictures(tags["metadata_block_picture"])
    pictures = [(kind, data) for kind, data in pictures if data and len(data) <= MAX_IMAGE_BYTES]
    if not pictures:
        return None
    fronts = [data for kind, data in pictures if kind == FRONT_COVER]
    return fronts[0] if fronts else pictures[0][1]


def _vorbis_pictures(values) -> list[tuple[int, bytes]]:
    from mutagen.flac import Picture

    out = []
    for value in values:
        try:
            picture = Picture(base64.b64decode(value))
        except Exception:
            continue
        out.append((picture.type, picture.data))
    return out


def folder_picture(path: str) -> bytes | None:
    """``cover.jpg``, ``folder.jpg`` or ``front.*`` beside the file (any case)."""
    folder = Path(path).parent
    try:
        names = sorted(p for p in folder.iterdir() if p.is_file())
    except OSError:
        return None
    for wanted in FOLDER_NAMES:
        for candidate in names:
            if candidate.stem.lower() == wanted and candidate.suffix.lower() in IMAGE_SUFFIXES:
                try:
                    if candidate.stat().st_size <= MAX_IMAGE_BYTES:
                        return candidate.read_bytes()
                except OSError:
                    continue
    return None


def find_picture(path: str) -> bytes | None:
    """The track's own picture, else its folder's."""
    return embedded_picture(path) or folder_picture(path)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_image(data: bytes) -> bool:
    """True when Pillow can read ``data`` as an image."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        return True
    except Exception:
        return False


def thumbnail(data: bytes, size: int) -> bytes:
    """A JPEG at most ``size`` pixels on its longer side (square covers stay square)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGB")
        image.thumbnail((size, size), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85, optimize=True)
        return out.getvalue()


def placeholder_svg(album: str | None, artist: str | None) -> str:
    """A square with the album's initials on a colour chosen by the album's name."""
    name = (album or artist or "").strip()
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    initials = "".join(w[0] for w in words[:2]).upper() or "♪"
    hue = int(hashlib.sha1(name.casefold().encode()).hexdigest()[:4], 16) % 360
    text = initials.replace("&", "&amp;").replace("<", "&lt;")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        f'<rect width="100" height="100" fill="hsl({hue}, 45%, 42%)"/>'
        '<text x="50" y="50" dy=".35em" text-anchor="middle" font-family="sans-serif" '
        f'font-size="38" fill="#fff">{text}</text></svg>'
    )
