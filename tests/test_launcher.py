"""Smoke test of what ``make run`` starts: embedded servers, worker, web, clean stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from launcher.services import free_port

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError as exc:
        return 0, str(exc)


def wait_for(predicate, timeout: float, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None


def processes_with_env(marker: str) -> dict[int, str]:
    """Processes whose environment contains ``marker``, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes().split(b"\0"):
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
    return found


def start_launcher(var: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in {"MONGODB_URI", "REDIS_URL", "PORT"}}
    env.update(MOODROOM_VAR=str(var), PORT=str(port), WORKER_CONCURRENCY="1")
    return subprocess.Popen(
        [sys.executable, "-m", "launcher", "--no-demo"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop_launcher(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=60)
    return output


def test_launcher_runs_recovers_a_killed_worker_and_stops_cleanly(tmp_path):
    var, port = tmp_path / "var", free_port()
    marker = f"MOODROOM_VAR={var}"
    base = f"http://127.0.0.1:{port}"
    proc = start_launcher(var, port)
    try:
        assert wait_for(lambda: get(f"{base}/healthz")[0] == 200, 120), get(f"{base}/healthz")
        status, body = get(f"{base}/auth/login")
        assert status == 200 and "Sign in" in body
        assert get(f"{base}/auth/register")[0] == 200
        services = json.loads((var / "services.json").read_text())
        assert services["mongodb_uri"].startswith("mongodb://127.0.0.1:")

        health = json.loads(get(f"{base}/healthz")[1])
        assert health["pools"] == {"interactive": "up", "bulk": "up"}
        celery_cmds = {pid: cmd for pid, cmd in processes_with_env(marker).items()
                       if b"celery" in cmd}  # fmt: skip
        assert any(b"-Q bulk" in cmd for cmd in celery_cmds.values())
        assert any(b" beat " in cmd for cmd in celery_cmds.values())  # periodic rescans
        worker = min(pid for pid, cmd in celery_cmds.items() if b"-Q interactive" in cmd)
        os.kill(worker, signal.SIGKILL)
        assert wait_for(lambda: get(f"{base}/healthz")[0] == 503, 10)
        health = json.loads(get(f"{base}/healthz")[1])
        assert "worker" in health.get("down", ["worker"])
        # The launcher restarts the worker and health returns.
        assert wait_for(lambda: get(f"{base}/healthz")[0] == 200, 60)
    finally:
        output = stop_launcher(proc)
    assert proc.returncode == 0, output
    assert "Moodroom is running at" in output
    assert wait_for(lambda: not processes_with_env(marker), 15), processes_with_env(marker)
    assert not (var / "services.json").exists()

    # A second start reuses the data: the moods are already there.
    proc = start_launcher(var, port)
    try:
        assert wait_for(lambda: get(f"{base}/healthz")[0] == 200, 120)
    finally:
        output = stop_launcher(proc)
    assert "0 created" in output and "unchanged" in output
    assert wait_for(lambda: not processes_with_env(marker), 15)
