"""Blends: one playlist mixed from several people's tastes, regenerated append-only."""

from __future__ import annotations

import mongoengine as me
from mongoengine import Q

from core.taste import ALGORITHMS as BLEND_ALGORITHMS  # one list: what core.taste.blend can do
from models.base import BaseDocument
from models.playlist import Playlist
from models.user import User

MEMBER_STATUSES = ("pending", "accepted")
MEMBER_ATTEMPTS = 8


class BlendMember(me.EmbeddedDocument):
    """A person in a blend; ``pending`` until they accept the invitation (taste unused)."""

    user = me.ReferenceField(User, required=True)
    weight = me.FloatField(default=1.0, min_value=0.05, max_value=10)
    status = me.StringField(choices=MEMBER_STATUSES, default="accepted")


class Blend(BaseDocument):
    """Who is in a blend and how it is mixed; members are replaced as a whole list."""

    # No index on "members.user": with one, the embedded server's find() on a
    # field inside a list of documents matches nothing (contract test).
    meta = {"collection": "blends", "indexes": ["owner"]}

    owner = me.ReferenceField(User, required=True)
    name = me.StringField(required=True, max_length=120)
    members = me.EmbeddedDocumentListField(BlendMember)
    algorithm = me.StringField(choices=BLEND_ALGORITHMS, default="balanced")
    count = me.IntField(default=20, min_value=2, max_value=100)
    match = me.FloatField(null=True)  # mean pairwise taste match, percent
    version = me.IntField(default=0)  # bumped by every change of ``members``

    def member(self, user_id: str) -> BlendMember | None:
        return next((m for m in self.members if m.user.id == user_id), None)

    def accepted(self) -> list[BlendMember]:
        """Members whose taste the blend uses."""
        return [m for m in self.members if m.status == "accepted"]

    def pending(self) -> list[BlendMember]:
        """Invited people who have not accepted yet."""
        return [m for m in self.members if m.status == "pending"]

    def change_members(self, change) -> bool:
        """Replace ``members`` with ``change(current list)`` unless someone changed it first.

        The embedded list is written whole (never one element), guarded by ``version``
        and retried on a conflict; ``change`` returns ``None`` to give up. Returns
        whether the change was written; ``self`` holds the result.
        """
        for _ in range(MEMBER_ATTEMPTS):
            self.reload()
            members = change(list(self.members))
            if members is None:
                return False
            # Blends saved before ``version`` existed lack the field: 0 matches them too.
            same = Q(version=self.version) | (Q(version__exists=False) if not self.version else Q())
            if Blend.objects(Q(id=self.id) & same).update(set__members=members, inc__version=1):
                self.reload()
                return True
        return False


class BlendRun(BaseDocument):
    """One generation of a blend: never updated, a new run is a new document."""

    meta = {"collection": "blend_runs", "indexes": [{"fields": ["blend", "run"], "unique": True}]}

    blend = me.ReferenceField(Blend, required=True)
    run = me.IntField(required=True)
    playlist = me.ReferenceField(Playlist, required=True)
    track_ids = me.ListField(me.StringField())
    sources = me.ListField(me.StringField())  # member user id per track
    reasons = me.ListField(me.StringField())
