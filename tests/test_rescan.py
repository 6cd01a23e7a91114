"""Keeping the library current: moved files keep their identity, copies are cheap, a periodic
rescan (Celery beat) finds new files by itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.collab import keys_between
from launcher.services import stop
from models import FeedbackEvent, Playlist, PlaylistEntry, Track
from tasks.library import scan_root
from tests.audio_factory import make_known_tracks
from tests.test_library_scan import wait_until_settled

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def library(app, tmp_path):
    root = tmp_path / "music"
    root.mkdir()
    return root


def test_a_moved_file_keeps_its_likes_and_playlist_entries(library, make_user, celery_worker):
    (path, *_), _ = make_known_tracks(library, n=2, fmt="wav", seconds=5)
    scan_root.delay(str(library)).get(timeout=60)
    wait_until_settled()
    track = Track.objects.get(path=str(path))
    alice = make_user("alice")
    FeedbackEvent(user=alice, track=track, event="like").save()
    playlist = Playlist(owner=alice, name="Keep").save()
    PlaylistEntry(playlist=playlist, track=track, order_key=keys_between(None, None, 1)[0]).save()

    moved = library / "elsewhere" / "renamed song.wav"
    moved.parent.mkdir()
    os.rename(path, moved)
    summary = scan_root.delay(str(library)).get(timeout=60)
    assert summary["moved"] == 1 and summary["vanished"] == 0 and summary["queued"] == 0
    assert Track.objects.count() == 2
    again = Track.objects.get(id=track.id)
    assert again.path == str(moved) and again.available
    assert again.analysis.status == "done"  # no second analysis
    assert FeedbackEvent.objects(user=alice, track=track.id, event="like").count() == 1
    assert PlaylistEntry.objects.get(playlist=playlist).track.id == track.id


def test_copies_are_not_hashed_again_and_take_over_a_deleted_file(library, monkeypatch):
    (path, *_), = make_known_tracks(library, n=1, fmt="wav", seconds=5)  # fmt: skip
    copy = library / "copy" / "same song.wav"
    copy.parent.mkdir()
    shutil.copy(path, copy)
    first = scan_root.apply(args=[str(library)]).get()
    assert first["new"] == 2 and Track.objects.count() == 1
    track = Track.objects.first()
    assert track.path == str(path) and track.other_paths == [str(copy)]

    import core.files

    hashed = []
    real = core.files.fingerprint
    monkeypatch.setattr(core.files._scanner, "fingerprint", lambda p: hashed.append(p) or real(p))
    second = scan_root.apply(args=[str(library)]).get()
    assert hashed == [] and second["unchanged"] == 2 and second["new"] == 0

    os.remove(path)  # the primary goes; the copy remains
    third = scan_root.apply(args=[str(library)]).get()
    assert third["promoted"] == 1 and third["vanished"] == 0
    same = Track.objects.get(id=track.id)
    assert same.path == str(copy) and same.other_paths == [] and same.available
    assert hashed == []  # taking over the copy needs no hashing either

    os.remove(copy)
    last = scan_root.apply(args=[str(library)]).get()
    assert last["vanished"] == 1 and not Track.objects.get(id=track.id).available


def test_a_periodic_rescan_picks_up_a_new_file_by_itself(app, tmp_path, celery_worker):
    # The worker scans the roots it is configured with (MUSIC_DIR of this test session).
    library = app.config["MUSIC_DIRS"][0]
    shutil.rmtree(library, ignore_errors=True)
    library.mkdir(parents=True)
    env = dict(os.environ, RESCAN_MINUTES="0.02")  # every 1.2 s
    log = open(tmp_path / "beat.log", "ab")  # noqa: SIM115 - closed below
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tasks.celery_app", "beat", "--loglevel", "INFO",
         "--schedule", str(tmp_path / "beat-schedule")],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        made = make_known_tracks(tmp_path / "made", n=2, fmt="wav", seconds=5)  # two different
        for n, (name, (path, *_)) in enumerate(zip(("first", "second"), made, strict=True), 1):
            shutil.move(path, library / f"{name}.wav")
            deadline = time.monotonic() + 90
            while Track.objects(path=str(library / f"{name}.wav")).count() == 0:
                assert beat.poll() is None, (tmp_path / "beat.log").read_text()
                assert time.monotonic() < deadline, (tmp_path / "beat.log").read_text()
                time.sleep(0.5)
            assert Track.objects.count() == n
    finally:
        stop(beat)
        log.close()
        shutil.rmtree(library, ignore_errors=True)


def test_rescan_minutes_is_checked(monkeypatch):
    import settings

    monkeypatch.setenv("RESCAN_MINUTES", "0")
    assert settings.rescan_minutes() == 0
    monkeypatch.delenv("RESCAN_MINUTES")
    assert settings.rescan_minutes() == 60
    for bad in ("-5", "hourly"):
        monkeypatch.setenv("RESCAN_MINUTES", bad)
        with pytest.raises(ValueError, match="RESCAN_MINUTES"):
            settings.rescan_minutes()


def test_the_watcher_scans_a_folder_when_files_change(app, tmp_path, celery_worker):
    library = tmp_path / "watched"
    library.mkdir()
    made = make_known_tracks(tmp_path / "made", n=1, fmt="wav", seconds=5)
    env = dict(os.environ, MUSIC_DIR=str(library))
    log = open(tmp_path / "watcher.log", "ab")  # noqa: SIM115 - closed below
    watcher = subprocess.Popen(
        [sys.executable, "-m", "tasks.watcher"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip

    def wait_for(predicate, what: str):
        deadline = time.monotonic() + 60
        while not predicate():
            assert watcher.poll() is None, (tmp_path / "watcher.log").read_text()
            assert time.monotonic() < deadline, f"{what}: {(tmp_path / 'watcher.log').read_text()}"
            time.sleep(0.3)

    try:
        wait_for(lambda: "watching" in (tmp_path / "watcher.log").read_text(), "start")
        added = library / "added.wav"
        shutil.move(made[0][0], added)
        wait_for(lambda: Track.objects(path=str(added)).count() == 1, "the new file")
        track_id = Track.objects.get(path=str(added)).id
        renamed = library / "renamed.wav"
        os.rename(added, renamed)
        wait_for(lambda: Track.objects(path=str(renamed)).count() == 1, "the rename")
        assert Track.objects.get(path=str(renamed)).id == track_id
    finally:
        stop(watcher)
        log.close()
