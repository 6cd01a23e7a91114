"""How long a rescan of a large, unchanged library takes.

Creates N small files (default 10,000) in a folder tree, records them as
already-scanned tracks (as a first scan would have), then times
``library.scan_root`` on the unchanged tree against a baseline measured in
the same run: a bare ``os.walk`` + ``stat`` of the same files, the least any
rescan must do. Run: ``.venv/bin/python -m bench.rescan [--files N]``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from bench.common import best_of, emit_json, private_mongo


def make_tree(root: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        folder = root / f"artist{i // 200:03d}" / f"album{(i // 20) % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{i % 20:02d} - song {i}.mp3"
        path.write_bytes(b"ID3" + i.to_bytes(4, "big"))
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10_000)
    args = parser.parse_args()
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
    with private_mongo() as (_uri, folder):
        from models import Track
        from tasks.library import scan_root

        root = Path(tempfile.mkdtemp(prefix="library-", dir=folder))
        paths = make_tree(root, args.files)
        docs = []
        for path in paths:
            stat = path.stat()
            docs.append(Track(path=str(path), size=stat.st_size, mtime=stat.st_mtime))
            docs[-1].analysis.status = "done"
        for start in range(0, len(docs), 1000):
            Track.objects.insert(docs[start : start + 1000], load_bulk=False)

        def baseline():
            for dirpath, _dirs, files in os.walk(root):
                for name in files:
                    os.stat(os.path.join(dirpath, name))

        summary = {}

        def rescan():
            summary.update(scan_root.apply(args=[str(root)]).get())

        base = best_of(baseline)
        ours = best_of(rescan)
        assert summary["unchanged"] == args.files and summary["queued"] == 0, summary
        print(f"files                 {args.files}")
        print(f"walk+stat baseline    {base * 1000:8.1f} ms")
        print(f"rescan (unchanged)    {ours * 1000:8.1f} ms  ({ours / base:.1f}x the baseline)")
        print(f"per file              {ours / args.files * 1e6:8.1f} µs")
        emit_json(
            {
                "files": args.files,
                "rescan_s": round(ours, 3),
                "baseline_walk_s": round(base, 3),
                "ratio_vs_walk": round(ours / base, 2),
            }
        )


if __name__ == "__main__":
    main()
