"""The JSON API's OpenAPI document (``GET /api/openapi.json``).

The views validate their input by hand; this package only describes them, from the
same constants, so the document and the checks cannot drift apart silently
(``tests/test_openapi.py`` compares it with ``app.url_map`` and fuzzes every operation).
"""
