"""``bench.mood_e2e``'s client side: the page's ``/live`` socket and one timed query."""

from __future__ import annotations

import threading
import time

import requests
import socketio


class Listener:
    """The page's ``/live`` socket: when did each session's final event arrive."""

    def __init__(self, base: str, cookie: str):
        self.done: dict[str, float] = {}
        self.cond = threading.Condition()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("generation", self._on_event, namespace="/live")
        self.sio.connect(base, namespaces=["/live"], headers={"Cookie": cookie},
                         transports=["websocket"], wait_timeout=30)  # fmt: skip

    def _on_event(self, data):
        if data.get("status") in ("completed", "failed"):
            with self.cond:
                self.done[data["session"]] = time.time() * 1000
                self.cond.notify_all()

    def wait(self, session: str, timeout: float = 120) -> float:
        with self.cond:
            if not self.cond.wait_for(lambda: session in self.done, timeout):
                raise RuntimeError(f"no completion event for {session}")
            return self.done[session]


def one_query(http: requests.Session, base: str, listener: Listener, text: str) -> dict:
    t0 = time.time() * 1000
    response = http.post(f"{base}/api/moods/generate", json={"text": text}, timeout=60)
    t1 = time.time() * 1000
    response.raise_for_status()
    session = response.json()["session"]
    t2 = listener.wait(session)
    body = http.get(f"{base}/api/generations/{session}", timeout=60).json()
    t3 = time.time() * 1000
    if body["status"] != "completed" or not body["tracks"]:
        raise RuntimeError(f"{text!r}: {body['status']} {body.get('error')}")
    t = body["timings"]
    return {
        "session": session,
        "tracks": len(body["tracks"]),
        "first_track": body["tracks"][0]["id"],
        "submit_ms": t1 - t0,
        "queue_ms": t["parse_start_at"] - t["queued_at"],
        "parse_ms": t["parse_ms"],
        "hop_ms": t["generate_start_at"] - t["parse_end_at"],
        "catalog_ms": t["catalog_ms"],
        "taste_ms": t["taste_ms"],
        "retrieve_ms": t["retrieve_ms"],
        "rank_ms": t["rank_ms"],
        "order_ms": t["order_ms"],
        "store_notify_ms": t2 - t["generate_end_at"],
        "fetch_ms": t3 - t2,
        "total_ms": t3 - t0,
    }
