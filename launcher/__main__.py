"""Run Moodroom with everything it needs: ``python -m launcher`` (what ``make run`` calls).

Unless ``MONGODB_URI`` / ``REDIS_URL`` are given, it starts the embedded
MongoDB wire-protocol server (data under ``var/db``) and a private Redis,
records their addresses in ``var/services.json`` (so ``flask`` commands find
them), seeds the database, then starts two Celery worker pools (``interactive``,
one process; ``bulk``, ``WORKER_CONCURRENCY`` processes) and the web server,
restarts any of them that dies, and stops them all on Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import settings
from launcher import services
from launcher.supervisor import Supervisor


def main(argv: list[str] | None = None) -> int:
    """Start, supervise and stop Moodroom's processes; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m launcher", description=__doc__)
    parser.add_argument("--port", type=int, default=settings.port())
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKER_CONCURRENCY", 2)))
    parser.add_argument("--no-demo", action="store_true", help="do not build the demo library")
    args = parser.parse_args(argv)

    signal.signal(signal.SIGTERM, _raise_interrupt)
    started = time.monotonic()
    var = settings.var_dir()
    logs = var / "log"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    supervisor = Supervisor(logs)
    background: list[subprocess.Popen] = []  # start-up steps still running (the scan)
    try:
        env["MONGODB_URI"] = _service(_MONGO, env, supervisor, var, logs)
        env["REDIS_URL"] = _service(_REDIS, env, supervisor, var, logs)
        _record_services(var, env)
        _run_step([sys.executable, "-m", "flask", "--app", "wsgi", "seed"], env, "seeding")
        if not env.get("MUSIC_DIR") and not args.no_demo:
            _run_step(
                [sys.executable, "-m", "seeds.synth", str(settings.demo_library_dir())],
                env,
                "preparing the demo library (built on the first run only)",
            )
        # Two pools: a person's mood search never waits behind library analysis.
        supervisor.add("worker-interactive", _worker_command("interactive", 1), env)
        supervisor.add("worker-bulk", _worker_command("bulk", args.workers), env)
        if settings.rescan_minutes() > 0:  # periodic rescans of every library root
            supervisor.add("beat", _beat_command(var), env)
        if settings.watch_files():  # WATCH_FILES=1: scan a folder as soon as files change
            supervisor.add("watcher", [sys.executable, "-m", "tasks.watcher"], env)
        supervisor.add("web", web_command(args.port), env)
        url = f"http://127.0.0.1:{args.port}"
        _wait_healthy(url, supervisor)
        # Scan in the background: the supervisor must keep watching (a worker
        # that dies now has to be restarted for the scan to finish at all).
        scan = [sys.executable, "-m", "flask", "--app", "wsgi", "library", "scan"]
        threading.Thread(
            target=_run_step,
            args=(scan, env, "scanning the library", False, background),
            daemon=True,
        ).start()
        print(f"Moodroom is running at {url}  (ready in {time.monotonic() - started:.1f} s;")
        print(f"logs in {logs}; press Ctrl-C to stop)", flush=True)
        supervisor.watch()
    except KeyboardInterrupt:
        print("\nStopping Moodroom…", flush=True)
    except (StartupError, RuntimeError) as exc:
        print(f"moodroom: {exc}", file=sys.stderr)
        return 1
    finally:
        for step in background:  # a scan still waiting on its workers must not outlive us
            if step.poll() is None:
                step.terminate()
        supervisor.stop_all()
        services_path = settings.services_file()
        if services_path.exists():
            services_path.unlink()
    return 0


class StartupError(Exception):
    """Something needed could not be started; the message says what to do."""


def _raise_interrupt(_signum, _frame):
    raise KeyboardInterrupt


@dataclass(frozen=True)
class _Service:
    """A service Moodroom needs: named by ``env_var``, or started privately under ``var``."""

    name: str  # also picks services.start_<name> and services.wait_for_<name>
    env_var: str
    port: int  # first port tried for a private one
    url: str  # a private one's address, with {port}
    data_dir: str
    start_log: str  # where a private one's failed start is explained
    unreachable: str  # with {url}, when the named one does not answer


