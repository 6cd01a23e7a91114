"""Optional filesystem watcher: ``python -m tasks.watcher`` (started by ``make run`` when
``WATCH_FILES=1``).

Watches every library root with ``watchdog`` and queues a scan of a root a moment after
audio files in it were added, changed, moved or deleted (events are gathered until the root
has been quiet for ``QUIET_S``, at most ``MAX_WAIT_S``). The scan does the real work, so a
missed event is caught by the next one or by the periodic rescan.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

import settings
from core.files import AUDIO_EXTENSIONS

QUIET_S = 2.0
MAX_WAIT_S = 30.0


class RootChanges(FileSystemEventHandler):
    """Remembers when audio under one root last changed."""

    def __init__(self, root: Path, pending: dict, lock: threading.Lock):
        self.root, self.pending, self.lock = root, pending, lock

    def on_any_event(self, event) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        if not event.is_directory and not any(
            Path(p).suffix.lower() in AUDIO_EXTENSIONS for p in paths if p
        ):
            return
        now = time.monotonic()
        with self.lock:
            first, _last = self.pending.get(self.root, (now, now))
            self.pending[self.root] = (first, now)


def due(pending: dict, now: float) -> list[Path]:
    """Roots quiet for ``QUIET_S`` (or waiting ``MAX_WAIT_S``), removed from ``pending``."""
    ready = [root for root, (first, last) in pending.items()
             if now - last >= QUIET_S or now - first >= MAX_WAIT_S]  # fmt: skip
    for root in ready:
        del pending[root]
    return ready


def main() -> int:
    from tasks.library import scan_root

    roots = [root for root in settings.music_dirs() if root.is_dir()]
    if not roots:
        print("watcher: no library folder to watch", file=sys.stderr)
        return 1
    pending: dict[Path, tuple[float, float]] = {}
    lock = threading.Lock()
    observer = Observer()
    for root in roots:
        observer.schedule(RootChanges(root, pending, lock), str(root), recursive=True)
    observer.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(f"watcher: watching {', '.join(map(str, roots))}", flush=True)
    try:
        while not stop.wait(0.5):
            with lock:
                ready = due(pending, time.monotonic())
            for root in ready:
                scan_root.delay(str(root))
                print(f"watcher: changes in {root}: scan queued", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join(5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
