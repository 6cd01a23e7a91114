"""Server-side latency of the Subsonic API on a synthetic library.

A private database with N analysed tracks (default 5,000), a 200-track playlist, and
the Flask app in-process (no HTTP, no network): each method is called REPEAT times with
an API key, as a client browsing the library would, and the figures are per call in ms.
``view_build_ms`` is the cold grouping of tracks into artists and albums that one request
pays every 2 minutes or after an analysis. Run: ``.venv/bin/python -m bench.subsonic``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="moodroom-bench-data-"))

from bench.common import emit_json, median, percentile, private_mongo


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tracks", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with private_mongo("moodroom_bench_subsonic"):
        figures = run(args.tracks, args.repeat)
    emit_json(figures)


def run(n_tracks: int, repeat: int) -> dict:
    from models import ApiKey, Playlist, PlaylistEntry, User
    from tasks.catalog import rebuild_index
    from tests.factories import add_analysed_tracks
    from webapp import create_app
    from webapp.config import TestingConfig
    from webapp.subsonic import library

    app = create_app(TestingConfig)
    from webapp.services.passwords import hash_password

    user = User(username="bench", password_hash=hash_password("bench password")).save()
    _, key = ApiKey.issue(user.id, "bench")
    tracks = add_analysed_tracks(n_tracks, seed=3)
    rebuild_index.apply(kwargs={"force": True}).get()
    playlist = Playlist(owner=user, name="Long").save()
    entries = [PlaylistEntry(playlist=playlist, track=t, order_key=f"k{i:05d}")
               for i, t in enumerate(tracks[:200])]  # fmt: skip
    PlaylistEntry.objects.insert(entries, load_bulk=False)
    client = app.test_client()

    def call(method: str, **params) -> dict:
        credentials = {"apiKey": key} if "u" not in params else {}
        response = client.get(f"/rest/{method}", query_string={"f": "json", **credentials,
                                                               **params})  # fmt: skip
        body = response.get_json()["subsonic-response"]
        assert body["status"] == "ok", (method, body)
        return body

    with app.test_request_context():
        started = time.perf_counter()
        library.forget()
        view = library.view()
        build_ms = (time.perf_counter() - started) * 1000
    album_id, artist_id = next(iter(view.albums)), next(iter(view.artists))
    cases = {
        "ping": {},
        "ping_password": {"u": "bench", "p": "bench password"},
        "getArtists": {},
        "getArtist": {"id": artist_id},
        "getAlbum": {"id": album_id},
        "getAlbumList2": {"type": "alphabeticalByName", "size": 50},
        "search3": {"query": tracks[7].tags.title},
        "getPlaylist": {"id": playlist.id},
        "getSonicSimilarTracks": {"id": tracks[0].id, "count": 20},
        "findSonicPath": {"startSongId": tracks[0].id, "endSongId": tracks[1].id, "count": 20},
    }
    call("getSonicSimilarTracks", id=tracks[0].id)  # the catalog loads once per process
    out: dict = {"tracks": n_tracks, "albums": len(view.albums), "repeat": repeat,
                 "view_build_ms": round(build_ms, 1)}  # fmt: skip
    for method, params in cases.items():
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            call(method.removesuffix("_password"), **params)
            times.append((time.perf_counter() - started) * 1000)
        out[f"{method}_p50_ms"] = round(median(times), 1)
        out[f"{method}_p95_ms"] = round(percentile(times, 95), 1)
    return out


if __name__ == "__main__":
    main()