_MONGO = _Service("mongo", "MONGODB_URI", 27017, "mongodb://127.0.0.1:{port}/moodroom", "db",
                  "mongo.out", "cannot reach MongoDB at {url}: start it or unset MONGODB_URI "
                  "to use the embedded server.")  # fmt: skip
_REDIS = _Service("redis", "REDIS_URL", 6379, "redis://127.0.0.1:{port}/0", "redis",
                  "redis.log", "cannot reach Redis at {url}: start it or unset REDIS_URL to "
                  "use a private one.")  # fmt: skip


def _service(service: _Service, env: dict, supervisor: Supervisor, var: Path, logs: Path) -> str:
    """The service's URL once it answers: the one the environment names, or a private one."""
    wait = getattr(services, f"wait_for_{service.name}")
    if env.get(service.env_var):
        url = env[service.env_var]
        try:
            wait(url, timeout=5)
        except RuntimeError as exc:
            raise StartupError(service.unreachable.format(url=url)) from exc
        return url
    port = services.free_port(service.port)
    url = service.url.format(port=port)
    start = getattr(services, f"start_{service.name}")
    try:
        proc = supervisor.add(service.name, None, env, start=partial(
            start, port, var / service.data_dir, logs / f"{service.name}.log"))  # fmt: skip
        wait(url, proc)
    except RuntimeError as exc:
        raise StartupError(f"{exc}; see {logs / service.start_log}") from exc
    return url


def _record_services(var: Path, env: dict) -> None:
    var.mkdir(parents=True, exist_ok=True)
    record = {"mongodb_uri": env["MONGODB_URI"], "redis_url": env["REDIS_URL"], "pid": os.getpid()}
    settings.services_file().write_text(json.dumps(record, indent=2))


def _run_step(
    command: list[str], env: dict, what: str, required: bool = True, running: list | None = None
) -> None:
    """Run one start-up step; ``running`` (a list) collects it so it can be stopped early."""
    print(f"Moodroom: {what}…", flush=True)
    step = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)  # fmt: skip
    if running is not None:
        running.append(step)
    stdout, stderr = step.communicate()
    result = subprocess.CompletedProcess(command, step.returncode, stdout, stderr)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        message = f"{what} failed: {detail[-1] if detail else result.returncode}"
        if not required:
            print(f"Moodroom: {message}", file=sys.stderr, flush=True)
            return
        raise StartupError(message)
    if result.stdout.strip():
        print("  " + result.stdout.strip().splitlines()[-1], flush=True)


def _worker_command(queue: str, concurrency: int) -> list[str]:
    """A Celery worker pool consuming one queue of ``tasks.routes``."""
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "tasks.celery_app",
        "worker",
        "--loglevel",
        "INFO",
        "-Q",
        queue,
        "--concurrency",
        str(max(1, concurrency)),
        "--hostname",
        f"{queue}@%h",
    ]
    # Analysis yields the CPU to interactive work and the web process.
    return ["nice", "-n", str(BULK_NICENESS), *command] if queue == "bulk" else command


BULK_NICENESS = 19


def _beat_command(var: Path) -> list[str]:
    """Celery beat: queues ``library.rescan_all`` every ``RESCAN_MINUTES``."""
    return [sys.executable, "-m", "celery", "-A", "tasks.celery_app", "beat", "--loglevel",
            "INFO", "--schedule", str(var / "celerybeat-schedule")]  # fmt: skip


def web_command(port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        "1",
        "--threads",
        "100",
        "--bind",
        f"127.0.0.1:{port}",
        "--graceful-timeout",
        "5",
        "--timeout",
        "120",
        "wsgi:app",
    ]


def _wait_healthy(url: str, supervisor: Supervisor, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        supervisor.check_alive(required=("web",))
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as exc:
            last = exc.read().decode(errors="replace")
        except OSError as exc:
            last = str(exc)
        time.sleep(0.5)
    raise StartupError(f"Moodroom did not become healthy within {timeout:.0f} s: {last}")


if __name__ == "__main__":
    sys.exit(main())
