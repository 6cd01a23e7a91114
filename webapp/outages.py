"""A database or Redis that is away for a moment: clear 503 answers instead of 500s.

pymongo gives up on an unreachable server after ``MONGODB_TIMEOUT_MS`` and
reconnects by itself once it is back, as redis-py does; so all the app has to
do meanwhile is answer clearly: JSON ``{"error": ...}`` for the API and JSON
requests, a small page otherwise, both with ``Retry-After``; Socket.IO
handlers answer an ``error`` event and a refused acknowledgement.
"""

from __future__ import annotations

import logging

import redis
from flask import Flask, jsonify, request
from flask_socketio import emit
from kombu.exceptions import OperationalError as BrokerError
from socketio.exceptions import ConnectionRefusedError

from models import DB_UNREACHABLE

DB_DOWN = "The database is not reachable right now; try again in a moment"
REDIS_DOWN = "A service Moodroom needs (Redis) is not reachable right now; try again in a moment"
RETRY_AFTER_S = 5
DB_ERRORS = DB_UNREACHABLE
REDIS_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, BrokerError)

log = logging.getLogger(__name__)


def outage_message(exc: BaseException) -> str | None:
    """The message for a service outage, or ``None`` when ``exc`` is something else."""
    if isinstance(exc, DB_ERRORS):
        return DB_DOWN
    if isinstance(exc, REDIS_ERRORS):
        return REDIS_DOWN
    return None


def install_outage_handlers(app: Flask, socketio) -> None:
    """Register the HTTP error handlers and the Socket.IO default error handler."""

    def http_answer(exc):
        message = outage_message(exc)
        log.warning("%s %s: %s (%s)", request.method, request.path, message, _short(exc))
        if wants_json():
            response = jsonify(error=message)
        else:
            # Not render_template: its context processors load the signed-in user.
            page = app.jinja_env.get_template("outage.html")
            response = app.make_response(page.render(message=message, request=request))
        response.status_code = 503
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
        return response

    for error in DB_ERRORS + REDIS_ERRORS:
        app.register_error_handler(error, http_answer)

    @socketio.on_error_default
    def socket_answer(exc):
        message = outage_message(exc)
        if message is None:
            raise exc
        log.warning("socket %s: %s (%s)", request.event["message"], message, _short(exc))
        if request.event["message"] == "connect":
            raise ConnectionRefusedError(message)
        # The outcome is unknown (an op may have been logged just before): the
        # client may resend it with the same op_id once the service is back.
        emit("error", {"message": message})
        return {"ok": False, "error": message, "retry": True}


def wants_json() -> bool:
    """Whether this request is answered in JSON: the API, JSON bodies, JSON-only clients."""
    if request.path.startswith("/api/") or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
