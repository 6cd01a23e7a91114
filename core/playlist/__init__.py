"""Playlist shaping: from a ``MoodSpec`` to an ordered, explained playlist.

Retrieve, rank, select (relaxing hard constraints when too few fit), then order
along an energy arc with smooth transitions.
"""

from core.playlist._generate import Generation, generate
from core.playlist._ranking import DEFAULT_MAX_PER_ARTIST, allowed_mask, make_target
from core.playlist._relax import compatible_codes
from core.playlist._sequencing import Item, Sequence, order
from core.playlist._shape import arc_targets, effective_bpm_delta, plan_slots

__all__ = [
    "DEFAULT_MAX_PER_ARTIST",
    "Generation",
    "Item",
    "Sequence",
    "allowed_mask",
    "arc_targets",
    "compatible_codes",
    "effective_bpm_delta",
    "generate",
    "make_target",
    "order",
    "plan_slots",
]
