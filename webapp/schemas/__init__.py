"""The JSON API's request and response schemas (marshmallow), and the limits they hold.

Views validate with them (``webapp/validation.py``) and the OpenAPI document is written
from them, so neither is a second copy of the other.
"""
