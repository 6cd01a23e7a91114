"""The JSON API's OpenAPI document (``GET /api/openapi.json``) and the body checks all
routes share.

The document is written from the views themselves (``webapp/validation.py`` decorators
and ``webapp/schemas/``), which validate with the same schemas; ``tests/test_openapi.py``
compares it with ``app.url_map`` and fuzzes every operation.
"""
