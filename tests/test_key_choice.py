"""The opening chord settles a key between the key profile's answer and its neighbours."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.analysis import EssentiaAnalyzer
from core.analysis._key_choice import key_fields, refine_key
from seeds.truth_library import available, render
from seeds.truth_library import pieces as pieces_of


def _chroma(*pitch_classes: int, floor: float = 0.05) -> list[float]:
    chroma = [floor] * 12
    for pc in pitch_classes:
        chroma[pc % 12] = 1.0
    return chroma


def test_an_opening_minor_chord_turns_a_major_answer_into_its_relative_or_ii_minor():
    a_minor = _chroma(9, 0, 4)  # A C E
    assert refine_key("C", "major", a_minor) == ("A", "minor")  # relative minor
    assert refine_key("G", "major", a_minor) == ("A", "minor")  # G major's ii
    assert refine_key("A", "major", a_minor) == ("A", "minor")  # parallel


def test_an_opening_tonic_or_an_unclear_opening_keeps_the_profiles_answer():
    assert refine_key("C", "major", _chroma(0, 4, 7)) == ("C", "major")
    assert refine_key("C", "major", [0.5] * 12) == ("C", "major")
    assert refine_key("C", "major", None) == ("C", "major")
    assert refine_key("C", "major", [1.0, 0.0]) == ("C", "major")  # not a chroma
    assert refine_key("", "major", _chroma(9, 0, 4)) == ("", "major")
    # A far chord (F# major) is no neighbour of C major: the profile's answer stays.
    assert refine_key("C", "major", _chroma(6, 10, 1)) == ("C", "major")


def test_a_minor_answer_can_become_its_relative_major():
    assert refine_key("A", "minor", _chroma(0, 4, 7)) == ("C", "major")
    assert refine_key("A", "minor", _chroma(9, 0, 4)) == ("A", "minor")


def test_key_fields_rewrite_key_scale_and_camelot_together_or_not_at_all():
    moved = key_fields({"key": "C", "scale": "major", "opening_chroma": _chroma(9, 0, 4)})
    assert moved == {"key": "A", "scale": "minor", "camelot": "8A"}
    assert key_fields({"key": "C", "scale": "major", "opening_chroma": _chroma(0, 4, 7)}) == {}
    assert key_fields({"key": "C", "scale": "major"}) == {}


@pytest.mark.skipif(not available(), reason="needs fluidsynth and fluid-soundfont-gm")
def test_rendered_aeolian_pieces_read_as_minor_where_the_profile_hears_major(tmp_path):
    # Aeolian pieces (i-VI-III-VII and the like) share every note with the relative major;
    # these two of the tuning library are ones the key profile alone reads as major.
    analyzer = EssentiaAnalyzer(with_tags=False)
    pieces = [replace(p, duration=45.0) for p in (pieces_of(260, 0)[i] for i in (16, 41))]
    plain_minor = refined_minor = 0
    for i, piece in enumerate(pieces):
        path = tmp_path / f"{i}.flac"
        render(piece, path)
        measured = analyzer.analyse(path, measured_only=True).features
        plain_minor += measured["scale"] == "minor"
        refined = analyzer.analyse(path).features
        refined_minor += (refined["key"], refined["scale"]) == (piece.key, "minor")
    assert plain_minor < len(pieces)
    assert refined_minor == len(pieces)
