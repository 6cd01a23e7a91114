"""Learning a taste from feedback: direction, penalties, decay, reasons, persistence."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.catalog import FEATURES, Catalog
from core.taste import DAY, Feedback, TasteModel, event_weight
from seeds.synthetic_library import synthetic_rows, tag_names

NOW = 1_700_000_000.0
ENERGY = FEATURES.index("energy")


@pytest.fixture(scope="module", params=["embeddings", "features only"])
def catalog(request):
    rows = synthetic_rows(800, seed=7, with_embeddings=request.param == "embeddings")
    return Catalog.from_rows(rows, tag_names(), "taste")


def energy(catalog):
    return catalog.pct[:, ENERGY]


def split(catalog, lo: float, hi: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Rows with energy in [lo, hi], shuffled and cut in two: taught and held out."""
    e = energy(catalog)
    rows = np.flatnonzero((e >= lo) & (e <= hi))
    np.random.default_rng(seed).shuffle(rows)
    return rows[:15], rows[15:]


def events(catalog, rows, kind: str, at: float = NOW, **extra) -> list[Feedback]:
    return [Feedback(catalog.ids[r], kind, at, **extra) for r in rows]


def test_likes_of_energetic_tracks_raise_other_energetic_tracks(catalog):
    taught, held_out = split(catalog, 0.8, 1.0)
    model = TasteModel.learn(events(catalog, taught, "like"), catalog, NOW)
    _, calm = split(catalog, 0.0, 0.2)
    assert not model.is_empty
    assert model.score(held_out).mean() > model.score(calm).mean() + 0.5
    assert model.score(held_out).mean() > 0
    every = model.score(np.arange(len(catalog)))
    assert every.min() >= -1 and every.max() <= 1
    assert model.summary(catalog)["preferred"]["energy"] > 0.2


def test_dislikes_penalise_similar_tracks_and_ban_the_track(catalog):
    taught, held_out = split(catalog, 0.8, 1.0)
    _, calm = split(catalog, 0.0, 0.2)
    model = TasteModel.learn(events(catalog, taught, "dislike"), catalog, NOW)
    assert model.score(held_out).mean() < model.score(calm).mean() - 0.3
    assert np.all(model.score(taught) == -1)


def test_a_skip_costs_the_track_and_an_early_skip_costs_more():
    cat = Catalog.from_rows(synthetic_rows(300, seed=2), tag_names(), "skip")
    liked, _ = split(cat, 0.5, 1.0)
    target = int(np.flatnonzero(energy(cat) > 0.6)[-1])
    base = events(cat, liked, "like")
    plain = TasteModel.learn(base, cat, NOW)
    skipped = TasteModel.learn(base + events(cat, [target], "skip", position_ms=5_000), cat, NOW)
    late = TasteModel.learn(base + events(cat, [target], "skip", position_ms=200_000), cat, NOW)
    assert skipped.score([target])[0] < late.score([target])[0] < plain.score([target])[0]
    duration = 240.0
    early_w = event_weight(Feedback("x", "skip", NOW, position_ms=10_000), duration)
    late_w = event_weight(Feedback("x", "skip", NOW, position_ms=230_000), duration)
    assert early_w < late_w < 0
    assert event_weight(Feedback("x", "play", NOW)) == 0


def test_artists_disliked_several_times_are_penalised():
    cat = Catalog.from_rows(synthetic_rows(300, seed=2), tag_names(), "artist")
    artists = np.array(cat.text["artist"])
    name = artists[0]
    theirs = np.flatnonzero(artists == name)
    assert len(theirs) >= 4
    liked, _ = split(cat, 0.0, 1.0, seed=3)
    base = events(cat, [r for r in liked if artists[r] != name], "like")
    before = TasteModel.learn(base, cat, NOW)
    after = TasteModel.learn(base + events(cat, theirs[:3], "dislike"), cat, NOW)
    rest = theirs[3:]
    assert np.all(after.score(rest) < before.score(rest))
    penalised = after.summary(cat)["penalised_artists"]
    assert [p["artist"] for p in penalised] == [name]


def test_old_feedback_fades(catalog):
    loud, _ = split(catalog, 0.8, 1.0)
    calm, _ = split(catalog, 0.0, 0.2)
    mixed = events(catalog, loud, "like", at=NOW - 120 * DAY) + events(catalog, calm, "like")
    model = TasteModel.learn(mixed, catalog, NOW, half_life_days=30)
    assert model.summary(catalog)["preferred"]["energy"] < -0.2
    weights = model.to_dict()["tracks"]
    assert weights[catalog.ids[loud[0]]][0] == pytest.approx(0.5**4, rel=1e-3)
    assert weights[catalog.ids[calm[0]]][0] == pytest.approx(1.0)


def test_the_latest_judgement_wins(catalog):
    liked, _ = split(catalog, 0.8, 1.0)
    row = liked[0]
    changed = events(catalog, [row], "dislike", at=NOW - DAY) + events(catalog, liked, "like")
    model = TasteModel.learn(changed, catalog, NOW)
    assert model.score([row])[0] > 0


def test_reasons_name_a_liked_track(catalog):
    taught, held_out = split(catalog, 0.8, 1.0)
    model = TasteModel.learn(events(catalog, taught, "like"), catalog, NOW)
    titles = {catalog.text["title"][r] for r in taught}
    best = held_out[np.argmax(model.score(held_out))]
    reason = model.reason(int(best))
    assert reason.startswith("because you liked ")
    assert any(f"liked {title} by" in reason for title in titles)
    assert model.reason(int(taught[0])) == "you liked it before"
    worst = int(np.argmin(model.score(np.arange(len(catalog)))))
    assert model.reason(worst) is None


def test_empty_model_is_neutral(catalog):
    rows = np.arange(len(catalog))
    for model in (
        TasteModel.empty().bind(catalog),
        TasteModel.learn([], catalog, NOW),
        TasteModel.learn(events(catalog, rows[:10], "play"), catalog, NOW),
        TasteModel.learn([Feedback("not-in-library", "like", NOW)], catalog, NOW),
    ):
        assert model.is_empty
        assert np.all(model.score(rows) == 0)
        assert model.reason(0) is None
        summary = model.summary(catalog)
        assert summary["empty"] and summary["liked"] == 0 and summary["top_liked"] == []
    assert TasteModel.empty().score(rows[:3]).tolist() == [0, 0, 0]


def test_dict_round_trip_keeps_scores(catalog):
    taught, _ = split(catalog, 0.6, 1.0)
    skips = events(catalog, np.flatnonzero(energy(catalog) < 0.1)[:5], "skip", position_ms=9000)
    model = TasteModel.learn(events(catalog, taught, "like") + skips, catalog, NOW + DAY)
    data = json.loads(json.dumps(model.to_dict()))
    again = TasteModel.from_dict(data, catalog)
    rows = np.arange(len(catalog))
    assert np.allclose(again.score(rows), model.score(rows), atol=1e-5)
    assert again.summary(catalog) == model.summary(catalog)
    unbound = TasteModel.from_dict(data)
    with pytest.raises(RuntimeError):
        unbound.score(rows[:2])
    assert np.allclose(unbound.bind(catalog).score(rows), model.score(rows), atol=1e-5)


def test_unknown_events_are_rejected(catalog):
    with pytest.raises(ValueError):
        TasteModel.learn([Feedback(catalog.ids[0], "love", NOW)], catalog, NOW)
