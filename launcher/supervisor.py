"""Owning child processes: start, restart on failure, stop in reverse order."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from launcher import services

MAX_RESTARTS_PER_MINUTE = 5


@dataclass
class Child:
    """A supervised process and how to start it again."""

    name: str
    start: Callable[[], subprocess.Popen]
    proc: subprocess.Popen
    restarts: list[float] = field(default_factory=list)


class Supervisor:
    """Starts named children, restarts the ones that die, stops them all."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.children: list[Child] = []

    def add(self, name: str, command: list[str] | None, env: dict, start=None) -> subprocess.Popen:
        """Start ``command`` (or call ``start``) as child ``name``; return its process."""
        if start is None:

            def start():
                return services.spawn(command, self.log_dir / f"{name}.log", env)

        child = Child(name, start, start())
        self.children.append(child)
        return child.proc

    def check_alive(self, required: tuple[str, ...] = ()) -> None:
        """Restart children that exited; raise ``RuntimeError`` if one keeps dying."""
        for child in self.children:
            code = child.proc.poll()
            if code is None:
                continue
            now = time.monotonic()
            child.restarts = [t for t in child.restarts if now - t < 60] + [now]
            if len(child.restarts) > MAX_RESTARTS_PER_MINUTE or child.name in required:
                log = self.log_dir / f"{child.name}.log"
                raise RuntimeError(f"{child.name} keeps exiting (code {code}); see {log}")
            print(f"Moodroom: {child.name} exited (code {code}); restarting it.", file=sys.stderr)
            services.stop(child.proc)
            child.proc = child.start()

    def watch(self, interval: float = 1.0) -> None:
        """Supervise until interrupted."""
        while True:
            self.check_alive()
            time.sleep(interval)

    def stop_all(self) -> None:
        """Stop children in reverse start order (web first, databases last)."""
        for child in reversed(self.children):
            services.stop(child.proc)
        self.children.clear()
