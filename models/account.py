"""One-time account links: invitations to register and password resets.

Only a SHA-256 of the token is stored, so a copy of the database cannot be used to
sign up or take over an account. Times are integer epoch seconds (they are compared
and changed with ``$set``).
"""

from __future__ import annotations

import hashlib
import secrets
import time

from mongoengine import IntField, ReferenceField, StringField

from models.base import BaseDocument
from models.user import User

TOKEN_PURPOSES = ("invite", "reset")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccountToken(BaseDocument):
    """An invite (``user`` empty) or a password reset for ``user``; usable once, until expiry."""

    meta = {
        "collection": "account_tokens",
        "indexes": [{"fields": ["digest"], "unique": True}, "user", "created_by"],
    }

    digest = StringField(required=True)
    purpose = StringField(required=True, choices=TOKEN_PURPOSES)
    user = ReferenceField(User, null=True)
    created_by = ReferenceField(User, null=True)
    expires_at = IntField(required=True)
    used_at = IntField(null=True)
    used_by = ReferenceField(User, null=True)

    @classmethod
    def issue(cls, purpose: str, hours: float, user=None, created_by=None) -> str:
        """Store a new token and return it (the only time it exists in clear)."""
        token = secrets.token_urlsafe(24)
        cls(digest=token_digest(token), purpose=purpose, user=user, created_by=created_by,
            expires_at=int(time.time() + hours * 3600)).save()  # fmt: skip
        return token

    @classmethod
    def valid(cls, token: str | None, purpose: str) -> AccountToken | None:
        """The unused, unexpired token of ``purpose``, or ``None``."""
        if not token or not isinstance(token, str) or len(token) > 200:
            return None
        return cls.objects(digest=token_digest(token), purpose=purpose, used_at=None,
                           expires_at__gt=int(time.time())).first()  # fmt: skip

    def use(self, by: User) -> bool:
        """Mark used, once: ``False`` when someone used it first."""
        return bool(
            AccountToken.objects(id=self.id, used_at=None).update(
                set__used_at=int(time.time()), set__used_by=by
            )
        )
