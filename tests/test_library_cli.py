"""``flask analyze --json`` and ``flask library scan --wait``."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.audio_factory import make_bad_files, make_known_tracks

FIELDS = {
    "path", "duration", "bpm", "bpm_confidence", "key", "scale", "camelot", "key_strength",
    "loudness_lufs", "energy", "brightness", "danceability", "dynamic_complexity", "tags",
    "embedding_dim", "error",
}  # fmt: skip


def test_analyze_json_prints_one_object_per_file_and_exits_zero(app, tmp_path):
    (good, bpm, key, scale), = make_known_tracks(tmp_path, n=1, fmt="wav", seconds=15)  # fmt: skip
    bad = make_bad_files(tmp_path / "bad")["text_ogg"]
    result = app.test_cli_runner().invoke(args=["analyze", str(good), str(bad), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [set(line) for line in lines] == [FIELDS, FIELDS]
    ok, failed = lines
    assert ok["error"] is None and ok["key"] == key and ok["scale"] == scale
    assert abs(ok["bpm"] - bpm) / bpm < 0.04
    assert ok["embedding_dim"] == 200 and len(ok["tags"]) == 100  # MSD and MTT (mtt:) tags
    assert failed["error"] and failed["bpm"] is None and failed["path"] == str(bad)


def test_analyze_without_files_is_a_usage_error(app):
    result = app.test_cli_runner().invoke(args=["analyze"])
    assert result.exit_code == 2


@pytest.mark.slow
def test_scan_wait_reports_progress_and_summary(app, celery_worker):
    root = app.config["MUSIC_DIRS"][0]
    shutil.rmtree(root, ignore_errors=True)
    make_known_tracks(root, n=3, fmt="wav", seconds=10)
    make_bad_files(root / "bad")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["library", "scan", str(root), "--wait", "--timeout", "300"])
    assert result.exit_code == 0, result.output + result.stderr
    assert "6 new" in result.stdout and "6 queued" in result.stdout
    assert "Done: 3 analysed, 3 failed, 0 skipped." in result.stdout
    assert "6/6 analysed" in result.stderr
    again = runner.invoke(args=["library", "scan", "--wait"])
    assert "Done: 3 analysed, 3 failed, 6 skipped." in again.stdout
    shutil.rmtree(root, ignore_errors=True)


def test_scan_refuses_paths_outside_the_library_roots(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["library", "scan", str(tmp_path)])
    assert result.exit_code == 2
    assert "not inside a configured library root" in result.output


def test_scan_without_a_worker_says_how_to_start_one(app):
    root = app.config["MUSIC_DIRS"][0]
    root.mkdir(parents=True, exist_ok=True)
    result = app.test_cli_runner().invoke(args=["library", "scan"])
    assert result.exit_code == 1
    assert "no Celery worker answered" in result.output and "make run" in result.output
