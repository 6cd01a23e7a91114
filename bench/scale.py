"""What grows with the library: build, store, load, memory, library page, taste, rescan.

For each size (default 10k, 50k, 100k synthetic analysed tracks in a fresh nx-27017):
reading the analysed tracks and building the catalog, packing and publishing the build
to MongoDB, a new process loading it (fetch from MongoDB into an empty ``DATA_DIR``)
and a restarted one (from its ``DATA_DIR``), the bytes of the arrays and the index,
the Library page sorted by artist through the Flask app (the first page, and page
``n / 100`` reached as the page's own "Next" links reach it: each page starts after the
last row's sort key, ``?after=``), learning a taste from 500 feedback events over the
whole catalog, and a rescan of as many unchanged files (``bench.rescan``'s harness). Run:
``nice -n 10 .venv/bin/python -m bench.scale [--sizes 10000,50000,100000]
[--only catalog,load,taste,library,rescan]``.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

from bench.common import best_of, emit_json, private_mongo

PASSWORD = "correct horse battery"
MEASURES = ("catalog", "load", "taste", "library", "rescan")
LIBRARY_SORT = "artist"
NEXT_LINK = re.compile(r'id="next-page" href="([^"]*)"')


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def next_key(body: bytes) -> str | None:
    """The ``after`` key of a rendered Library page's "Next" link (None without one)."""
    link = NEXT_LINK.search(body.decode())
    if link is None:
        return None
    return parse_qs(urlparse(html.unescape(link.group(1))).query)["after"][0]


