"""A real web server and Debian's Chromium for browser tests."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from launcher.services import free_port, stop

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


def start_web_server(log_path: Path, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """gunicorn on a free port with the test environment (plus ``env``); returns it and its URL.

    Live servers keep the real sign-in rate limits (10 a minute per address, in
    Redis): earlier modules' sign-ins from 127.0.0.1 are forgotten first.
    """
    reset_rate_limits((env or {}).get("REDIS_URL", os.environ["REDIS_URL"]))
    port = free_port()
    log = open(log_path, "ab")  # noqa: SIM115 - the server keeps it
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", "20",
         "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/auth/login", timeout=2)
            return proc, base
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.3)
    stop(proc)
    pytest.fail(f"web server did not start; see {log_path}")


def reset_rate_limits(redis_url: str) -> None:
    """Forget every rate-limit counter (Flask-Limiter keeps them under ``LIMITS:``)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    with contextlib.suppress(redis.RedisError):  # a test may start a server with Redis down
        for key in client.scan_iter("LIMITS:*"):
            client.delete(key)


def launch_browser(playwright):
    """Headless Chromium from Debian (never a downloaded browser)."""
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian chromium is not installed (make test installs it as root)")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
