"""Finding audio files under library roots and deciding what a rescan must do."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

AUDIO_EXTENSIONS = frozenset(
    {".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".mp4", ".wav", ".aif", ".aiff"}
)


@dataclass(frozen=True)
class FoundFile:
    """An audio file seen on disk."""

    path: str
    size: int
    mtime: float


@dataclass
class ScanPlan:
    """What a scan has to do, compared with what the database knows."""

    new: list[FoundFile] = field(default_factory=list)
    changed: list[FoundFile] = field(default_factory=list)
    unchanged: int = 0
    returned: list[str] = field(default_factory=list)
    vanished: list[str] = field(default_factory=list)


def inside(path: str | Path, roots: Iterable[str | Path]) -> bool:
    """True when ``path`` (symlinks resolved) lies under one of ``roots``."""
    resolved = Path(path).resolve()
    return any(resolved.is_relative_to(Path(root).resolve()) for root in roots)


def discover(root: str | Path) -> Iterator[FoundFile]:
    """Every audio file under ``root``, skipping hidden entries and links leaving ``root``."""
    root = Path(root).resolve()
    stack = [root]
    seen: set[tuple[int, int]] = set()  # (device, inode): a link back up must not loop
    while stack:
        folder = stack.pop()
        try:
            info = folder.stat()
        except OSError:
            continue
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # unreadable folder: nothing in it can be analysed
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_symlink() and not inside(entry.path, [root]):
                    continue
                if entry.is_dir():
                    stack.append(Path(entry.path))
                elif Path(entry.name).suffix.lower() in AUDIO_EXTENSIONS:
                    stat = entry.stat()
                    yield FoundFile(entry.path, stat.st_size, stat.st_mtime)
            except OSError:
                continue  # vanished between listing and stat


def plan_scan(found: Iterable[FoundFile], known: dict[str, tuple]) -> ScanPlan:
    """Compare files on disk with known tracks.

    Args:
        found: files discovered under a root.
        known: path -> ``(size, mtime, available)`` of tracks stored under that root.
    """
    plan = ScanPlan()
    seen = set()
    for item in found:
        seen.add(item.path)
        previous = known.get(item.path)
        if previous is None:
            plan.new.append(item)
        elif (previous[0], previous[1]) != (item.size, item.mtime):
            plan.changed.append(item)
        elif not previous[2]:
            plan.returned.append(item.path)
        else:
            plan.unchanged += 1
    plan.vanished = [p for p, (_s, _m, available) in known.items() if available and p not in seen]
    return plan


def fingerprint(path: str | Path, chunk: int = 1 << 20) -> str:
    """Content hash: byte-identical copies of a recording share it."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()
