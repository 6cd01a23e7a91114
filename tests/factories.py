"""Documents for tests: analysed tracks from the synthetic library."""

from __future__ import annotations

import numpy as np

from models import Features, Track, TrackTags, TrackVector
from models.track import Analysis
from seeds.synthetic_library import synthetic_rows


def add_analysed_tracks(
    n: int = 300, seed: int = 0, audio_dir=None, audio_seconds: float = 2.0
) -> list[Track]:
    """Insert ``n`` analysed tracks (features, tag scores, embeddings) into the database.

    With ``audio_dir``, each track also gets a real WAV file there (``audio_seconds``
    long), so it can be streamed and played.
    """
    tracks, vectors = [], []
    for row in synthetic_rows(n, seed=seed):
        f = row["features"]
        track = Track(
            id=row["id"],
            path=_audio_file(audio_dir, row, audio_seconds)
            if audio_dir
            else f"/music/{row['artist']}/{row['title']} [{row['id']}].ogg",
            fingerprint=row["fingerprint"],
            tags=TrackTags(
                title=row["title"], artist=row["artist"], album=row["album"], genre=row["genre"]
            ),
            duration=row["duration"],
            analysis=Analysis(status="done"),
            features=Features(
                bpm=f["bpm"],
                key=row["key"],
                scale=row["scale"],
                camelot=row["camelot"],
                energy=f["energy"],
                brightness=f["brightness"],
                danceability=f["danceability"],
                valence=f["valence"],
                loudness_lufs=f["loudness_lufs"],
            ),
            tag_scores=row["tags"],
            tokens=sorted({*row["title"].lower().split(), *row["artist"].lower().split()}),
        )
        track.clean()  # insert() skips validation hooks: fill search_text
        tracks.append(track)
        vector = np.asarray(row["embedding"], dtype="<f4")
        vectors.append(TrackVector(id=row["id"], model="test", dim=200, data=vector.tobytes()))
    Track.objects.insert(tracks, load_bulk=False)
    TrackVector.objects.insert(vectors, load_bulk=False)
    return tracks


def _audio_file(folder, row: dict, seconds: float = 2.0) -> str:
    import soundfile

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{row['id']}.wav"
    t = np.arange(int(seconds * 8000)) / 8000
    tone = 0.2 * np.sin(2 * np.pi * (220 + hash(row["id"]) % 440) * t)
    soundfile.write(str(path), tone.astype(np.float32), 8000)
    return str(path)
