"""Library browsing at scale: search while typing and the 500th page, server-side.

Inserts N synthetic analysed tracks (default 100,000; ``seeds.synthetic_library``) into a
private ``nx-27017`` server with the app's indexes, builds the catalog the web process
searches, then times what the Library's handlers run:

* **search**: ``webapp.library.search.search`` for 40 queries typed as people type them
  (1-3 letter prefixes of artist and album words, two-word queries, misses), against a
  plain collection scan baseline: the same words as escaped ``$regex`` prefix clauses on
  ``search_text`` (what ``/api/tracks/search`` does) with ``limit(50)``;
* **500th page** (rows 24,951-25,000) in four columns' order, ascending and descending:
  ``models.track_browse.page`` after the 24,950th row's key, against ``skip(24950)`` on
  the same indexed order and against a plain scan (sort on an unindexed field).

Run: ``.venv/bin/python -m bench.library_browse [--tracks N]``.
"""

from __future__ import annotations

import argparse
import os
import re
import time

from bench.common import emit_json, median, percentile, private_mongo

COLUMNS = ("title", "artist", "bpm", "energy")


def timed(fn, repeat: int = 5) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def insert_tracks(n: int) -> list[dict]:
    from models import Track
    from models.track import Analysis, Features, TrackTags
    from seeds.synthetic_library import synthetic_rows

    rows = synthetic_rows(n, seed=11, with_embeddings=False)
    for start in range(0, n, 2000):
        docs = []
        for row in rows[start : start + 2000]:
            f = row["features"]
            track = Track(
                id=row["id"], path=f"/music/{row['artist']}/{row['title']}.ogg",
                tags=TrackTags(title=row["title"], artist=row["artist"], album=row["album"],
                               genre=row["genre"], year=1960 + int(row["id"][-2:]) % 60),
                duration=row["duration"], analysis=Analysis(status="done"),
                features=Features(bpm=f["bpm"], key=row["key"], scale=row["scale"],
                                  camelot=row["camelot"], energy=f["energy"],
                                  brightness=f["brightness"], danceability=f["danceability"],
                                  loudness_lufs=f["loudness_lufs"]),
            )  # fmt: skip
            track.clean()  # insert() skips it: search words and sort keys
            docs.append(track)
        Track.objects.insert(docs, load_bulk=False)
    return rows


def queries(rows: list[dict]) -> list[str]:
    artists = sorted({r["artist"] for r in rows})
    albums = sorted({r["album"] for r in rows})
    out = []
    for i in range(10):
        artist, album = artists[i * 37 % len(artists)], albums[i * 53 % len(albums)]
        number = artist.split()[-1]
        out += [f"art {number[:2]}", f"artist {number}", f"album {album.split()[-1]}",
                f"{artist.lower()} {rows[i]['genre'][:3]}"]  # fmt: skip
    return [*out, "zzq", "qqqq", "m", "track 9"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tracks", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
    with private_mongo():
        from core.catalog import Catalog
        from models import Track, track_browse
        from seeds.synthetic_library import tag_names
        from webapp.library import search as library_search

        started = time.perf_counter()
        rows = insert_tracks(args.tracks)
        insert_s = time.perf_counter() - started
        catalog = Catalog.from_rows(rows, tag_names(), version="bench")
        started = time.perf_counter()
        library_search.word_index(catalog)
        build_s = time.perf_counter() - started

        ours, scan, hits = [], [], 0
        for q in queries(rows):
            ours += timed(lambda q=q: library_search.search(catalog, q), 3)
            hits += library_search.search(catalog, q)["total"] > 0
            words = re.findall(r"\w+", q.lower())
            scan += timed(lambda w=words: track_browse.word_prefix_matches(w, 50), 1)

        page_no = min(500, args.tracks // track_browse.PAGE_SIZE - 1)  # 500 from 25,050 tracks
        offset = (page_no - 1) * track_browse.PAGE_SIZE  # rows before that page
        page_ours, page_skip, page_scan = [], [], []
        for column in COLUMNS:
            for descending in (False, True):
                field = f"sort_keys.{column}"
                order = ("-" if descending else "+") + field
                key = Track.objects.order_by(order).skip(offset - 1).only("sort_keys").first()
                after = key.sort_keys[column]
                result, _ = track_browse.page(column, descending, after=after)
                expected = list(Track.objects(available=True).order_by(order).skip(offset)
                                .limit(50).scalar("id"))  # fmt: skip
                assert [t.id for t in result] == expected, column
                page_ours += timed(lambda c=column, d=descending, a=after:
                                   track_browse.page(c, d, after=a))  # fmt: skip
                page_skip += timed(lambda o=order: list(Track.objects(available=True)
                                   .order_by(o).skip(offset).limit(50)), 3)  # fmt: skip
        page_scan += timed(lambda: list(Track.objects(available=True)
                           .order_by("+features.valence").skip(offset).limit(50)), 1)  # fmt: skip

        ms = lambda values, q: round(percentile(values, q) * 1000, 2)  # noqa: E731
        figures = {
            "tracks": args.tracks,
            "insert_s": round(insert_s, 1),
            "search_index_build_s": round(build_s, 2),
            "search_queries": len(queries(rows)),
            "page_number": page_no,
            "search_queries_with_hits": hits,
            "search_p50_ms": ms(ours, 50), "search_p95_ms": ms(ours, 95),
            "search_max_ms": round(max(ours) * 1000, 2),
            "search_scan_baseline_p50_ms": ms(scan, 50),
            "search_scan_baseline_p95_ms": ms(scan, 95),
            "page500_p50_ms": ms(page_ours, 50), "page500_p95_ms": ms(page_ours, 95),
            "page500_max_ms": round(max(page_ours) * 1000, 2),
            "page500_skip_baseline_p50_ms": ms(page_skip, 50),
            "page500_plain_scan_baseline_ms": round(median(page_scan) * 1000, 1),
        }  # fmt: skip
        for name, value in figures.items():
            print(f"{name:34} {value}")
        emit_json(figures)


if __name__ == "__main__":
    main()
