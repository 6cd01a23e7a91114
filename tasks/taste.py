"""A person's learned taste: one function for every place that ranks for someone.

Mood generation, blends, "more like these" and the taste summary all call
``person_taste``; learning reads every event and scores the whole catalog (a few hundred
ms at 100k tracks), so the model is kept per person until they give new feedback, the
build changes, or ``TASTE_MAX_AGE_S`` passes.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from core.taste import TasteModel
from models.feedback import taste_events, taste_stamp

RECENT_HOURS = 3  # played this recently: ranked lower in the next playlist
TASTE_CACHE_SIZE = 64
TASTE_MAX_AGE_S = 600  # decay and the "recently played" window move on; relearn now and then
_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()


def person_taste(user_id: str, catalog) -> tuple[TasteModel, list]:
    """The person's learned taste for ``catalog``, and the feedback events it learned from."""
    now = time.time()
    key = (user_id, catalog.version, taste_stamp(user_id))
    with _lock:
        cached = _cache.get(user_id)
    if cached is None or cached[0] != key or now - cached[1] > TASTE_MAX_AGE_S:
        events = taste_events(user_id)
        cached = (key, now, TasteModel.learn(events, catalog, now=now), events)
        with _lock:
            _cache[user_id] = cached
            _cache.move_to_end(user_id)
            while len(_cache) > TASTE_CACHE_SIZE:
                _cache.popitem(last=False)
    return cached[2], cached[3]


def taste_for(user_id: str, catalog) -> tuple[TasteModel, set[str]]:
    """The person's learned taste, and the tracks they played in the last few hours."""
    model, events = person_taste(user_id, catalog)
    now = time.time()
    recent = {e.track_id for e in events
              if e.event in ("play", "complete") and now - e.at < RECENT_HOURS * 3600}  # fmt: skip
    return model, recent
