"""Background load for the outage tests: HTTP readers and room editors, every answer recorded."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass

import requests

from webapp.outages import DB_DOWN, REDIS_DOWN

HANG_S = 20  # far above MONGODB_TIMEOUT_MS: only a hung request takes this long


@dataclass
class Answer:
    """One request (``kind`` "http") or room op ("op") and what came back."""

    kind: str
    what: str
    sent: float
    answered: float
    status: int | str  # HTTP status; "ok", "refused" or "no answer" for ops
    detail: str = ""
    retry_after: str | None = None

    @property
    def unavailable(self) -> bool:
        outage = self.status == "refused" and self.detail in (DB_DOWN, REDIS_DOWN)
        return self.status == 503 or outage


class Load:
    """Readers GET ``paths`` with ``session``'s cookies; each room client sends one op at a time."""

    def __init__(self, base: str, session: requests.Session, paths: list[str]):
        self.base, self.paths, self._cookies = base, paths, session.cookies
        self.answers: list[Answer] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self, clients, tracks: list[str]) -> None:
        targets = [(self._read, path) for path in self.paths]
        targets += [(self._edit, (client, tracks)) for client in clients]
        for target, arg in targets:
            thread = threading.Thread(target=target, args=(arg,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(HANG_S + 15)

    def _read(self, path: str) -> None:
        session = requests.Session()
        session.cookies.update(self._cookies)
        while not self._stop.is_set():
            sent = time.monotonic()
            try:
                response = session.get(self.base + path, timeout=HANG_S + 10)
                status, detail = response.status_code, response.text[:3000]
                retry_after = response.headers.get("Retry-After")
            except requests.RequestException as exc:
                status, detail, retry_after = "no answer", repr(exc), None
            self.answers.append(Answer("http", path, sent, time.monotonic(), status, detail,
                                       retry_after))  # fmt: skip
            time.sleep(0.05)

    def _edit(self, args) -> None:
        client, tracks = args
        rng = random.Random(client.username)
        while not self._stop.is_set():
            entries = client.entries()
            if not entries or rng.random() < 0.4:
                op = {"type": "add", "track_ids": [rng.choice(tracks)]}
            elif rng.random() < 0.5:
                op = {"type": "move", "entry_id": rng.choice(entries)[0],
                      "index": rng.randrange(len(entries))}  # fmt: skip
            else:
                op = {"type": "vote", "entry_id": rng.choice(entries)[0], "value": 1}
            sent = time.monotonic()
            op_id = client.send(op)
            client.wait_for(lambda i=op_id: i in client.acked or i in client.refused, HANG_S)
            status = "ok" if op_id in client.acked else "refused" if op_id in client.refused else (
                "no answer")  # fmt: skip
            self.answers.append(Answer("op", op_id, sent, time.monotonic(), status,
                                       client.refused.get(op_id, "")))  # fmt: skip
            time.sleep(0.05)

    def answered_between(self, start: float, end: float) -> list[Answer]:
        """Requests sent after ``start`` and answered before ``end``."""
        return [a for a in list(self.answers) if a.sent >= start and a.answered <= end]

    def wait_for_success(self, after: float, timeout: float) -> bool:
        """Wait until every path answered 200 and some op was applied, sent after ``after``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            good = {a.what if a.kind == "http" else "op" for a in list(self.answers)
                    if a.sent > after and a.status in (200, "ok")}  # fmt: skip
            if good >= {*self.paths, "op"}:
                return True
            time.sleep(0.2)
        return False

    def check_answers(self, message: str) -> None:
        """Only 200s and clear 503s (JSON for the API, with ``Retry-After``), and no hangs."""
        for a in self.answers:
            assert a.status in (200, 503, "ok") or a.unavailable, a
            assert a.answered - a.sent < HANG_S, a
            if a.status == 503:
                assert a.retry_after and message in a.detail, a
                if a.what.startswith("/api/"):
                    assert a.detail.startswith('{"error":'), a

    def summary(self) -> dict:
        return dict(Counter(f"{a.kind} {a.status}" for a in self.answers))
