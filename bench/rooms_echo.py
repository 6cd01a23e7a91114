"""Baseline server for ``bench.rooms``: the /rooms protocol with no database work.

The same stack as Moodroom (Flask-SocketIO threading mode, simple-websocket,
gunicorn gthread, Redis message queue) but ``op`` is echoed to the room at
once: no sign-in, no lock, no validation, no op log. Run by the benchmark as
``gunicorn bench.rooms_echo:app`` with ``REDIS_URL`` set.
"""

from __future__ import annotations

import itertools
import os
import threading

from flask import Flask
from flask_socketio import SocketIO, emit, join_room

app = Flask(__name__)
# Own channel: the echo server never hears (or feeds) a Moodroom server's broadcasts.
socketio = SocketIO(
    app,
    async_mode="threading",
    message_queue=os.environ["REDIS_URL"],
    channel="moodroom-bench-echo",
)
_seq = itertools.count(1)
_seq_lock = threading.Lock()


@socketio.on("join", namespace="/rooms")
def on_join(data):
    join_room(f"room:{data['playlist_id']}")
    return {"ok": True, "version": 0, "snapshot": {"entries": data.get("entries", [])}}


@socketio.on("op", namespace="/rooms")
def on_op(data):
    with _seq_lock:
        seq = next(_seq)
    effect = {"upsert": [], "delete": [], "op": data["op"]}
    emit("applied", {"playlist_id": data["playlist_id"], "seq": seq, "op_id": data["op_id"],
                     "user": "echo", "effect": effect, "tracks": {}},
         to=f"room:{data['playlist_id']}")  # fmt: skip
    return {"ok": True, "seq": seq, "duplicate": False}
