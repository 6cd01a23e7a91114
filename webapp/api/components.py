"""Parts of the OpenAPI document shared by every operation: security and error answers."""

from __future__ import annotations

from webapp.validation import JSON

SECURITY_SCHEMES = {
    "session": {"type": "apiKey", "in": "cookie", "name": "session",
                "description": "Flask session cookie set by signing in (`POST /auth/login`)"},
    "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
             "description": "The page's CSRF token; required on POST"},
}  # fmt: skip

_ERROR = {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}}
RESPONSES = {
    str(code): {"description": description, "content": _ERROR}
    for code, description in {
        400: "Input refused; the message names the field",
        401: "Not signed in (pages are redirected to the sign-in form instead)",
        403: "Signed in, but the role is not enough",
        404: "No such thing, or not visible to this person",
        409: "Not possible in the current state",
        413: "Request body over 2 MB (MAX_CONTENT_LENGTH)",
    }.items()
}


def describe_answers(responses: dict, other: dict) -> dict:
    """``@response`` answers, then ``@other_responses``: shared codes by reference."""
    answers = {}
    for status, (schema, description, media) in sorted(responses.items()):
        answers[str(status)] = {"description": description or "Done",
                                "content": {media: {"schema": schema}}}  # fmt: skip
    for status, description in sorted(other.items()):
        if description is None:
            answers[str(status)] = {"$ref": f"#/components/responses/{status}"}
        else:
            answers[str(status)] = {"description": description}
    return answers
