"""Analysing one audio file: decode once, then features, tags and embedding.

``Analyzer`` is the small interface tasks depend on; ``EssentiaAnalyzer`` is
the real one, and tests may pass a fake that returns canned results.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from core.analysis._decode import ANALYSIS_RATE, AudioError, load_mono
from core.analysis._derived import derive

# 2: musicnn on 10 single-patch excerpts instead of 5 two-patch ones (tags move slightly);
# features are unchanged (faster code paths that reproduce Essentia's outputs).
# 3: onset rate and raw loudness/flux measured; energy, valence and the tempo octave derived
# from measurements and tags (core.analysis._derived).
# 4: the opening chord weighs in on the key (core.analysis._key_choice).
ANALYZER_VERSION = "essentia-lean-4"


@dataclass
class AnalysisResult:
    """What analysis found in one file; ``error`` is set instead when it failed."""

    path: str
    duration: float | None = None
    features: dict = field(default_factory=dict)
    tags: dict[str, float] = field(default_factory=dict)
    embedding: np.ndarray | None = None
    timings: dict[str, float] = field(default_factory=dict)
    error: str | None = None


class Analyzer(Protocol):
    """Anything that turns a file path into an ``AnalysisResult``."""

    version: str

    def analyse(self, path: str | Path, duration_hint: float | None = None) -> AnalysisResult: ...


class EssentiaAnalyzer:
    """Essentia features plus musicnn tags and embedding, from one decode."""

    def __init__(self, tagger=None, with_tags: bool = True):
        from core.analysis._musicnn import MusicnnTagger

        self.tagger = tagger or (MusicnnTagger() if with_tags else None)
        tagger_version = self.tagger.version if self.tagger else "none"
        self.version = f"{ANALYZER_VERSION}+{tagger_version}"

    def analyse(
        self, path: str | Path, duration_hint: float | None = None, measured_only: bool = False
    ) -> AnalysisResult:
        """Analyse ``path``; decoding problems become ``result.error``, never exceptions.

        ``measured_only`` leaves out what :func:`core.analysis.derive` concludes from the
        measurements (energy, valence, the tempo octave): benchmarks cache measurements.
        """
        from core.analysis._features import extract_features

        result = AnalysisResult(path=str(path))
        clock = time.perf_counter()
        try:
            audio = load_mono(path, duration_hint)
        except AudioError as exc:
            result.error = str(exc)
            return result
        result.duration = round(duration_hint or audio.size / ANALYSIS_RATE, 3)
        result.timings["decode"] = _lap(clock)
        clock = time.perf_counter()
        result.features = extract_features(audio, ANALYSIS_RATE)
        result.timings["features"] = _lap(clock)
        if self.tagger is not None:
            clock = time.perf_counter()
            result.tags, result.embedding = self.tagger.predict(audio, ANALYSIS_RATE)
            result.timings["musicnn"] = _lap(clock)
        if not measured_only:
            result.features = derive(result.features, result.tags)
        return result


def _lap(start: float) -> float:
    return round(time.perf_counter() - start, 4)
