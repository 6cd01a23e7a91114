"""``flask seed`` loads the mood catalogue and model files, idempotently."""

from __future__ import annotations

import pytest

from models import ModelRegistry, Mood
from seeds.load import read_moods

REQUIRED = {
    "happy",
    "sad",
    "energetic",
    "chill",
    "focus",
    "party",
    "romantic",
    "melancholic",
    "angry",
    "dreamy",
    "epic",
    "peaceful",
    "dark",
    "uplifting",
    "nostalgic",
    "workout",
    "sleep",
    "study",
    "rainy_day",
    "summer",
    "night_drive",
    "morning_coffee",
    "dinner_party",
    "meditation",
}


def test_catalogue_is_complete_and_valid():
    moods = read_moods()
    keys = {m["key"] for m in moods}
    assert keys >= REQUIRED
    for mood in moods:
        assert mood["label"] and mood["emoji"]
        assert 2 <= len(mood["sentences"]) <= 5
        assert set(mood["targets"]) >= {"tempo", "energy", "brightness", "danceability", "valence"}
        assert mood["tags"]


def test_seed_command_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    count = Mood.objects.count()
    assert count >= 24
    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0
    assert f"0 created, 0 updated, {count} unchanged" in second.output
    assert Mood.objects.count() == count
    sleep = Mood.objects.get(key="sleep")
    assert sleep.targets["tempo"][0] < sleep.targets["tempo"][1]
    assert sleep.sentences


def test_seed_repairs_an_edited_mood(app):
    app.test_cli_runner().invoke(args=["seed"])
    Mood.objects(key="happy").update(set__label="Grumpy")
    result = app.test_cli_runner().invoke(args=["seed"])
    assert "1 updated" in result.output
    assert Mood.objects.get(key="happy").label == "Happy"


def test_seed_registers_the_musicnn_model_with_checksum(app):
    app.test_cli_runner().invoke(args=["seed"])
    entries = list(ModelRegistry.objects)
    if not entries:
        pytest.fail("no model registered: assets/musicnn/*.pb missing?")
    assert all(len(e.sha256) == 64 for e in entries)


def test_bad_catalogue_is_refused_with_the_mood_named(tmp_path):
    bad = tmp_path / "moods.yaml"
    bad.write_text(
        "moods:\n  - key: x\n    label: X\n    sentences: [a]\n"
        "    targets: {tempo: [100, 90], energy: [0, 1], brightness: [0, 1],"
        " danceability: [0, 1], valence: [0, 1]}\n"
    )
    with pytest.raises(ValueError, match="mood x: target tempo"):
        read_moods(bad)
