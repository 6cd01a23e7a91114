"""Taste and blends: what one person likes, their standing preferences, and
playlists shared out fairly between several people.
"""

from core.taste._blend import ALGORITHMS, blend, quotas, taste_match
from core.taste._feedback import DAY, Feedback, event_weight
from core.taste._preferences import (
    COUNT_RANGE,
    ENERGY_SCALES,
    MAX_EXCLUDE,
    apply_preferences,
    default_count,
    energy_label,
    excluded_rows,
    parse_exclusions,
)
from core.taste._taste_model import TasteModel

__all__ = [
    "ALGORITHMS",
    "COUNT_RANGE",
    "DAY",
    "ENERGY_SCALES",
    "MAX_EXCLUDE",
    "Feedback",
    "TasteModel",
    "apply_preferences",
    "blend",
    "default_count",
    "energy_label",
    "event_weight",
    "excluded_rows",
    "parse_exclusions",
    "quotas",
    "taste_match",
]
