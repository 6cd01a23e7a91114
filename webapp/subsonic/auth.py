"""Who is calling: an API key, or a username and password; never a salted token.

Subsonic's token scheme (``t`` = md5(password + ``s``)) needs the server to know
every password in clear, which Moodroom does not keep (Argon2id hashes only).
Failed attempts count against the sign-in form's limits (``LOGIN_RATE_LIMIT``,
in the same Redis storage), per address and per username, so guessing through
the API is no faster than through the form. Credentials are never logged.
"""

from __future__ import annotations

from flask import current_app, request
from flask_limiter.util import get_remote_address
from limits import parse_many

from models import ApiKey, User
from webapp.extensions import limiter
from webapp.services.passwords import verify_password
from webapp.subsonic.responses import (
    CONFLICTING_MECHANISMS,
    INVALID_API_KEY,
    MISSING_PARAMETER,
    TOKEN_NOT_SUPPORTED,
    WRONG_CREDENTIALS,
    SubsonicError,
)

TOKEN_REFUSED = (
    "Token authentication (t and s) is not supported: Moodroom never stores passwords in "
    "clear. Create an API key on the Moodroom page /account/api-keys and use it (apiKey), "
    "or send the password (p)."
)
TOO_MANY = "Too many failed sign-in attempts; wait a minute and try again."


def authenticate() -> User:
    """The person behind this request, or ``SubsonicError`` with the specification's code."""
    values = request.values
    api_key, username = values.get("apiKey"), values.get("u")
    if api_key is not None:
        if username is not None:
            raise SubsonicError(CONFLICTING_MECHANISMS, "Send either apiKey or u, not both.")
        return _by_api_key(api_key)
    if values.get("t") is not None or values.get("s") is not None:
        raise SubsonicError(TOKEN_NOT_SUPPORTED, TOKEN_REFUSED)
    if not username:
        raise SubsonicError(MISSING_PARAMETER, "Required parameter 'u' (or 'apiKey') is missing.")
    password = values.get("p")
    if password is None:
        raise SubsonicError(MISSING_PARAMETER, "Required parameter 'p' (or 'apiKey') is missing.")
    return _by_password(username, _decode(password))


def _decode(password: str) -> str:
    if not password.startswith("enc:"):
        return password
    try:
        return bytes.fromhex(password[4:]).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        raise SubsonicError(WRONG_CREDENTIALS, "Wrong username or password.") from None


def _by_api_key(api_key: str) -> User:
    keys = _attempt_keys()
    _check_not_locked(keys)
    found = ApiKey.find(api_key)
    user = User.objects(id=found.user.id).first() if found else None
    if user is None or not user.is_active:
        _failed(keys)
        raise SubsonicError(INVALID_API_KEY, "Invalid API key.")
    found.touch()
    return user


def _by_password(username: str, password: str) -> User:
    keys = _attempt_keys(username)
    _check_not_locked(keys)
    user = User.by_username(username) if len(username) <= 64 else None
    if user is None or not user.is_active or not verify_password(user.password_hash, password):
        _failed(keys)
        raise SubsonicError(WRONG_CREDENTIALS, "Wrong username or password.")
    return user


def _limits():
    if not current_app.config.get("RATELIMIT_ENABLED", True) or not limiter.enabled:
        return []
    return parse_many(current_app.config["LOGIN_RATE_LIMIT"])


def _attempt_keys(username: str | None = None) -> list[tuple[str, ...]]:
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    keys = [(prefix, "subsonic-auth", "address", get_remote_address())]
    if username:
        keys.append((prefix, "subsonic-auth", "user", username.strip().lower()[:64]))
    return keys


def _check_not_locked(keys) -> None:
    for limit in _limits():
        for key in keys:
            if not limiter.limiter.test(limit, *key):
                raise SubsonicError(WRONG_CREDENTIALS, TOO_MANY)


def _failed(keys) -> None:
    for limit in _limits():
        for key in keys:
            limiter.limiter.hit(limit, *key)
