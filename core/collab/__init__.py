"""Collaborative editing: room operations as pure functions, and fractional
order keys that let inserts and moves touch one document each.
"""

from core.collab._order_keys import key_between, keys_between
from core.collab._room_ops import (
    EDIT_ROLES,
    MAX_ADD,
    MAX_ENTRIES,
    Entry,
    OpError,
    RoomState,
    apply_effect,
    apply_op,
    undo_effect,
    validate_op,
)

__all__ = [
    "EDIT_ROLES",
    "MAX_ADD",
    "MAX_ENTRIES",
    "Entry",
    "OpError",
    "RoomState",
    "apply_effect",
    "apply_op",
    "key_between",
    "keys_between",
    "undo_effect",
    "validate_op",
]
