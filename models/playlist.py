"""Playlists, their collaborators and their entries."""

from __future__ import annotations

from mongoengine import (
    BooleanField,
    DateTimeField,
    DictField,
    EmbeddedDocument,
    EmbeddedDocumentListField,
    IntField,
    ListField,
    ReferenceField,
    StringField,
)

from core.collab import Entry, keys_between
from models.base import BaseDocument, now_ms, utcnow
from models.generation import GenerationSession
from models.track import Track
from models.user import User

ROLES = ("viewer", "editor", "admin")


class Collaborator(EmbeddedDocument):
    """Someone other than the owner who may see or edit the playlist."""

    user = ReferenceField(User, required=True)
    role = StringField(choices=ROLES, default="viewer")


class Playlist(BaseDocument):
    """A named, ordered list of tracks.

    ``collaborators`` is replaced as a whole list, never edited in place
    (docs/data-layer.md, rule 3). ``version`` grows with every change so
    concurrent writers can update conditionally.
    """

    meta = {
        "collection": "playlists",
        # No index on "collaborators.user": see models/blend.py.
        "indexes": [("owner", "-edited_ms"), "public"],
    }

    owner = ReferenceField(User, required=True)
    name = StringField(required=True, max_length=120)
    description = StringField(max_length=2000, default="")
    public = BooleanField(default=False)
    collaborators = EmbeddedDocumentListField(Collaborator)
    source_session = ReferenceField(GenerationSession, null=True)
    version = IntField(default=0)
    updated_at = DateTimeField(default=utcnow)  # creation time in practice; see ``edited_ms``
    # Last change, in ms since the epoch: an int because the embedded server stores a
    # datetime written with ``$set`` as text, which sorts apart from real datetimes.
    edited_ms = IntField(default=now_ms)

    def role_of(self, user) -> str | None:
        """The role ``user`` holds here: owner, admin, editor, viewer or ``None``."""
        if user is None:
            return None
        user_id = user if isinstance(user, str) else user.id
        if self.owner and self.owner.id == user_id:
            return "owner"
        for collaborator in self.collaborators:
            if collaborator.user and collaborator.user.id == user_id:
                return collaborator.role
        return None

    @classmethod
    def roles_view(cls, playlist_id: str) -> dict | None:
        """Name, description, public, version and ``roles`` (user id -> role, the owner
        included) read as one raw document, or ``None``.

        Loading a ``Playlist`` builds an embedded document per collaborator and
        ``role_of`` then loads every collaborator's user: ~30 ms with 100 editors.
        """
        raw = cls.objects(id=playlist_id).as_pymongo().first()
        if raw is None:
            return None
        roles = {raw["owner"]: "owner"} if raw.get("owner") else {}
        for collaborator in raw.get("collaborators", []):
            if collaborator.get("user"):  # the first entry for a user wins, as in role_of
                roles.setdefault(collaborator["user"], collaborator.get("role") or "viewer")
        return {"id": raw["_id"], "name": raw.get("name", ""),
                "description": raw.get("description") or "",
                "public": bool(raw.get("public", False)), "version": raw.get("version", 0),
                "roles": roles}  # fmt: skip

    @classmethod
    def with_tracks(cls, track_ids: list[str], added_by, reasons=None, **fields) -> Playlist:
        """A new playlist (``fields``) holding ``track_ids`` in that order: saved generations,
        blends, imports and Subsonic clients all make playlists this way. ``added_by`` and
        ``reasons`` are one value for every track or a list with one per track."""
        playlist = cls(**fields).save()
        n = len(track_ids)
        by = added_by if isinstance(added_by, list) else [added_by] * n
        why = reasons if isinstance(reasons, list) else [reasons] * n
        keys = keys_between(None, None, n)
        entries = [PlaylistEntry(playlist=playlist, track=t, order_key=k, added_by=b, reason=r)
                   for t, k, b, r in zip(track_ids, keys, by, why, strict=True)]  # fmt: skip
        if entries:
            PlaylistEntry.objects.insert(entries, load_bulk=False)
        return playlist

    @classmethod
    def delete_with_history(cls, playlist_id: str) -> None:
        """Delete the playlist, its entries and op log; listening history stays, unlinked."""
        from models.feedback import FeedbackEvent  # it references this module

        PlaylistEntry.objects(playlist=playlist_id).delete()
        PlaylistOp.objects(playlist=playlist_id).delete()
        FeedbackEvent.objects(playlist=playlist_id).update(set__playlist=None)
        cls.objects(id=playlist_id).delete()


