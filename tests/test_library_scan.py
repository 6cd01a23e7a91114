"""Scanning a folder through a real Celery worker: every track ends done or failed-with-reason."""

from __future__ import annotations

import os
import shutil
import time

import pytest

from core.files import FoundFile
from models import Track, TrackVector
from tasks.library import scan_root, store_file
from tests.audio_factory import make_bad_files, make_known_tracks, make_long_wav

pytestmark = pytest.mark.slow


def wait_until_settled(timeout: float = 300) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        statuses = {t.path: t.analysis.status for t in Track.objects(available=True)}
        if statuses and all(s in ("done", "failed") for s in statuses.values()):
            return statuses
        time.sleep(0.5)
    pytest.fail(f"analysis did not settle: {statuses}")


@pytest.fixture
def library(app):
    root = app.config["MUSIC_DIRS"][0]
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def test_scan_analyses_good_files_and_fails_bad_ones_with_reasons(library, celery_worker):
    good = make_known_tracks(library / "good", n=16, fmt="wav", seconds=20)
    good += make_known_tracks(library / "flac", n=2, fmt="flac", seconds=20)
    good += make_known_tracks(library / "mp3", n=2, fmt="mp3", seconds=20)
    bad = make_bad_files(library / "bad", good_mp3=good[-1][0])
    long_file = make_long_wav(library / "long" / "two hours.wav")
    (library / "notes.txt").write_text("not audio")  # ignored: not an audio extension

    summary = scan_root.delay(str(library)).get(timeout=120)
    assert summary["new"] == len(good) + len(bad) + 1
    statuses = wait_until_settled()

    for path, *_ in good:
        track = Track.objects.get(path=str(path))
        assert track.analysis.status == "done", track.analysis.error
        assert track.features.bpm > 0 and track.features.camelot
        assert len(track.tag_scores) == 100  # 50 MSD tags, 50 MTT instrument tags
        vector = TrackVector.objects.get(id=track.id)
        assert vector.dim == 200 and len(vector.data) == 800
    for name, path in bad.items():
        track = Track.objects.get(path=str(path))
        assert track.analysis.status == "failed", name
        assert track.analysis.error and len(track.analysis.error) > 10, name
    long_track = Track.objects.get(path=str(long_file))
    assert long_track.analysis.status == "done", long_track.analysis.error
    assert long_track.duration == pytest.approx(7200, abs=1)
    assert len(statuses) == len(good) + len(bad) + 1

    # A rescan with nothing changed queues nothing.
    again = scan_root.delay(str(library)).get(timeout=60)
    assert again["queued"] == 0 and again["unchanged"] == len(statuses)


def test_copies_share_one_track_and_vanished_files_become_unavailable(library, celery_worker):
    (path, *_), (other, *_) = make_known_tracks(library, n=2, fmt="wav", seconds=10)
    copy = library / "copy of song.wav"
    shutil.copy(path, copy)
    scan_root.delay(str(library)).get(timeout=60)
    assert Track.objects.count() == 2
    original = Track.objects.get(path__in=[str(path), str(copy)])
    assert original.other_paths == [str(copy if original.path == str(path) else path)]

    os.remove(other)
    summary = scan_root.delay(str(library)).get(timeout=60)
    assert summary["vanished"] == 1
    assert Track.objects.get(path=str(other)).available is False
    wait_until_settled()


def test_file_vanishing_before_analysis_fails_with_reason(library, celery_worker):
    (path, *_), _kept = make_known_tracks(library, n=2, fmt="wav", seconds=10)
    # Stop the worker from getting there first: store the tracks, delete one, then analyse.
    store_file(FoundFile(str(path), path.stat().st_size, path.stat().st_mtime), new=True)
    track = Track.objects.get(path=str(path))
    os.remove(path)
    from tasks.analysis import analyse_track

    assert analyse_track.delay(track.id).get(timeout=60) == "failed"
    track.reload()
    assert track.analysis.status == "failed"
    assert "No such file" in track.analysis.error


def test_file_vanishing_during_scan_is_recorded_not_fatal(library):
    ghost = FoundFile(str(library / "ghost.mp3"), 1234, 1.0)
    assert store_file(ghost, new=True) is None
    track = Track.objects.get(path=ghost.path)
    assert track.analysis.status == "failed"
    assert track.analysis.error == "the file disappeared during the scan"


def test_unreadable_file_fails_with_reason(library, celery_worker):
    if os.geteuid() == 0:
        pytest.skip("root reads every file; permissions cannot be denied here")
    (path, *_), = make_known_tracks(library, n=1, fmt="wav", seconds=10)  # fmt: skip
    path.chmod(0)
    scan_root.delay(str(library)).get(timeout=60)
    track = Track.objects.get(path=str(path))
    assert track.analysis.status == "failed" and "ermission" in track.analysis.error


def test_a_symlink_back_up_the_tree_is_walked_once(tmp_path):
    from core.files import discover

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "song.mp3").write_bytes(b"x")
    (tmp_path / "a" / "loop").symlink_to(tmp_path)
    assert [f.path for f in discover(tmp_path)] == [str(tmp_path / "a" / "song.mp3")]
