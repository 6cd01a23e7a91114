"""The Subsonic response envelope, in JSON or XML, and the specification's error codes."""

from __future__ import annotations

from xml.etree import ElementTree

from flask import Response, current_app, jsonify, request

API_VERSION = "1.16.1"
SERVER_TYPE = "moodroom"
XMLNS = "http://subsonic.org/restapi"

# The specification's error codes (https://opensubsonic.netlify.app/docs/responses/error/).
GENERIC = 0
MISSING_PARAMETER = 10
CLIENT_TOO_OLD = 20
SERVER_TOO_OLD = 30
WRONG_CREDENTIALS = 40
TOKEN_NOT_SUPPORTED = 41
MECHANISM_NOT_SUPPORTED = 42
CONFLICTING_MECHANISMS = 43
INVALID_API_KEY = 44
NOT_AUTHORISED = 50
NOT_FOUND = 70
ERROR_CODES = (0, 10, 20, 30, 40, 41, 42, 43, 44, 50, 60, 70)


class SubsonicError(Exception):
    """Raised by a handler; answered as the error envelope (HTTP 200, as clients expect)."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def missing(name: str) -> SubsonicError:
    return SubsonicError(MISSING_PARAMETER, f"Required parameter '{name}' is missing.")


def not_found(what: str) -> SubsonicError:
    return SubsonicError(NOT_FOUND, f"{what} not found.")


def _envelope(status: str) -> dict:
    return {
        "status": status,
        "version": API_VERSION,
        "type": SERVER_TYPE,
        "serverVersion": str(current_app.config.get("VERSION", "")),
        "openSubsonic": True,
    }


def ok(payload: dict | None = None) -> Response:
    """A successful answer carrying ``payload`` (element name -> value)."""
    return render({**_envelope("ok"), **(payload or {})})


def error(code: int, message: str) -> Response:
    """The error envelope."""
    return render({**_envelope("failed"), "error": {"code": code, "message": message}})


def response_format() -> str:
    """``json`` or ``xml`` (the default); ``jsonp`` is answered as JSON."""
    return "json" if request.values.get("f") in ("json", "jsonp") else "xml"


def render(body: dict) -> Response:
    if response_format() == "json":
        return jsonify({"subsonic-response": body})
    root = ElementTree.Element("subsonic-response", xmlns=XMLNS)
    _fill(root, body)
    text = ElementTree.tostring(root, encoding="unicode", xml_declaration=False)
    return Response(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + text,
        mimetype="application/xml",
    )


def _fill(element: ElementTree.Element, data: dict) -> None:
    """Scalars become attributes; objects child elements; lists repeated child elements."""
    for name, value in data.items():
        if value is None:
            continue
        if isinstance(value, dict):
            _fill(ElementTree.SubElement(element, name), value)
        elif isinstance(value, list):
            for item in value:
                child = ElementTree.SubElement(element, name)
                if isinstance(item, dict):
                    _fill(child, item)
                else:
                    child.text = _text(item)
        elif name == "value" and element.tag in ("genre", "line"):
            element.text = _text(value)  # element text in the specification's XML
        else:
            element.set(name, _text(value))


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
