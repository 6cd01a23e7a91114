"""A worker keeps a person's learned taste until their feedback, a reset or the build changes."""

from __future__ import annotations

import time

from core.catalog import Catalog
from models import FeedbackEvent, User
from seeds.synthetic_library import synthetic_rows, tag_names
from tasks.taste import taste_for
from tests.factories import add_analysed_tracks


def test_taste_is_relearned_exactly_when_something_changed(app):
    tracks = add_analysed_tracks(60, seed=0)
    catalog = Catalog.from_rows(synthetic_rows(60, seed=0), tag_names(), version="c1")
    user = User(username="cara", password_hash="x").save()

    empty, _ = taste_for(user.id, catalog)
    assert empty.is_empty and taste_for(user.id, catalog)[0] is empty  # kept

    FeedbackEvent(user=user, track=tracks[0], event="like").save()
    liked, recent = taste_for(user.id, catalog)
    assert not liked.is_empty and tracks[0].id in liked.tracks and recent == set()
    assert taste_for(user.id, catalog)[0] is liked

    FeedbackEvent(user=user, track=tracks[1], event="complete").save()
    played, recent = taste_for(user.id, catalog)
    assert played is not liked and recent == {tracks[1].id}

    newer = Catalog.from_rows(synthetic_rows(60, seed=0), tag_names(), version="c2")
    rebound, _ = taste_for(user.id, newer)
    assert rebound is not played and rebound.catalog is newer

    User.objects(id=user.id).update(set__preferences__taste_reset_ts=time.time() + 1)
    assert taste_for(user.id, newer)[0].is_empty
