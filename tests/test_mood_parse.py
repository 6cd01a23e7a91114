"""Mood parsing: the rule pass on a hashing embedder, then real queries on MiniLM."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

from core.mood import (
    FEATURES,
    HashingEmbedder,
    MiniLMEmbedder,
    MoodParser,
    MoodQueryError,
    MoodSpec,
    apply_rules,
)

MOODS_FILE = Path(__file__).resolve().parent.parent / "seeds" / "moods.yaml"
LIBRARY = {
    "artist": {"neon harbor", "the velvet foxes", "rain", "ac/dc"},
    "genre": {"jazz", "hip-hop"},
    "album": {"blue hours"},
}


@pytest.fixture(scope="module")
def moods() -> list[dict]:
    return yaml.safe_load(MOODS_FILE.read_text(encoding="utf-8"))["moods"]


@pytest.fixture(scope="module")
def fast(moods) -> MoodParser:
    """Rules are what these tests check; the hashing embedder only keeps them quick."""
    return MoodParser(moods, HashingEmbedder())


def mid(moods, key: str) -> float:
    low, high = next(m for m in moods if m["key"] == key)["targets"]["energy"]
    return round((low + high) / 2, 3)


# --- embedders -----------------------------------------------------------------------------


def test_hashing_embedder_is_deterministic_unit_and_similarity_aware():
    emb = HashingEmbedder()
    rows = emb.encode(["rainy day", "rainy days", "heavy metal workout", ""])
    assert rows.shape == (4, 256) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows[:3], axis=1), 1.0)
    assert not rows[3].any()
    assert rows[0] @ rows[1] > rows[0] @ rows[2] + 0.3
    assert np.array_equal(emb.encode(["rainy day"])[0], rows[0])


# --- numbers, keys, lengths ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("120 bpm", {"tempo_min": 114, "tempo_max": 126}),
        ("120bpm please", {"tempo_min": 114, "tempo_max": 126}),
        ("around 90 bpm", {"tempo_min": 83, "tempo_max": 97}),
        ("at least 140 bpm", {"tempo_min": 140}),
        ("no more than 100 bpm", {"tempo_max": 100}),
        ("between 120 and 130 bpm", {"tempo_min": 120, "tempo_max": 130}),
        ("slow songs", {"tempo_max": 95}),
        ("something uptempo", {"tempo_min": 120}),
        ("something upbeat", {}),  # lively, not a tempo: see the energy test below
        ("nothing too fast", {"tempo_max": 120}),
        ("slow songs at 140 bpm", {"tempo_min": 133, "tempo_max": 147}),  # numbers win
        ("sprint intervals, very fast", {"tempo_min": 140}),
        ("something really fast to run to", {"tempo_min": 140}),
        ("very slow and sad", {"tempo_max": 80}),
    ],
)
def test_tempo(fast, text, expected):
    c = fast.parse(text).constraints
    assert {k: c[k] for k in ("tempo_min", "tempo_max") if k in c} == expected


def test_very_fast_prefers_faster_than_fast(fast):
    very, plain = fast.parse("a very fast workout"), fast.parse("a fast workout")
    assert very.targets["tempo"][0] >= 150 > plain.targets["tempo"][0] >= 132
    assert "tempo ≥ 140 BPM" in fast.parse("very fast").matched


def test_upbeat_is_lively_not_fast(fast):
    spec = fast.parse("upbeat hip hop beats")
    assert "tempo_min" not in spec.constraints and spec.targets["energy"][0] >= 0.4
    assert "upbeat: energy ≥ 0.40" in spec.matched


def test_stated_tempo_overrides_mood_targets(fast):
    spec = fast.parse("120 bpm workout")
    assert spec.targets["tempo"] == [114.0, 126.0]
    assert "tempo 114-126 BPM" in spec.matched


def test_absurd_tempo_is_a_warning(fast):
    spec = fast.parse("5000 bpm workout")
    assert "tempo_min" not in spec.constraints
    assert spec.warnings == ["5000 BPM is not a usable tempo; ignoring it"]


@pytest.mark.parametrize(
    "text, key, scale",
    [
        ("something in A minor", "A", "minor"),
        ("in F# major", "F#", "major"),
        ("in Bb minor please", "Bb", "minor"),
        ("a song in Db major", "C#", "major"),
        ("in Am", "A", "minor"),
        ("songs in a minor key", None, "minor"),  # the article, not the key of A
        ("major keys only", None, "major"),
        ("melancholy and minor", None, "minor"),  # the word alone, as an item of a list
        ("dark, minor, slow", None, "minor"),
    ],
)
def test_key_and_scale(fast, text, key, scale):
    c = fast.parse(text).constraints
    assert c.get("key") == key
    assert c["scale"] == scale


def test_major_and_minor_as_plain_adjectives_are_not_scales(fast):
    for text in ("a major party", "minor details aside, something calm"):
        assert "scale" not in fast.parse(text).constraints, text


@pytest.mark.parametrize(
    "text, length",
    [
        ("40 minutes of chill", {"minutes": 40.0}),
        ("an hour of jazz", {"minutes": 60.0}),
        ("half an hour", {"minutes": 30.0}),
        ("1.5 hours of driving", {"minutes": 90.0}),
        ("an hour and a half", {"minutes": 90.0}),
        ("1h30 workout", {"minutes": 90.0}),
        ("a 45-minute run", {"minutes": 45.0}),
        ("15 songs", {"count": 15}),
        ("15 tracks for dinner", {"count": 15}),
        ("twenty songs", {"count": 20}),
    ],
)
def test_length(fast, text, length):
    assert fast.parse(text).length == length


# --- exclusions and vocals -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, instrumental",
    [("instrumental focus", True), ("no vocals", True), ("without lyrics", True),
     ("with vocals", False), ("no instrumentals", False)],
)  # fmt: skip
def test_instrumental(fast, text, instrumental):
    assert fast.parse(text).constraints["instrumental"] is instrumental


def test_no_metal_excludes_both_metal_tags(fast):
    spec = fast.parse("workout, no metal")
    assert spec.constraints["exclude_tags"] == ["metal", "heavy metal"]
    assert spec.tag_weights["metal"] == spec.tag_weights["heavy metal"] == -1.0
    assert "no metal" in spec.matched


def test_not_sad_removes_sad_before_matching(fast, moods):
    rules = apply_rules("not sad, happy summer vibes", lambda phrase, strict: None)
    assert "sad" not in rules.residual and "summer" in rules.residual
    spec = fast.parse("not sad, happy summer vibes")
    assert set(spec.constraints["exclude_moods"]) == {"sad", "melancholic", "heartbreak"}
    assert not set(spec.moods) & {"sad", "melancholic", "heartbreak"}
    assert spec.tag_weights["sad"] == -1.0


def test_library_names(fast):
    spec = fast.parse("jazz by Neon Harbor, without the velvet foxes", LIBRARY)
    assert spec.constraints["include_artists"] == ["neon harbor"]
    assert spec.constraints["exclude_artists"] == ["the velvet foxes"]
    assert spec.constraints["include_genres"] == ["jazz"]
    assert spec.tag_weights["jazz"] >= 0.8
    assert spec.matched == ["genre jazz", "by Neon Harbor", "without the velvet foxes"]


def test_one_word_artist_needs_a_cue(fast):
    assert "include_artists" not in fast.parse("rain on the window", LIBRARY).constraints
    assert fast.parse("music by rain", LIBRARY).constraints["include_artists"] == ["rain"]
    assert fast.parse("no ac/dc", LIBRARY).constraints["exclude_artists"] == ["ac/dc"]


def test_negated_library_genre(fast):
    c = fast.parse("no hip hop or rap", LIBRARY).constraints
    assert c["exclude_genres"] == ["hip-hop"]
    assert c["exclude_tags"] == ["Hip-Hop"]


GENRES = {"genre": {"Jazz", "Drum and Bass", "House", "Classical", "Metal", "Hip-Hop"}}


def test_subgenres_and_spellings_find_the_library_genre(fast):
    cases = {
        "bebop for a late night": "Jazz",  # beets' tree: jazz > bebop
        "jungle and drum & bass": "Drum and Bass",  # ampersand, and a subgenre
        "dnb to run to": "Drum and Bass",
        "deep house for a sunset": "House",
        "a string quartet": "Classical",  # classical > chamber music > string quartet
        "thrash metal": "Metal",  # the tree says heavy metal; the library says Metal
        "something to headbang to": "Metal",  # scenes named by what people do
        "moshpit": "Metal",
    }
    for text, genre in cases.items():
        spec = fast.parse(text, GENRES)
        assert spec.constraints["include_genres"] == [genre], text
    assert "genre Jazz (bebop)" in fast.parse("bebop", GENRES).matched
    assert fast.parse("no rap", GENRES).constraints["exclude_genres"] == ["Hip-Hop"]
    assert "include_genres" not in fast.parse("polka night", GENRES).constraints
    bebop = fast.parse("bebop", {"genre": {"Rock"}})  # no Jazz in this library
    assert "include_genres" not in bebop.constraints and not bebop.warnings
    assert bebop.tag_weights["jazz"] >= 0.8 and "sounds like jazz (bebop)" in bebop.matched
    # The tree files "indie pop" under alternative rock; the head word says pop.
    both = {"genre": {"Pop", "Rock"}}
    assert fast.parse("indie pop for a sunny afternoon", both).constraints["include_genres"] == [
        "Pop"
    ]
    assert fast.parse("indie rock", both).constraints["include_genres"] == ["Rock"]
    classical = {"genre": {"Classical", "Easy Listening"}}
    for text in ("background music for reading", "minimal vocals", "a mass of strings"):
        assert "include_genres" not in fast.parse(text, classical).constraints, text


def test_a_genre_that_is_an_everyday_noun_needs_to_be_used_as_one(fast):
    for text in ("house party with friends", "cleaning the house", "rock bottom"):
        assert "include_genres" not in fast.parse(text, GENRES).constraints, text
    assert fast.parse("groovy house music", GENRES).constraints["include_genres"] == ["House"]


def test_instrument_words_ask_for_their_tags(fast):
    spec = fast.parse("soft piano for a quiet evening", GENRES)
    assert spec.constraints["include_tags"] == ["mtt:piano"]
    assert "with piano" in spec.matched and spec.tag_weights["mtt:piano"] >= 0.8
    strings = fast.parse("epic cinematic strings", GENRES)
    assert strings.constraints["include_tags"] == ["mtt:strings"]
    assert strings.tag_weights["mtt:cello"] > 0
    for text in ("no drums, just calm", "deep relaxation, no beats", "without percussion"):
        assert fast.parse(text, GENRES).constraints["beat"] is False, text
    assert fast.parse("chill but no piano").constraints["exclude_tags"] == ["mtt:piano"]
    dnb = fast.parse("drum and bass", GENRES).constraints  # a genre, not an instrument
    assert "include_tags" not in dnb and dnb["include_genres"] == ["Drum and Bass"]


def test_keyword_hits_boost_and_the_longest_keyword_wins(fast, monkeypatch):
    plain = fast.parse("bonfire").moods["campfire"]
    monkeypatch.setattr(fast, "keyword_boost", 0.0)
    assert fast.parse("bonfire").moods["campfire"] < plain - 0.2
    monkeypatch.setattr(fast, "keyword_boost", 1.0)
    # "dinner party" is one keyword of dinner_party; "party" inside it must not count.
    assert fast.parse("a dinner party").moods == {"dinner_party": 1.0}
    assert fast.parse("relaxing").moods == {"chill": 1.0}  # stem of the keyword "relaxed"


# --- arcs ------------------------------------------------------------------------------------


def test_arc_between_two_moods(fast, moods):
    spec = fast.parse("start chill, build up to a party, no metal")
    ends = mid(moods, "chill"), mid(moods, "party")
    assert spec.arc == [ends[0], round(sum(ends) / 2, 3), ends[1]]
    assert spec.arc_label == "chill → party"
    assert spec.moods == {"chill": 0.5, "party": 0.5}
    assert spec.constraints["exclude_tags"] == ["metal", "heavy metal"]


@pytest.mark.parametrize("text", ["from calm to party", "calm -> party", "calm → party"])
def test_from_to(fast, moods, text):
    spec = fast.parse(text)
    assert spec.arc[0] == mid(moods, "peaceful") and spec.arc[-1] == mid(moods, "party")
    assert set(spec.moods) == {"peaceful", "party"}


def test_arc_shapes(fast):
    rise = fast.parse("build up").arc
    assert rise[0] < rise[1] < rise[2]
    fall = fast.parse("wind down for sleep").arc
    assert fall[0] > fall[1] > fall[2] == 0.1  # sleep's energy mid
    late = fast.parse("cozy evening, wind down at the end").arc
    assert late[0] == late[1] == late[2] > late[3]
    peak = fast.parse("peak in the middle").arc
    assert peak[1] > peak[0] and peak[1] > peak[2]
    valley = fast.parse("wind down then build up").arc
    assert valley[1] < valley[0] and valley[1] < valley[2]
    bang = fast.parse("start slow and end with a bang")
    assert bang.arc == [0.2, 0.575, 0.95]


@pytest.mark.parametrize(
    "text, rising",
    [
        ("intense start, quiet finish", False),  # the word before the noun names the end
        ("an energetic start and a calm end", False),
        ("ease in, then get loud", True),
        ("calm start, then dance", True),
        ("a slow build to a big finish", True),
        ("high energy first, then relax", False),
    ],
)
def test_arcs_named_by_their_ends(fast, text, rising):
    arc = fast.parse(text).arc
    assert arc is not None, text
    assert (arc[-1] > arc[0]) == rising and abs(arc[-1] - arc[0]) >= 0.3, (text, arc)


def test_energy_target_leaves_room_for_the_arc(fast):
    spec = fast.parse("from calm to party")
    assert spec.targets["energy"][0] <= min(spec.arc) and spec.targets["energy"][1] >= max(spec.arc)


def test_to_phrases_that_are_not_arcs(fast):
    assert fast.parse("songs to cry to").arc is None
    assert fast.parse("start the day right").arc is None
    assert fast.parse("a gentle start to the day").arc is None
    assert fast.parse("songs for the end of the day").arc is None
    assert fast.parse("something for a road trip to the beach").arc is None


# --- errors, warnings, shape -----------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t", "???", "12345", "40", "... !!! 42"])
def test_queries_without_words_are_errors(fast, text):
    with pytest.raises(MoodQueryError, match=r"(?i)describe a mood"):
        fast.parse(text)


def test_too_long_is_an_error(fast):
    with pytest.raises(MoodQueryError, match="301 characters; please keep it under 300"):
        fast.parse("calm " * 60 + "x")
    assert issubclass(MoodQueryError, ValueError)


def test_unknown_words_are_warnings(fast):
    spec = fast.parse("flibbertigibbet happy songs")
    assert next(iter(spec.moods)) == "happy"
    assert spec.warnings == ["I did not understand 'flibbertigibbet'; going by the rest"]
    spec = fast.parse("no flibbertigibbet, chill")
    assert spec.warnings == ["I did not understand 'no flibbertigibbet'; going by the rest"]


def test_spec_shape_and_round_trip(fast):
    spec = fast.parse("rainy sunday morning, calm but hopeful, 40 minutes")
    weights = list(spec.moods.values())
    assert weights == sorted(weights, reverse=True) and min(weights) >= 0.05
    assert sum(weights) == pytest.approx(1.0, abs=0.01)
    assert set(spec.targets) == set(FEATURES)
    assert all(-1 <= w <= 1 for w in spec.tag_weights.values())
    data = json.loads(json.dumps(spec.to_dict()))
    assert MoodSpec.from_dict(data) == spec


def test_parser_accepts_tag_weights_and_versions_the_catalogue(moods, fast):
    renamed = [{**{k: v for k, v in m.items() if k != "tags"}, "tag_weights": m["tags"]}
               for m in moods]  # fmt: skip
    other = MoodParser(renamed, HashingEmbedder())
    assert other.parse("sad songs").tag_weights == fast.parse("sad songs").tag_weights
    assert other.model_version == fast.model_version
    assert fast.model_version.startswith("hashing-1+rules-1+moods-")
    changed = MoodParser(moods[:-1], HashingEmbedder())
    assert changed.model_version != fast.model_version


# --- real model, end to end ------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(moods) -> MoodParser:
    return MoodParser(moods, MiniLMEmbedder())


# Natural queries and the moods that are a right answer for the top weight.
QUERIES = [
    ("rainy sunday morning, calm but hopeful, 40 minutes",
     {"rainy_day", "peaceful", "hopeful", "lazy_sunday", "morning_coffee"}),
    ("start chill, build up to a party, no metal", {"chill", "party"}),
    ("songs to cry to after a breakup", {"sad", "heartbreak"}),
    ("120 bpm workout", {"workout"}),
    ("not sad, happy summer vibes", {"summer", "happy"}),
    ("instrumental focus music for coding", {"focus", "study"}),
    ("wind down for sleep", {"sleep"}),
    ("late night highway drive", {"night_drive"}),
    ("15 songs for a dinner party", {"dinner_party"}),
    ("i'm furious and need to vent", {"angry"}),
    ("gym session", {"workout"}),
    ("concentrate on coding", {"focus"}),
    ("cozy evening by the fireplace with hot chocolate", {"cozy_winter"}),
    ("sunday brunch with friends", {"lazy_sunday", "dinner_party", "morning_coffee"}),
    ("getting pumped before a big game", {"energetic", "workout", "epic"}),
    ("music for studying for my exams", {"study"}),
    ("yoga and breathing", {"meditation"}),
    ("road trip with the windows down", {"road_trip"}),
    ("dancing in the kitchen while making dinner", {"cooking"}),
    ("something dark and creepy for halloween", {"dark", "tense"}),
    ("wedding reception dance floor", {"celebration", "party"}),
    ("watching the sun go down on the beach", {"sunset", "summer"}),
    ("feeling nostalgic about my childhood", {"nostalgic"}),
    ("nervous before a job interview", {"tense"}),
    ("epic battle music", {"epic", "cinematic"}),
    ("funky disco grooves", {"groovy"}),
    ("cleaning the apartment on saturday", {"cleaning"}),
    ("camping under the stars", {"campfire"}),
    ("falling leaves in october", {"autumn"}),
    ("3am and can't sleep", {"late_night"}),
    ("feeling like a boss", {"confident"}),
    ("punk rock rebellion", {"rebellious"}),
    ("playing video games all night", {"gaming"}),
    ("reading a novel on a quiet afternoon", {"reading"}),
    ("dreamy shoegaze", {"dreamy"}),
    ("missing my ex", {"heartbreak"}),
    ("hopeful new beginnings", {"hopeful"}),
    ("romantic dinner for two", {"romantic", "dinner_party"}),
    ("bittersweet and wistful", {"melancholic"}),
    ("relaxing after a long day at work", {"chill", "peaceful"}),
    ("uplifting songs to get me through a tough day", {"uplifting", "hopeful"}),
    ("peaceful morning in nature", {"peaceful", "morning_coffee"}),
    ("movie soundtrack vibes", {"cinematic"}),
    ("birthday party", {"celebration", "party"}),
    ("jogging in the park", {"workout"}),
]  # fmt: skip


@pytest.mark.slow
def test_top_mood_accuracy(real):
    misses, latencies = [], []
    for text, right in QUERIES:
        start = time.perf_counter()
        spec = real.parse(text)
        latencies.append(time.perf_counter() - start)
        top = next(iter(spec.moods), None)
        if top not in right:
            misses.append((text, top))
    # Measured 42/45; the known misses are "3am and can't sleep" (sleep), "feeling like a
    # boss" (sad) and "relaxing after a long day at work" (focus, from "work").
    assert len(misses) <= 4, misses
    # Timing is informational only (see with -s); wall-clock bounds are not asserted.
    print(f"median parse time: {statistics.median(latencies) * 1000:.1f} ms")


@pytest.mark.slow
def test_real_rainy_sunday(real):
    spec = real.parse("rainy sunday morning, calm but hopeful, 40 minutes")
    assert set(list(spec.moods)[:2]) <= {"rainy_day", "peaceful", "hopeful", "lazy_sunday",
                                         "morning_coffee"}  # fmt: skip
    assert spec.length == {"minutes": 40.0}
    assert spec.warnings == []


@pytest.mark.slow
def test_real_build_up_to_party(real):
    spec = real.parse("start chill, build up to a party, no metal")
    assert spec.arc[0] < spec.arc[1] < spec.arc[2]
    assert {"chill", "party"} <= set(spec.moods)
    assert spec.constraints["exclude_tags"] == ["metal", "heavy metal"]


@pytest.mark.slow
def test_real_breakup_and_workout_and_key(real):
    assert next(iter(real.parse("songs to cry to after a breakup").moods)) in {"sad", "heartbreak"}
    workout = real.parse("120 bpm workout")
    assert next(iter(workout.moods)) == "workout"
    assert workout.constraints == {"tempo_min": 114, "tempo_max": 126}
    key = real.parse("something in A minor")
    assert key.constraints == {"key": "A", "scale": "minor"} and key.warnings == []


@pytest.mark.slow
def test_real_not_sad(real):
    spec = real.parse("not sad, happy summer vibes")
    assert spec.moods.get("sad", 0) == 0 and next(iter(spec.moods)) in {"summer", "happy"}
    assert spec.tag_weights["sad"] < 0


@pytest.mark.slow
def test_real_focus_sleep_drive_dinner(real):
    focus = real.parse("instrumental focus music for coding")
    assert next(iter(focus.moods)) in {"focus", "study"} and focus.constraints["instrumental"]
    sleep = real.parse("wind down for sleep")
    assert next(iter(sleep.moods)) == "sleep" and sleep.arc[0] > sleep.arc[-1]
    assert next(iter(real.parse("late night highway drive").moods)) == "night_drive"
    dinner = real.parse("15 songs for a dinner party")
    assert next(iter(dinner.moods)) == "dinner_party" and dinner.length == {"count": 15}


@pytest.mark.slow
def test_real_negations_resolve_through_embeddings(real):
    assert real.parse("chill, nothing depressing").constraints["exclude_moods"] == ["sad"]
    assert real.parse("no stress, just focus").constraints["exclude_moods"] == ["tense"]
    assert real.parse("from chill to dance").arc_label == "chill → dance"
    assert set(real.parse("from chill to dance").moods) == {"chill", "party"}


@pytest.mark.slow
def test_real_unknown_words(real):
    spec = real.parse("flibbertigibbet happy songs")
    assert next(iter(spec.moods)) == "happy"
    assert spec.warnings == ["I did not understand 'flibbertigibbet'; going by the rest"]
    spec = real.parse("asdfgh qwertyuiop")
    assert spec.moods == {} and spec.targets == {}
    assert "I did not understand 'asdfgh', 'qwertyuiop'" in spec.warnings[0]
    # Real but rare words are not "not understood".
    assert real.parse("jogging in the park").warnings == []


def test_real_scene_words_are_understood(real):
    """Seen failures of the third report set: genre words resolved through the tree or an
    alias are never "not understood", and scene words name their mood."""
    bebop = real.parse("bebop, fast and busy", GENRES)
    assert bebop.constraints["include_genres"] == ["Jazz"] and bebop.warnings == []
    boom_bap = real.parse("boom bap", GENRES)
    assert boom_bap.constraints["include_genres"] == ["Hip-Hop"] and boom_bap.warnings == []
    for text in ("moshpit", "headbangers only"):
        spec = real.parse(text, GENRES)
        assert spec.warnings == [] and "angry" in spec.moods, (text, spec.moods)


def test_fast_admits_120_bpm_but_prefers_faster(fast):
    spec = fast.parse("fast and loud")
    assert spec.constraints["tempo_min"] == 120
    assert spec.targets["tempo"][0] >= 130 and spec.targets["tempo"][1] >= 160
    stated = fast.parse("fast songs over 160 bpm")  # numbers win over the word
    assert stated.constraints["tempo_min"] == 160 and stated.targets["tempo"][0] == 160


def test_clearly_calm_or_intense_words_bound_energy_without_an_intensity_word(real):
    """The calm-to-loud axis: words no mood names still say how intense they are."""
    assert real.parse("powerful and dramatic").targets["energy"][0] >= 0.6
    assert real.parse("peaceful meditation").targets["energy"][1] <= 0.4
    # "slow" vetoes "loud": a slow dance is not a workout.
    assert real.parse("a slow dance for two").targets["energy"][0] < 0.6


def test_genre_adjectives_prefer_the_genre_without_filtering_on_it(fast):
    spec = fast.parse("jazzy and relaxed", GENRES)
    assert spec.tag_weights["jazz"] >= 0.8 and "include_genres" not in spec.constraints
    assert fast.parse("something funky", GENRES).tag_weights["funk"] >= 0.8


def test_heartwarming_is_understood_as_hopeful(fast):
    spec = fast.parse("heartwarming")
    assert not spec.warnings and max(spec.moods, key=spec.moods.get) == "hopeful"


def test_acoustic_ranks_electronic_sounding_tracks_lower_without_excluding_them(fast):
    spec = fast.parse("calm acoustic music")
    assert spec.tag_weights["acoustic"] > 0 and spec.tag_weights["electronic"] <= -0.8
    assert "exclude_tags" not in spec.constraints
    both = fast.parse("acoustic and electronic fusion")  # named: preferred, not opposed
    assert both.tag_weights["electronic"] > 0


def test_nothing_with_x_negates_x(fast):
    assert fast.parse("mellow and soft, nothing with drums").constraints["beat"] is False
    assert fast.parse("no songs with vocals").constraints["instrumental"] is True
    assert fast.parse("chill, nothing with piano").constraints["exclude_tags"] == ["mtt:piano"]


def test_skipping_negates_only_what_the_rules_can_exclude(fast):
    rope = fast.parse("skipping rope")
    assert not rope.constraints and not any("skipping" in n for n in rope.matched)
    assert fast.parse("skipping metal tonight").constraints["exclude_tags"] == [
        "metal",
        "heavy metal",
    ]


def test_tempo_words_name_no_mood(fast):
    # The rules read "slow" fully; a sentence model hears "fast songs" in "slow songs" too.
    spec = fast.parse("slow songs")
    assert spec.constraints == {"tempo_max": 95} and not spec.moods
    assert "energy" not in spec.targets
