"""Tags and embeddings from the musicnn MSD model, run inside Essentia.

One TensorFlow pass yields both outputs: we build the mel patches ourselves
(the same framing ``TensorflowPredictMusiCNN`` uses, checked to match exactly)
and ask ``TensorflowPredict`` for the sigmoid tags and the 200-d embedding.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent.parent / "assets" / "musicnn"
MODEL_RATE = 16000
FRAME, HOP, PATCH = 512, 256, 187
PATCH_SECONDS = PATCH * HOP / MODEL_RATE  # ~2.99 s of audio per patch


class MusicnnTagger:
    """Runs the frozen musicnn graph on excerpts of a signal.

    Args:
        model_dir: folder holding ``msd_musicnn.pb`` and its ``.json`` metadata.
        excerpts: how many evenly spaced excerpts to analyse; ``0`` means the whole track.
        patches_per_excerpt: consecutive 3-second patches per excerpt.
    """

    def __init__(
        self, model_dir: Path = MODEL_DIR, excerpts: int = 5, patches_per_excerpt: int = 2
    ):
        self.model_dir = Path(model_dir)
        self.meta = json.loads((self.model_dir / "msd_musicnn.json").read_text())
        self.tag_names: list[str] = list(self.meta["tags"])
        self.excerpts = excerpts
        self.patches_per_excerpt = patches_per_excerpt
        self.version = f"{self.meta['name']}@{self.meta['sha256'][:12]}"

    @cached_property
    def _predict(self):
        import essentia.standard as es

        return es.TensorflowPredict(
            graphFilename=str(self.model_dir / self.meta["graph_file"]),
            inputs=[self.meta["input"]["name"]],
            outputs=[
                self.meta["outputs"]["tags"]["name"],
                self.meta["outputs"]["embeddings"]["name"],
            ],
            squeeze=True,
        )

    @cached_property
    def _mel(self):
        import essentia.standard as es

        return es.TensorflowInputMusiCNN()

    def excerpts_of(self, audio: np.ndarray, rate: int) -> list[np.ndarray]:
        """Evenly spaced excerpts of ``audio``, resampled to 16 kHz (whole track if short)."""
        from core.audio import resample

        span = int((PATCH_SECONDS * self.patches_per_excerpt + FRAME / MODEL_RATE) * rate)
        if self.excerpts and audio.size > span * self.excerpts:
            starts = np.linspace(0, audio.size - span, self.excerpts + 2)[1:-1].astype(int)
            pieces = [audio[s : s + span] for s in starts]
        else:
            pieces = [audio]
        return [resample(piece, rate, MODEL_RATE) for piece in pieces]

    def patches(self, pieces: list[np.ndarray]) -> np.ndarray:
        """Mel patches ``[n, 1, 187, 96]`` of 16 kHz signals."""
        import essentia.standard as es

        out = []
        for piece in pieces:
            frames = es.FrameGenerator(
                np.ascontiguousarray(piece, dtype=np.float32),
                frameSize=FRAME,
                hopSize=HOP,
                startFromZero=False,
            )
            mel = np.array([self._mel(frame) for frame in frames], dtype=np.float32)
            if 0 < mel.shape[0] < PATCH:  # too short: repeat, as lastPatchMode="repeat" does
                mel = np.resize(mel, (PATCH, mel.shape[1]))
            n = mel.shape[0] // PATCH
            if n:
                out.append(mel[: n * PATCH].reshape(n, 1, PATCH, mel.shape[1]))
        if not out:
            raise ValueError("audio too short for musicnn")
        return np.concatenate(out)

    def predict(self, audio: np.ndarray, rate: int) -> tuple[dict[str, float], np.ndarray]:
        """Mean tag scores (name -> 0-1) and mean 200-d embedding of a mono signal."""
        import essentia

        pool = essentia.Pool()
        pool.set(self.meta["input"]["name"], self.patches(self.excerpts_of(audio, rate)))
        result = self._predict(pool)
        tags = np.asarray(result[self.meta["outputs"]["tags"]["name"]]).reshape(-1, 50)
        emb = np.asarray(result[self.meta["outputs"]["embeddings"]["name"]]).reshape(-1, 200)
        scores = {
            name: round(float(v), 5)
            for name, v in zip(self.tag_names, tags.mean(axis=0), strict=True)
        }
        return scores, emb.mean(axis=0).astype(np.float32)
