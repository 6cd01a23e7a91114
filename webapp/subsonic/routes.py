"""``/rest/<method>`` (with or without ``.view``): authenticate, dispatch, answer the envelope.

No session cookie is read here: every request carries its own credentials, so the
blueprint is exempt from CSRF, and a browser visiting a ``/rest/`` link signed in to
Moodroom gains nothing. Every failure, including unknown methods and crashes, is
answered with the specification's error envelope, never an HTML page or a 500.
"""

from __future__ import annotations

import logging

from flask import Blueprint
from werkzeug.exceptions import HTTPException

from webapp.extensions import csrf
from webapp.outages import DB_ERRORS, REDIS_ERRORS, outage_message
from webapp.subsonic import (  # noqa: F401 - each module registers its endpoints
    browsing,
    compat,
    lists,
    media,
    playlists,
    similarity,
    system,
)
from webapp.subsonic.auth import authenticate
from webapp.subsonic.registry import ENDPOINTS
from webapp.subsonic.responses import GENERIC, NOT_AUTHORISED, SubsonicError, error

log = logging.getLogger(__name__)
bp = Blueprint("subsonic", __name__, url_prefix="/rest")
csrf.exempt(bp)
ANY_METHOD = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API (public: it describes, it reveals no data)."""
    from flask import current_app, jsonify

    from webapp.subsonic.openapi import build_spec

    return jsonify(build_spec(current_app.config["VERSION"]))


@bp.route("", methods=ANY_METHOD)
@bp.route("/", methods=ANY_METHOD)
@bp.route("/<path:method>", methods=ANY_METHOD)
def dispatch(method: str = ""):
    name = method.removesuffix(".view")
    found = ENDPOINTS.get(name)
    try:
        user = authenticate()
        if found is None:
            response = error(GENERIC, f"Unknown or unsupported method '{name[:64]}'.")
            response.status_code = 404
            return response
        if found.admin and not user.is_admin:
            raise SubsonicError(NOT_AUTHORISED, "Only administrators can do that.")
        return found.view(user)
    except SubsonicError as exc:
        return error(exc.code, exc.message)
    except HTTPException as exc:  # e.g. a form body over the size limit
        return error(GENERIC, exc.description or exc.name)
    except (*DB_ERRORS, *REDIS_ERRORS) as exc:  # the web app's 503, as the envelope clients read
        log.warning("Subsonic method %r: %s", name[:64], type(exc).__name__)
        return error(GENERIC, outage_message(exc))
    except Exception:
        # The method name only: parameters may hold credentials.
        log.exception("Subsonic method %r failed", name[:64])
        return error(GENERIC, "The server could not answer that request.")
