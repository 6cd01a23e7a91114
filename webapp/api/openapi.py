"""Build the OpenAPI 3 document with apispec, from the schemas and operations beside it."""

from __future__ import annotations

from apispec import APISpec

from webapp.api.schemas import SCHEMAS

JSON = "application/json"
SIGNED_IN = [{"session": []}]
# Flask-WTF reads the token from this header on every state-changing call.
SIGNED_IN_WITH_CSRF = [{"session": [], "csrf": []}]


def ref(name: str) -> dict:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(description: str, schema: str | dict) -> dict:
    """A response whose body is JSON of ``schema`` (a component name or an inline schema)."""
    return {
        "description": description,
        "content": {JSON: {"schema": ref(schema) if isinstance(schema, str) else schema}},
    }


def path_param(name: str, description: str) -> dict:
    """A required string path parameter (ids are opaque strings)."""
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }


def query_param(name: str, schema: dict, description: str, required: bool = False) -> dict:
    """A query string parameter."""
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


def body(schema: str, required: bool = True) -> dict:
    """A JSON request body of component ``schema``."""
    return {"required": required, "content": {JSON: {"schema": ref(schema)}}}


def errors(*codes: int) -> dict:
    """The shared error responses for ``codes`` (see ``RESPONSES``)."""
    return {str(code): {"$ref": f"#/components/responses/{code}"} for code in codes}


_ERROR_JSON = {"schema": ref("Error")}
RESPONSES = {
    "401": {
        "description": "Not signed in (pages are redirected to the sign-in form instead)",
        "content": {JSON: _ERROR_JSON},
    },
    "400": {
        "description": "Input refused; the message names the field",
        "content": {JSON: _ERROR_JSON},
    },
    "403": {"description": "Signed in, but the role is not enough", "content": {JSON: _ERROR_JSON}},
    "404": {
        "description": "No such thing, or not visible to this person",
        "content": {JSON: _ERROR_JSON},
    },
    "409": {"description": "Not possible in the current state", "content": {JSON: _ERROR_JSON}},
    "413": {
        "description": "Request body over 2 MB (MAX_CONTENT_LENGTH)",
        "content": {JSON: _ERROR_JSON},
    },
}


def build_spec(version: str) -> dict:
    """The whole document as a dict (JSON-ready)."""
    from webapp.api.paths_browse import PATHS as BROWSE
    from webapp.api.paths_music import PATHS as MUSIC
    from webapp.api.paths_sharing import PATHS as SHARING

    spec = APISpec(
        title="Moodroom JSON API",
        version=version,
        openapi_version="3.0.3",
        info={
            "description": "Calls made by Moodroom's pages. Sign in through the "
            "`POST /auth/login` form; the session cookie then authenticates, "
            "and every POST also sends the page's CSRF token in `X-CSRFToken` "
            '(from `<meta name="csrf-token">`).'
        },
    )
    spec.components.security_scheme(
        "session",
        {
            "type": "apiKey",
            "in": "cookie",
            "name": "session",
            "description": "Flask session cookie set by signing in (`POST /auth/login`)",
        },
    )
    spec.components.security_scheme(
        "csrf",
        {
            "type": "apiKey",
            "in": "header",
            "name": "X-CSRFToken",
            "description": "The page's CSRF token; required on POST",
        },
    )
    for name, schema in SCHEMAS.items():
        spec.components.schema(name, schema)
    for code, response in RESPONSES.items():
        spec.components.response(code, response)
    for path, operations in {**MUSIC, **SHARING, **BROWSE}.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()
