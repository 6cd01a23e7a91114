"""What grows with the library: build, store, load, memory, library page, taste, rescan.

For each size (default 10k, 50k, 100k synthetic analysed tracks in a fresh nx-27017):
reading the analysed tracks and building the catalog, packing and publishing the build
to MongoDB, a new process loading it (fetch from MongoDB into an empty ``DATA_DIR``)
and a restarted one (from its ``DATA_DIR``), the bytes of the arrays and the index,
the Library page (first and a deep page, sorted by artist) through the Flask app,
learning a taste from 500 feedback events over the whole catalog, and a rescan of as
many unchanged files (``bench.rescan``'s harness). Run:
``nice -n 10 .venv/bin/python -m bench.scale [--sizes 10000,50000,100000]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

from bench.common import best_of, emit_json, private_mongo

PASSWORD = "correct horse battery"


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def one_size(n: int, folder: Path) -> dict:
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

    catalog, figures["catalog_build_s"] = timed(lambda: build_catalog(f"s{n}"))
    index, figures["index_build_s"] = timed(lambda: core_catalog.build_index(catalog))
    (manifest, blobs), figures["pack_s"] = timed(lambda: core_catalog.pack_build(catalog, index))
    _, figures["publish_s"] = timed(lambda: publish(manifest, blobs))
    figures["build_mb"] = round(sum(map(len, blobs.values())) / 1e6, 1)
    arrays = (catalog.pct, catalog.tags_pct, catalog.embeddings, *catalog.raw.values())
    figures["arrays_mb"] = round(sum(a.nbytes for a in arrays if a is not None) / 1e6, 1)
    figures["index_kind"] = index.kind
    cache_dir = folder / f"cache-{n}"
    _, figures["load_fetch_s"] = timed(lambda: CatalogCache(cache_dir, DatabaseSource()).get())
    _, figures["load_disk_s"] = timed(lambda: CatalogCache(cache_dir, DatabaseSource()).get())
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
    events = taste_events(user.id)
    figures["taste_learn_s"] = round(
        best_of(lambda: TasteModel.learn(events, catalog, now=time.time())), 3
    )

    app = create_app(TestingConfig, MONGODB_URI=os.environ["MONGODB_URI"])
    client = app.test_client()
    response = client.post("/auth/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    for name, url in (("library_page_s", "/library"),
                      ("library_deep_page_s", f"/library?page={n // 100}")):  # fmt: skip
        figures[name] = round(best_of(lambda u=url: client.get(u)), 3)
        assert client.get(url).status_code == 200
    for key in ("catalog_build_s", "index_build_s", "pack_s", "publish_s", "load_fetch_s",
                "load_disk_s"):  # fmt: skip
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
    args.add_argument("--no-rescan", action="store_true")
    opts = args.parse_args()
    rows = []
    for n in (int(s) for s in opts.sizes.split(",")):
        folder = Path(tempfile.mkdtemp(prefix=f"moodroom-scale-{n}-"))
        try:
            with private_mongo(f"moodroom_scale_{n}"):
                from models import connect_db

                connect_db(os.environ["MONGODB_URI"])
                row = one_size(n, folder)
            if not opts.no_rescan:
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
    emit_json({"sizes": [r["tracks"] for r in rows], "rows": rows})


if __name__ == "__main__":
    main()
