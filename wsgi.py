"""WSGI entry point for gunicorn (`wsgi:app`); `python wsgi.py` runs a dev server."""

from __future__ import annotations

import gc

import settings
from webapp import create_app
from webapp.extensions import socketio

app = create_app()
# What starting made (modules, models, config) lives as long as the process: keep
# it out of the collector's full passes, which paused every socket (bench/rooms.py).
gc.freeze()

if __name__ == "__main__":
    socketio.run(app, host="127.0.0.1", port=settings.port(), allow_unsafe_werkzeug=True)