class PlaylistEntry(BaseDocument):
    """One track in a playlist, kept as its own document so edits never collide.

    Entries sort by ``order_key``, a fractional key between its neighbours.
    """

    meta = {
        "collection": "playlist_entries",
        "indexes": [("playlist", "order_key"), "track"],
    }

    playlist = ReferenceField(Playlist, required=True)
    track = ReferenceField(Track, required=True)
    order_key = StringField(required=True)
    added_by = ReferenceField(User, null=True)
    votes_up = ListField(StringField())
    votes_down = ListField(StringField())
    reason = StringField(null=True)

    @classmethod
    def room_entries(cls, playlist_id: str) -> list[Entry]:
        """The playlist's entries as a room holds them (raw documents: no objects built)."""
        return [
            Entry(doc["_id"], doc["track"], doc["order_key"], doc.get("added_by"),
                  list(doc.get("votes_up", [])), list(doc.get("votes_down", [])))
            for doc in cls.objects(playlist=playlist_id).as_pymongo()
        ]  # fmt: skip

    @classmethod
    def existing_ids(cls, entry_ids: list[str]) -> set[str]:
        """Which of ``entry_ids`` some entry (of any playlist) already has."""
        # Not count(): the embedded server counts an ``_id`` $in by scanning every entry.
        return {e["_id"] for e in cls.objects(id__in=entry_ids).only("id").as_pymongo()}

    @classmethod
    def notes(cls, playlist_id: str) -> list[dict]:
        """``id``, ``reason`` and ``added_by`` of every entry."""
        rows = cls.objects(playlist=playlist_id).only("id", "reason", "added_by").as_pymongo()
        return [{"id": r["_id"], "reason": r.get("reason"), "added_by": r.get("added_by")}
                for r in rows]  # fmt: skip

    @classmethod
    def track_ids_of(cls, playlist_ids: list[str]) -> dict[str, list[str]]:
        """Track ids per playlist, in order: one query for all of them."""
        out: dict[str, list[str]] = {p: [] for p in playlist_ids}
        rows = cls.objects(playlist__in=playlist_ids).only("playlist", "track", "order_key")
        for row in sorted(rows.as_pymongo(), key=lambda r: (r["order_key"], r["_id"])):
            out[row["playlist"]].append(row["track"])
        return out

    @classmethod
    def apply_changes(cls, playlist_id: str, delete: list[str], upsert: list[dict]) -> None:
        """Delete and upsert a room effect's entries in one ordered round trip.

        ``created_at`` and ``reason`` of an existing entry are kept.
        """
        from pymongo import DeleteMany, UpdateOne

        writes: list = []
        if delete:
            writes.append(DeleteMany({"_id": {"$in": delete}, "playlist": playlist_id}))
        for data in upsert:
            fields = {
                "playlist": playlist_id, "track": data["track_id"],
                "order_key": data["order_key"], "added_by": data.get("added_by"),
                "votes_up": data.get("votes_up", []), "votes_down": data.get("votes_down", []),
            }  # fmt: skip
            change = {"$set": fields, "$setOnInsert": {"created_at": utcnow()}}
            writes.append(UpdateOne({"_id": data["id"]}, change, upsert=True))
        if writes:
            cls._get_collection().bulk_write(writes, ordered=True)


class PlaylistOp(BaseDocument):
    """One applied room op: the log clients catch up from after a reconnect.

    ``seq`` is the playlist version the op produced; ``op_id`` is the client's
    id, unique per playlist, so a resent op is recognised and applied once.
    """

    meta = {
        "collection": "playlist_ops",
        "indexes": [
            {"fields": ["playlist", "seq"], "unique": True},
            {"fields": ["playlist", "op_id"], "unique": True},
            ("playlist", "user", "-seq"),
        ],
    }

    playlist = ReferenceField(Playlist, required=True)
    seq = IntField(required=True)
    op_id = StringField(required=True, max_length=64)
    user = ReferenceField(User, null=True)  # None once its author deleted their account
    kind = StringField(required=True)
    effect = DictField()
    inverse = DictField()
    undone = BooleanField(default=False)
    undoes = IntField(null=True)

    @classmethod
    def logged_after(cls, playlist_id: str, since: int, until: int | None = None) -> list[dict]:
        """Logged ops with ``since < seq <= until``, in order: ``seq``, ``op_id``, ``user``
        (a raw id: no user loaded per op), ``effect`` and ``undoes``."""
        query = cls.objects(playlist=playlist_id, seq__gt=since)
        if until is not None:
            query = query.filter(seq__lte=until)
        rows = query.order_by("seq").only("seq", "op_id", "user", "effect", "undoes")
        return [{"seq": op["seq"], "op_id": op["op_id"], "user": op.get("user"),
                 "effect": op["effect"], "undoes": op.get("undoes")}
                for op in rows.as_pymongo()]  # fmt: skip

    @classmethod
    def insert_batch(cls, ops: list[PlaylistOp]) -> int:
        """Insert ``ops`` in order, stopping at the first refused one (a resent op id).

        Returns how many were inserted: all of them, or fewer when one was refused.
        """
        from pymongo.errors import BulkWriteError

        try:
            cls._get_collection().insert_many([op.to_mongo() for op in ops], ordered=True)
        except BulkWriteError as exc:
            return exc.details.get("nInserted", 0)
        return len(ops)
