"""Mood understanding: a free-text query becomes a ``MoodSpec``.

A rule pass (numbers, keys, lengths, exclusions, arcs, library names) runs first,
then sentence embeddings score what is left against the seeded moods.
"""

from core.mood._lexicon import GENRE_TAGS
from core.mood._parser import MoodParser
from core.mood._rules import apply_rules
from core.mood._sentence_embedders import Embedder, HashingEmbedder, MiniLMEmbedder
from core.mood._spec import FEATURES, MoodQueryError, MoodSpec

__all__ = [
    "FEATURES",
    "GENRE_TAGS",
    "Embedder",
    "HashingEmbedder",
    "MiniLMEmbedder",
    "MoodParser",
    "MoodQueryError",
    "MoodSpec",
    "apply_rules",
]
