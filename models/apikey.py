"""API keys for Subsonic clients (the OpenSubsonic ``apiKeyAuthentication`` extension).

Only a SHA-256 digest of each key is stored: a key is 256 random bits, so a fast
digest is enough (there is nothing to guess), and it lets a request find its key
by an indexed equality look-up. The key itself is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import secrets

from mongoengine import IntField, ReferenceField, StringField

from models.base import BaseDocument, now_ms
from models.user import User

KEY_PREFIX = "mr_"
MAX_KEYS_PER_USER = 20


def digest(key: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class ApiKey(BaseDocument):
    """One person's key for one app or device."""

    meta = {
        "collection": "api_keys",
        "indexes": [{"fields": ["key_hash"], "unique": True}, "user"],
    }

    user = ReferenceField(User, required=True)
    name = StringField(required=True, max_length=64)
    key_hash = StringField(required=True)
    # The first characters of the key, so a person can tell their keys apart.
    hint = StringField(max_length=16)
    last_used_ms = IntField(null=True)

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiKey, str]:
        """Create a key for ``user``; returns the document and the key (never stored)."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        doc = cls(user=user, name=name, key_hash=digest(key), hint=key[:8]).save()
        return doc, key

    @classmethod
    def find(cls, key: str) -> ApiKey | None:
        """The key document for a presented key, or ``None``."""
        if not isinstance(key, str) or not key.startswith(KEY_PREFIX) or len(key) > 200:
            return None
        # Not dereferenced: the caller loads the user itself (one read, not two).
        return cls.objects(key_hash=digest(key)).no_dereference().first()

    def touch(self, every_ms: int = 60_000) -> None:
        """Record use, at most once a minute (no write per request)."""
        now = now_ms()
        if not self.last_used_ms or now - self.last_used_ms > every_ms:
            ApiKey.objects(id=self.id).update(set__last_used_ms=now)
            self.last_used_ms = now
