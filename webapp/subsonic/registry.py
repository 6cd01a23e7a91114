"""The endpoint table and the parameter readers every handler shares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import request

from webapp.subsonic.responses import MISSING_PARAMETER, SubsonicError, missing


@dataclass(frozen=True)
class Endpoint:
    name: str
    view: Callable
    admin: bool = False


ENDPOINTS: dict[str, Endpoint] = {}


def endpoint(name: str, admin: bool = False):
    """Register ``view(user)`` as the Subsonic method ``name``."""

    def register(view):
        ENDPOINTS[name] = Endpoint(name, view, admin)
        return view

    return register


def text(name: str, required: bool = True, limit: int = 2000) -> str | None:
    value = request.values.get(name)
    if value is None or value == "":
        if required:
            raise missing(name)
        return None
    if len(value) > limit:
        raise SubsonicError(MISSING_PARAMETER, f"'{name}' is too long (at most {limit}).")
    return value


def number(name: str, default: int | None = None, low: int = 0, high: int = 10**9) -> int | None:
    """A whole number clamped to ``[low, high]``; ``default`` when absent (``None``: required)."""
    value = request.values.get(name)
    if value is None or value == "":
        if default is None:
            raise missing(name)
        return default
    try:
        parsed = int(value)
    except ValueError:
        raise SubsonicError(MISSING_PARAMETER, f"'{name}' must be a whole number.") from None
    return min(max(parsed, low), high)


def flag(name: str, default: bool = False) -> bool:
    value = request.values.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("true", "1", "yes")


def many(name: str, limit: int = 500) -> list[str]:
    values = [v for v in request.values.getlist(name) if v]
    if len(values) > limit:
        raise SubsonicError(MISSING_PARAMETER, f"At most {limit} values of '{name}'.")
    if any(len(v) > 200 for v in values):
        raise SubsonicError(MISSING_PARAMETER, f"'{name}' values are too long.")
    return values
