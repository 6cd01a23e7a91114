"""People who use Moodroom."""

from __future__ import annotations

from mongoengine import (
    BooleanField,
    DateTimeField,
    DictField,
    EmailField,
    IntField,
    StringField,
)

from models.base import BaseDocument


class User(BaseDocument):
    """An account.

    ``username_key`` is the lower-cased username: uniqueness and look-ups go
    through it because case-insensitive regex lookups are unreliable on the
    embedded server (docs/data-layer.md, rule 2).

    The ``is_*`` properties and ``get_id`` make this usable by Flask-Login
    without importing Flask into the data layer.
    """

    meta = {
        "collection": "users",
        "indexes": [{"fields": ["username_key"], "unique": True}, "email"],
    }

    username = StringField(required=True, max_length=32)
    username_key = StringField(required=True, max_length=32)
    email = EmailField(null=True)
    display_name = StringField(max_length=64)
    password_hash = StringField(required=True)
    preferences = DictField()
    is_admin = BooleanField(default=False)
    library_editor = BooleanField(default=False)  # may correct tempo and key
    disabled = BooleanField(default=False)
    last_login = DateTimeField(null=True)
    # Part of every session's user id: bumping it signs out every session and
    # remember-me cookie of this person (password change, "sign out everywhere").
    session_epoch = IntField(default=0)

    def clean(self):
        """Keep the look-up key in step with the username."""
        self.username_key = normalise_username(self.username)
        if not self.display_name:
            self.display_name = self.username

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def can_correct(self) -> bool:
        """Administrators and library editors correct tracks' tempo and key."""
        return bool(self.is_admin or self.library_editor)

    @property
    def is_active(self) -> bool:
        return not self.disabled

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """``id:epoch``: a session made before the epoch was bumped no longer loads."""
        return f"{self.id}:{self.session_epoch or 0}"

    @classmethod
    def for_session(cls, session_id: str) -> User | None:
        """The active user a session id (``get_id``) names, if that session is still valid."""
        user_id, _, epoch = (session_id or "").partition(":")
        user = cls.objects(id=user_id, disabled__ne=True).first()
        if user is None or str(user.session_epoch or 0) != (epoch or "0"):
            return None
        return user

    def sign_out_everywhere(self) -> None:
        """End every session and remember-me cookie of this person."""
        User.objects(id=self.id).update(inc__session_epoch=1)
        self.reload()

    @classmethod
    def usernames(cls, user_ids) -> dict[str, str]:
        """User name per known id."""
        rows = cls.objects(id__in=list(user_ids)).only("username").as_pymongo()
        return {u["_id"]: u["username"] for u in rows}

    @classmethod
    def by_username(cls, username: str) -> User | None:
        """Find a user by username, ignoring case."""
        return cls.objects(username_key=normalise_username(username)).first()


def normalise_username(username: str) -> str:
    """The case-insensitive form of a username."""
    return (username or "").strip().lower()
