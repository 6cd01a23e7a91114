"""WSGI entry point for gunicorn (`wsgi:app`); `python wsgi.py` runs a dev server."""

from __future__ import annotations

import settings
from webapp import create_app
from webapp.extensions import socketio

app = create_app()

if __name__ == "__main__":
    socketio.run(app, host="127.0.0.1", port=settings.port(), allow_unsafe_werkzeug=True)
