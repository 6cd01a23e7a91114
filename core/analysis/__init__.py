"""Audio analysis: decode a file once, measure features, run musicnn, derive scores.

Also the musical keys (Camelot codes) the rest of ``core`` compares.
Essentia and TensorFlow are imported only when a track is analysed.
"""

from core.analysis._analyser import ANALYZER_VERSION, AnalysisResult, Analyzer, EssentiaAnalyzer
from core.analysis._decode import ANALYSIS_RATE, AudioError, load_mono
from core.analysis._derived import DRUMS_HEARD, RHYTHMIC_FLUX, derive
from core.analysis._keys import (
    PITCH_CLASSES,
    camelot,
    camelot_distance,
    compatible,
    parse_camelot,
    pitch_class,
    pitch_class_or_none,
)
from core.analysis._musicnn import MusicnnTagger

__all__ = [
    "ANALYSIS_RATE",
    "ANALYZER_VERSION",
    "DRUMS_HEARD",
    "PITCH_CLASSES",
    "RHYTHMIC_FLUX",
    "AnalysisResult",
    "Analyzer",
    "AudioError",
    "EssentiaAnalyzer",
    "MusicnnTagger",
    "camelot",
    "camelot_distance",
    "compatible",
    "derive",
    "load_mono",
    "parse_camelot",
    "pitch_class",
    "pitch_class_or_none",
]
