"""Configuration classes; values come from ``settings`` (environment first)."""

from __future__ import annotations

import settings


class Config:
    """Defaults for running Moodroom."""

    VERSION = settings.VERSION
    SECRET_KEY = settings.secret_key()
    MONGODB_URI = settings.mongodb_uri()
    REDIS_URL = settings.redis_url()
    MUSIC_DIRS = settings.music_dirs()
    DATA_DIR = settings.data_dir()
    PROXY_HOPS = settings.proxy_hops()
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Behind HTTPS (SECURE_COOKIES=1) the cookies never travel unencrypted; off by default
    # because `make run` serves plain HTTP on the household's own network.
    SESSION_COOKIE_SECURE = REMEMBER_COOKIE_SECURE = settings.secure_cookies()
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None
    # Check MongoDB and Redis while the app is created, and stop with one
    # clear line when they cannot be reached.
    PREFLIGHT = True
    HEALTH_WORKER_TIMEOUT_S = 1.0
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute;100 per hour"
    REGISTER_RATE_LIMIT = "5 per minute;30 per hour"
    # open | invite | closed; None: open until an administrator exists, then invite.
    REGISTRATION = settings.registration()
    INVITE_HOURS = 7 * 24
    RESET_HOURS = 24
    # One Socket.IO message carries one op; anything bigger is refused unread.
    SOCKETIO_MAX_MESSAGE_BYTES = 64 * 1024


class TestingConfig(Config):
    """For the test suite: same real services, no start-up checks."""

    TESTING = True
    PREFLIGHT = False
    # The suite signs in hundreds of times from one address; the limits and CSRF
    # have their own tests that switch them back on.
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    # Tests register many people; tests/test_accounts.py checks the real default.
    REGISTRATION = "open"
