"""Fractional order keys: strings that sort between their neighbours.

Inserting between two entries never renumbers the others, so concurrent
inserts and moves touch one document each. Keys use base-62 digits whose
ASCII order equals their numeric order, and never end in the zero digit, so
there is always room between two keys.
"""

from __future__ import annotations

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
BASE = len(DIGITS)
_VALUE = {c: i for i, c in enumerate(DIGITS)}


def key_between(before: str | None, after: str | None) -> str:
    """A key sorting strictly between ``before`` and ``after`` (``None`` = open end)."""
    if before is not None and after is not None and not before < after:
        raise ValueError(f"{before!r} must sort before {after!r}")
    for key in (before, after):
        if key is not None and (not key or key[-1] == DIGITS[0] or set(key) - set(DIGITS)):
            raise ValueError(f"invalid order key {key!r}")
    low, high = before or "", after
    result = []
    i = 0
    while True:
        lo = _VALUE[low[i]] if i < len(low) else 0
        hi = _VALUE[high[i]] if high is not None and i < len(high) else BASE
        if hi - lo > 1:
            result.append(DIGITS[(lo + hi) // 2])
            return "".join(result)
        # No digit fits here: copy the lower digit and go one place deeper.
        result.append(DIGITS[lo])
        if hi - lo == 1:
            # Everything longer than this prefix sorts below ``high``: drop the bound.
            high = None
        i += 1


def keys_between(before: str | None, after: str | None, n: int) -> list[str]:
    """``n`` increasing keys between ``before`` and ``after``, spread evenly."""
    if n <= 0:
        return []
    middle = key_between(before, after)
    left = keys_between(before, middle, (n - 1) // 2)
    right = keys_between(middle, after, n - 1 - len(left))
    return [*left, middle, *right]
