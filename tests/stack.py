"""Moodroom's processes on one machine, started the way the launcher starts them.

Used by the cluster test and by ``bench.mood_e2e``: a private ``nx-27017`` and Redis,
then any number of gunicorn web processes and Celery workers, each with its own
``DATA_DIR`` if asked, all on the one database and the one Redis.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

from launcher import __main__ as launcher
from launcher import services
from tasks.routes import QUEUES

ROOT = Path(__file__).resolve().parent.parent
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Stack:
    """Processes this stack started; ``stop_all`` ends them in reverse order."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder or tempfile.mkdtemp(prefix="moodroom-stack-"))
        self.procs: list[subprocess.Popen] = []
        self.env: dict[str, str] = {}

    def start_servers(self, db_name: str = "moodroom_stack") -> dict[str, str]:
        mongo_port, redis_port = services.free_port(), services.free_port()
        uri = f"mongodb://127.0.0.1:{mongo_port}/{db_name}"
        url = f"redis://127.0.0.1:{redis_port}/0"
        mongo = self._add(services.start_mongo(mongo_port, self.folder / "db",
                                               self.folder / "mongo.log"))  # fmt: skip
        redis_proc = self._add(services.start_redis(redis_port, self.folder / "redis",
                                                    self.folder / "redis.log"))  # fmt: skip
        services.wait_for_mongo(uri, mongo)
        services.wait_for_redis(url, redis_proc)
        self.env = {**os.environ, "MONGODB_URI": uri, "REDIS_URL": url,
                    "MOODROOM_VAR": str(self.folder / "var"),
                    "DATA_DIR": str(self.folder / "data"), "SECRET_KEY": uuid.uuid4().hex,
                    "OMP_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1"}  # fmt: skip
        return self.env

    def seed_moods(self) -> None:
        command = [sys.executable, "-m", "flask", "--app", "wsgi", "seed"]  # as the launcher
        subprocess.run(command, env=self.env, cwd=ROOT, check=True, capture_output=True)

    def web(self, name: str, data_dir: Path | None = None) -> tuple[str, subprocess.Popen]:
        """A gunicorn process as the launcher starts it; its base URL once it answers."""
        port = services.free_port()
        proc = self._spawn(name, launcher.web_command(port), data_dir)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited; see {self.folder / f'{name}.log'}")
            try:
                requests.get(f"{base}/auth/login", timeout=2)
                return base, proc
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError(f"{name} did not answer within 90 s")

    def worker(self, name: str, data_dir: Path | None = None, concurrency: int = 1):
        """A Celery worker as the launcher starts it, under its own node name."""
        command = launcher._worker_command("interactive", concurrency)
        command[command.index("-Q") + 1] = ",".join(QUEUES)  # one process serves both here
        command[command.index("--hostname") + 1] = f"{name}@%h"
        return self._spawn(name, command, data_dir)

    def _spawn(self, name: str, command: list[str], data_dir: Path | None):
        env = dict(self.env)
        if data_dir is not None:
            env["DATA_DIR"] = str(data_dir)
        return self._add(services.spawn(command, self.folder / f"{name}.log", env=env))

    def _add(self, proc: subprocess.Popen) -> subprocess.Popen:
        self.procs.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen) -> None:
        services.stop(proc, timeout=10)
        self.procs.remove(proc)

    def stop_all(self, remove: bool = True) -> None:
        for proc in reversed(self.procs):
            services.stop(proc, timeout=10)
        self.procs.clear()
        if remove:
            shutil.rmtree(self.folder, ignore_errors=True)


def sign_in(base: str, username: str, password: str) -> requests.Session:
    """A session signed in through the form, sending the page's CSRF token on every call."""
    http = requests.Session()
    page = http.get(f"{base}/auth/login", timeout=30)
    token = CSRF_INPUT.search(page.text).group(1)
    response = http.post(f"{base}/auth/login", allow_redirects=False, timeout=30,
                         data={"username": username, "password": password,
                               "csrf_token": token})  # fmt: skip
    if response.status_code != 302:
        raise RuntimeError(f"sign-in of {username} failed: {response.status_code}")
    meta = CSRF_META.search(http.get(f"{base}/mood", timeout=30).text)
    http.headers["X-CSRFToken"] = meta.group(1)
    return http


def cookie_header(http: requests.Session) -> str:
    return "; ".join(f"{k}={v}" for k, v in http.cookies.items())


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, in MB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        total += int(match.group(1)) if match else 0
    return round(total / 1024, 1)
