"""Energy read off labelled example requests (core.mood._intents)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from core.mood import HashingEmbedder, MiniLMEmbedder, MoodParser
from core.mood._intensity import sounded_energy, stated_energy
from core.mood._intents import LEVELS, Example, IntentModel, load_examples

MOODS_FILE = Path(__file__).resolve().parent.parent / "seeds" / "moods.yaml"


def test_every_example_line_is_labelled_sensibly():
    examples = load_examples()
    assert len(examples) >= 200
    assert len({e.text for e in examples}) == len(examples), "duplicate example"
    for e in examples:
        assert e.text and e.text == e.text.strip()
        if e.levels is not None:
            lo, hi = e.levels
            assert 0 <= lo <= hi < LEVELS, e


def test_the_nearest_examples_vote_and_a_split_vote_says_nothing():
    examples = [
        Example("alpha", (0, 1), False),
        Example("beta", (3, 4), True),
        Example("gamma", None, None),
    ]
    model = IntentModel(HashingEmbedder(), examples)
    calm = model.read("alpha")
    assert calm.energy == (0.0, 0.35) and calm.beat is False and calm.nearest == "alpha"
    loud = model.read("beta songs")  # filler words do not count
    assert loud.energy == (0.6, 1.0) and loud.beat is True
    assert model.read("gamma") is None  # an example that asks for no particular energy
    assert model.read("music") is None  # nothing left but filler
    assert IntentModel(HashingEmbedder(), []).read("alpha") is None


@pytest.fixture(scope="module")
def model() -> IntentModel:
    return IntentModel(MiniLMEmbedder())


@pytest.fixture(scope="module")
def real_parser() -> MoodParser:
    moods = yaml.safe_load(MOODS_FILE.read_text(encoding="utf-8"))["moods"]
    return MoodParser(moods, MiniLMEmbedder())


@pytest.mark.parametrize(
    ("text", "floor", "cap"),
    [
        ("getting the kids to sleep", 0.0, 0.4),
        ("a massage", 0.0, 0.4),
        ("leg day at the gym", 0.6, 1.0),
        ("squats and deadlifts", 0.6, 1.0),
    ],
)
def test_words_no_mood_names_still_say_how_intense(model, text, floor, cap):
    intent = model.read(text)
    assert intent is not None, text
    assert intent.energy[0] >= floor and intent.energy[1] <= cap, (text, intent)


def test_words_about_something_else_give_no_energy(model):
    assert model.read("zqxjv wubble") is None
    assert model.read("surprise me with something new") is None


def test_stated_words_bound_one_side_and_sounded_words_narrow_or_rule():
    assert stated_energy([0.3, 0.6], (0.0, 0.4)) == [0.0, 0.4]
    assert stated_energy(None, (0.65, 1.0)) == [0.65, 1.0]
    assert sounded_energy([0.3, 0.6], (0.0, 0.4), None) == [0.3, 0.4]  # they agree: narrow
    assert sounded_energy([0.6, 0.9], (0.0, 0.4), None) == [0.0, 0.4]  # they differ: examples
    assert sounded_energy([0.2, 0.5], None, (0.6, 1.0)) == [0.6, 0.7]  # the axis' floor
    assert sounded_energy([0.2, 0.5], None, None) is None


def test_a_request_for_stillness_asks_for_no_beat_and_energetic_bounds_energy(real_parser):
    massage = real_parser.parse("music for a massage")
    assert massage.constraints["beat"] is False and massage.targets["energy"][1] <= 0.4
    assert "beat" not in real_parser.parse("squats and deadlifts").constraints
    assert real_parser.parse("energetic songs for a morning run").targets["energy"][0] >= 0.6
    # Rule words are the rules' to read: "fast" alone is not "slow and gentle".
    assert real_parser.parse("fast, above 150 bpm").targets.get("energy", (0, 1))[1] > 0.4


def test_moods_far_from_the_intents_energy_drop_out_and_the_reading_is_shown(real_parser):
    from core.mood._intents import Intent, agreeing, intent_note

    moods = {"calm": {"targets": {"energy": [0.1, 0.3]}}, "gym": {"targets": {"energy": [0.7, 1]}},
             "any": {"targets": {}}}  # fmt: skip
    quiet = Intent((0.0, 0.35), False, "massage therapy", 0.8)
    assert agreeing({"calm": 0.6, "gym": 0.3, "any": 0.1}, moods, quiet) == pytest.approx(
        {"calm": 6 / 7, "any": 1 / 7}
    )
    assert agreeing({"gym": 1.0}, moods, quiet) == {"gym": 1.0}  # none left: keep them
    assert intent_note(quiet) == "sounds calm: energy ≤ 0.35, no beat"
    massage = real_parser.parse("music for a massage")
    assert "workout" not in massage.moods and "energetic" not in massage.moods
    assert "sounds calm: energy ≤ 0.35, no beat" in massage.matched
