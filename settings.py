"""Where Moodroom finds its services, secrets and folders.

Every process (web, worker, ``flask`` commands, the launcher) resolves its
settings here so that they all agree. Explicit environment variables win;
otherwise the addresses the launcher recorded under ``var/`` are used, so a
``flask`` command run from the repository reaches the servers of a running
``make run``.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

VERSION = "0.1.0"
ROOT = Path(__file__).resolve().parent
DEFAULT_MONGODB_URI = "mongodb://127.0.0.1:27017/moodroom"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def var_dir() -> Path:
    """Folder for runtime state: databases, logs, the secret key."""
    return Path(os.environ.get("MOODROOM_VAR", ROOT / "var"))


def services_file() -> Path:
    """File in which the launcher records the embedded servers' addresses."""
    return var_dir() / "services.json"


def recorded_services() -> dict:
    """Addresses recorded by a running launcher, or an empty dict."""
    try:
        return json.loads(services_file().read_text())
    except (OSError, ValueError):
        return {}


def mongodb_uri() -> str:
    """MongoDB connection string (``MONGODB_URI``)."""
    return (
        os.environ.get("MONGODB_URI")
        or recorded_services().get("mongodb_uri")
        or DEFAULT_MONGODB_URI
    )


def redis_url() -> str:
    """Redis URL for Celery, Socket.IO and rate limits (``REDIS_URL``)."""
    return os.environ.get("REDIS_URL") or recorded_services().get("redis_url") or DEFAULT_REDIS_URL


def mongodb_timeout_ms() -> int:
    """How long a database call waits for an unreachable server (``MONGODB_TIMEOUT_MS``).

    Short, so that while MongoDB restarts requests fail fast with a clear 503
    instead of hanging for pymongo's default 30 s.
    """
    return int(os.environ.get("MONGODB_TIMEOUT_MS", "3000"))


def secret_key() -> str:
    """``SECRET_KEY``, or one generated once and kept in ``var/secret_key``."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = var_dir() / "secret_key"
    try:
        return path.read_text().strip()
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # O_EXCL: if two processes race, exactly one key wins and both read it back.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def music_dirs() -> list[Path]:
    """Library roots from ``MUSIC_DIR`` (``os.pathsep``-separated); demo library by default."""
    raw = os.environ.get("MUSIC_DIR", "")
    roots = [Path(p).expanduser().resolve() for p in raw.split(os.pathsep) if p.strip()]
    return roots or [demo_library_dir()]


def demo_library_dir() -> Path:
    """Where ``make run`` generates the demo library when no ``MUSIC_DIR`` is given."""
    return var_dir() / "demo-library"


def data_dir() -> Path:
    """Folder for derived data such as vector indexes (``DATA_DIR``)."""
    return Path(os.environ.get("DATA_DIR") or var_dir() / "data")


def proxy_hops() -> int:
    """How many reverse proxies in front of the web processes to trust for the client's
    address and scheme (``PROXY_HOPS``; 0 = none: ``X-Forwarded-*`` is ignored)."""
    return int(os.environ.get("PROXY_HOPS", "0"))


def port() -> int:
    """HTTP port of the web server (``PORT``)."""
    return int(os.environ.get("PORT", "5000"))


REGISTRATION_MODES = ("open", "invite", "closed")


def registration() -> str | None:
    """``REGISTRATION``: open, invite or closed; ``None`` (unset) means open until an
    administrator exists, then invite. An unknown value is refused at start-up."""
    value = os.environ.get("REGISTRATION", "").strip().lower()
    if not value:
        return None
    if value not in REGISTRATION_MODES:
        raise ValueError(f"REGISTRATION must be one of {', '.join(REGISTRATION_MODES)}")
    return value


def rescan_minutes() -> float:
    """``RESCAN_MINUTES``: minutes between automatic rescans of every root (0 turns it off)."""
    raw = os.environ.get("RESCAN_MINUTES", "").strip()
    try:
        minutes = float(raw) if raw else 60.0
    except ValueError:
        raise ValueError("RESCAN_MINUTES must be a number of minutes (0 to turn off)") from None
    if minutes < 0:
        raise ValueError("RESCAN_MINUTES must be a number of minutes (0 to turn off)")
    return minutes


def secure_cookies() -> bool:
    """``SECURE_COOKIES=1``: sign-in cookies only travel over HTTPS (set it behind TLS)."""
    return os.environ.get("SECURE_COOKIES", "").strip().lower() in ("1", "true", "yes", "on")


def watch_files() -> bool:
    """``WATCH_FILES=1``: ``make run`` also starts the filesystem watcher (``tasks/watcher.py``)."""
    return os.environ.get("WATCH_FILES", "").strip().lower() in ("1", "true", "yes", "on")
