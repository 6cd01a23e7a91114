"""Request bodies no view can use: over the size limit, nested too deeply, or unstorable text.

Checked once, before any view runs, so every JSON route answers them with a clear 4xx
instead of failing inside the view (the views' own field checks come after).
"""

from __future__ import annotations

from flask import abort, current_app, request

TOO_DEEP = "The JSON is nested too deeply."
NOT_UNICODE = (
    "The JSON holds text that is not valid Unicode (a lone surrogate escape such as "
    "\\ud800); send real characters."
)


def check_body():
    """``before_request`` hook: ``None`` to go on; refusals go through ``webapp/errors.py``."""
    limit, length = current_app.config.get("MAX_CONTENT_LENGTH"), request.content_length
    if limit is not None and length is not None and length > limit:
        message = f"The request body is {length / 2**20:.1f} MB; the limit is {limit / 2**20:g} MB."
        abort(413, description=message)
    if not request.is_json:
        return None
    try:
        # Parsed and cached once: the views' get_json(silent=True) reuses this value.
        body = request.get_json(silent=True)
    except RecursionError:
        abort(400, description=TOO_DEEP)
    if not _storable(body):
        abort(400, description=NOT_UNICODE)
    return None


def _storable(value) -> bool:
    """Whether every string in ``value`` encodes as UTF-8 (BSON cannot store lone surrogates)."""
    # A loop, not recursion: the parser accepts nesting close to the recursion limit.
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return False
    return True
