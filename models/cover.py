"""Cover art: one stored copy per distinct image, and its thumbnails.

``cover_for(track)`` is the public face: it finds the track's picture on first use (embedded,
else beside the file), stores it once per content hash and remembers the hash on the track.
"""

from __future__ import annotations

import contextlib

from mongoengine import BinaryField, IntField, NotUniqueError, StringField

from core import files
from models.base import BaseDocument
from models.track import Track


class Cover(BaseDocument):
    """An image, keyed by the sha256 of its bytes (so shared art is stored once)."""

    meta = {"collection": "covers"}

    data = BinaryField(required=True)
    length = IntField()


class CoverThumb(BaseDocument):
    """A JPEG thumbnail of a cover; the id is ``"<cover id>-<size>"``."""

    meta = {"collection": "cover_thumbs"}

    cover = StringField(required=True)
    size = IntField(required=True)
    data = BinaryField(required=True)


def cover_for(track: Track) -> Cover | None:
    """The track's cover art, looked for once (``Track.cover``: ``None`` = not looked yet,
    ``""`` = none found, else the cover's id)."""
    if track.cover is None:
        data = files.find_picture(track.path)
        cover_id = ""
        if data and files.is_image(data):
            cover_id = files.content_hash(data)
            if not Cover.objects(id=cover_id).only("id").first():
                # Stored meanwhile by another request? Then it holds the same bytes.
                with contextlib.suppress(NotUniqueError):
                    Cover(id=cover_id, data=data, length=len(data)).save(force_insert=True)
        Track.objects(id=track.id).update(set__cover=cover_id)
        track.cover = cover_id
    return Cover.objects(id=track.cover).first() if track.cover else None


def thumbnail_for(cover: Cover, size: int) -> bytes:
    """A JPEG of ``cover`` at most ``size`` pixels wide (made once, then stored)."""
    thumb_id = f"{cover.id}-{size}"
    stored = CoverThumb.objects(id=thumb_id).first()
    if stored is not None:
        return stored.data
    data = files.thumbnail(cover.data, size)
    with contextlib.suppress(NotUniqueError):
        CoverThumb(id=thumb_id, cover=cover.id, size=size, data=data).save(force_insert=True)
    return data