def library_pages(n: int, client) -> dict:
    """The Library page sorted by artist: the first page, and page ``n // 100`` reached as
    the page's "Next" links reach it (``?after=`` the previous page's last sort key)."""
    from models import Track, track_browse

    figures: dict = {}
    deep = max(2, n // 100)  # the page number the old ``?page=`` figure asked for
    # Walk to it with the function the page itself calls, taking each next cursor as the
    # page computes its "Next" link (the last row's key in the sorted column).
    after, first_next = None, None
    start = time.perf_counter()
    for _ in range(deep - 1):
        rows, more = track_browse.page(LIBRARY_SORT, after=after)
        assert more and len(rows) == track_browse.PAGE_SIZE, (len(rows), more)
        after = rows[-1].sort_keys[LIBRARY_SORT]
        first_next = first_next or after
    figures["library_walk_s"] = round(time.perf_counter() - start, 2)
    deep_rows, _ = track_browse.page(LIBRARY_SORT, after=after)
    deep_url = "/library?" + urlencode({"after": after})

    first = client.get("/library")
    assert first.status_code == 200, first.status_code
    assert next_key(first.data) == first_next, "the first page's Next link is another key"
    page = client.get(deep_url)
    assert page.status_code == 200, page.status_code
    # The rendered deep page ends where the walk's page ends, so it shows those rows.
    assert next_key(page.data) == deep_rows[-1].sort_keys[LIBRARY_SORT]
    assert html.escape(deep_rows[0].display_title).encode() in page.data

    figures["library_deep_page_no"] = deep
    figures["library_page_s"] = round(best_of(lambda: client.get("/library")), 3)
    figures["library_deep_page_s"] = round(best_of(lambda: client.get(deep_url)), 3)
    # Apart: the page's own read at that cursor, and the status counts every view runs.
    figures["library_deep_read_s"] = round(
        best_of(lambda: track_browse.page(LIBRARY_SORT, after=after)), 3
    )
    figures["library_status_counts_s"] = round(best_of(Track.status_counts), 3)
    return figures


def one_size(n: int, folder: Path, only: set[str]) -> dict:
    from datetime import timedelta

    from core import catalog as core_catalog
    from core.catalog import CatalogCache
    from core.taste import TasteModel
    from models import FeedbackEvent, User
    from models.base import utcnow
    from models.feedback import taste_events
    from models.index_build import DatabaseSource, publish
    from tasks.catalog import build_catalog
    from tests.factories import add_analysed_tracks
    from webapp import create_app
    from webapp.config import TestingConfig
    from webapp.services.passwords import hash_password

    figures: dict = {"tracks": n}
    start = time.perf_counter()
    ids = []
    for chunk, lo in enumerate(range(0, n, 5000)):
        ids += [t.id for t in add_analysed_tracks(min(5000, n - lo), seed=200 + chunk)]
    figures["seed_s"] = round(time.perf_counter() - start, 1)

    # The Library page lists the published build's genres and the others read the build:
    # the catalog is built and published whenever any of them is measured.
    catalog, figures["catalog_build_s"] = timed(lambda: build_catalog(f"s{n}"))
    index, figures["index_build_s"] = timed(lambda: core_catalog.build_index(catalog))
    (manifest, blobs), figures["pack_s"] = timed(lambda: core_catalog.pack_build(catalog, index))
    _, figures["publish_s"] = timed(lambda: publish(manifest, blobs))
    figures["build_mb"] = round(sum(map(len, blobs.values())) / 1e6, 1)
    arrays = (catalog.pct, catalog.tags_pct, catalog.embeddings, *catalog.raw.values())
    figures["arrays_mb"] = round(sum(a.nbytes for a in arrays if a is not None) / 1e6, 1)
    figures["index_kind"] = index.kind
    if "load" in only:
        cache_dir = folder / f"cache-{n}"
        load = lambda: CatalogCache(cache_dir, DatabaseSource()).get()  # noqa: E731
        _, figures["load_fetch_s"] = timed(load)
        _, figures["load_disk_s"] = timed(load)
        shutil.rmtree(cache_dir, ignore_errors=True)

    user = User(username=f"reader{n}", password_hash=hash_password(PASSWORD)).save()
    rng = np.random.default_rng(3)
    now = utcnow()
    FeedbackEvent.objects.insert([
        FeedbackEvent(user=user.id, track=ids[int(rng.integers(len(ids)))],
                      event=str(rng.choice(["play", "complete", "skip", "like", "dislike"])),
                      created_at=now - timedelta(minutes=int(rng.integers(0, 86_400))))
        for _ in range(500)
    ], load_bulk=False)  # fmt: skip
    if "taste" in only:
        events = taste_events(user.id)
        figures["taste_learn_s"] = round(
            best_of(lambda: TasteModel.learn(events, catalog, now=time.time())), 3
        )

    if "library" in only:
        app = create_app(TestingConfig, MONGODB_URI=os.environ["MONGODB_URI"])
        client = app.test_client()
        login = {"username": user.username, "password": PASSWORD}
        response = client.post("/auth/login", data=login)
        assert response.status_code == 302, response.status_code
        figures.update(library_pages(n, client))
    for key in ("catalog_build_s", "index_build_s", "pack_s", "publish_s", "load_fetch_s",
                "load_disk_s"):  # fmt: skip
        if key in figures:
            figures[key] = round(figures[key], 2)
    return figures


def rescan(n: int, folder: Path) -> float:
    """``bench.rescan``'s measurement for ``n`` unchanged files (its own database)."""
    from bench.rescan import make_tree
    from models import Track
    from tasks.library import scan_root

    root = folder / f"files-{n}"
    docs = []
    for path in make_tree(root, n):
        stat = path.stat()
        docs.append(Track(path=str(path), size=stat.st_size, mtime=stat.st_mtime))
        docs[-1].analysis.status = "done"
    for start in range(0, len(docs), 1000):
        Track.objects.insert(docs[start : start + 1000], load_bulk=False)
    summary = {}
    seconds = best_of(lambda: summary.update(scan_root.apply(args=[str(root)]).get()), repeat=2)
    assert summary["unchanged"] == n and summary["queued"] == 0, summary
    return round(seconds, 2)


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--sizes", default="10000,50000,100000")
    args.add_argument(
        "--only",
        default=",".join(MEASURES),
        help="comma-separated measures to run: " + ", ".join(MEASURES),
    )
    args.add_argument("--no-rescan", action="store_true", help="the same as leaving out rescan")
    opts = args.parse_args()
    only = {m.strip() for m in opts.only.split(",") if m.strip()}
    if only - set(MEASURES):
        args.error(f"unknown measures: {', '.join(sorted(only - set(MEASURES)))}")
    if opts.no_rescan:
        only.discard("rescan")
    rows = []
    for n in (int(s) for s in opts.sizes.split(",")):
        folder = Path(tempfile.mkdtemp(prefix=f"moodroom-scale-{n}-"))
        row = {"tracks": n}
        try:
            if only - {"rescan"}:
                with private_mongo(f"moodroom_scale_{n}"):
                    from models import connect_db

                    connect_db(os.environ["MONGODB_URI"])
                    row = one_size(n, folder, only)
            if "rescan" in only:
                with private_mongo(f"moodroom_rescan_{n}"):
                    from models import connect_db

                    connect_db(os.environ["MONGODB_URI"])
                    row["rescan_unchanged_s"] = rescan(n, folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        rows.append(row)
        print(row, flush=True)
    keys = [k for k in rows[0] if k != "tracks"]
    print()
    print("| figure | " + " | ".join(f"{r['tracks']:,}" for r in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for key in keys:
        print(f"| {key} | " + " | ".join(str(r.get(key, "-")) for r in rows) + " |")
    emit_json({"sizes": [r["tracks"] for r in rows], "measures": sorted(only), "rows": rows})


if __name__ == "__main__":
    main()
