"""Settings resolve the same way in every process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import settings


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("MOODROOM_VAR", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY")
    first = settings.secret_key()
    assert len(first) == 64
    assert settings.secret_key() == first
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_recorded_services_are_used_when_env_is_unset(tmp_path, monkeypatch):
    monkeypatch.setenv("MOODROOM_VAR", str(tmp_path))
    monkeypatch.delenv("MONGODB_URI")
    monkeypatch.delenv("REDIS_URL")
    assert settings.mongodb_uri() == settings.DEFAULT_MONGODB_URI
    record = {"mongodb_uri": "mongodb://127.0.0.1:1234/x", "redis_url": "redis://127.0.0.1:9/0"}
    (tmp_path / "services.json").write_text(json.dumps(record))
    assert settings.mongodb_uri() == "mongodb://127.0.0.1:1234/x"
    assert settings.redis_url() == "redis://127.0.0.1:9/0"
    monkeypatch.setenv("REDIS_URL", "redis://explicit:1/2")
    assert settings.redis_url() == "redis://explicit:1/2"


def test_music_dirs_split_on_pathsep(tmp_path, monkeypatch):
    monkeypatch.setenv("MUSIC_DIR", f"{tmp_path / 'a'}{os.pathsep}{tmp_path / 'b'}")
    assert settings.music_dirs() == [tmp_path / "a", tmp_path / "b"]


def test_unreachable_database_gives_one_clear_line(tmp_path):
    env = dict(os.environ, MONGODB_URI="mongodb://127.0.0.1:9/moodroom", MOODROOM_VAR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "seed"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Cannot reach MongoDB at mongodb://127.0.0.1:9/moodroom" in lines[0]
    assert "MONGODB_URI" in lines[0]
