"""System endpoints: ping, licence, extensions, music folders, scans."""

from __future__ import annotations

from flask import current_app

from models import Track
from tasks.library import scan_root
from webapp.subsonic.registry import endpoint
from webapp.subsonic.responses import ok

# OpenSubsonic extensions this server implements (name -> versions).
EXTENSIONS = {
    "apiKeyAuthentication": [1],
    "formPost": [1],
    "sonicSimilarity": [1],
    # Moodroom's own: getMoodPlaylist?text=... answers a fresh mood playlist.
    "moodroomMoodPlaylist": [1],
}


@endpoint("ping")
def ping(user):
    return ok()


@endpoint("getLicense")
def get_license(user):
    return ok({"license": {"valid": True}})


@endpoint("getOpenSubsonicExtensions")
def get_extensions(user):
    return ok(
        {
            "openSubsonicExtensions": [
                {"name": name, "versions": versions} for name, versions in EXTENSIONS.items()
            ]
        }
    )


@endpoint("getMusicFolders")
def get_music_folders(user):
    roots = current_app.config["MUSIC_DIRS"]
    folders = [{"id": i + 1, "name": str(root).rstrip("/").rsplit("/", 1)[-1] or str(root)}
               for i, root in enumerate(roots)]  # fmt: skip
    return ok({"musicFolders": {"musicFolder": folders}})


def _scan_status() -> dict:
    counts = Track.status_counts()
    busy = counts["pending"] + counts["processing"]
    return {"scanning": busy > 0, "count": counts["total"]}


@endpoint("getScanStatus")
def get_scan_status(user):
    return ok({"scanStatus": _scan_status()})


@endpoint("startScan", admin=True)
def start_scan(user):
    for root in current_app.config["MUSIC_DIRS"]:
        scan_root.delay(str(root))
    return ok({"scanStatus": {**_scan_status(), "scanning": True}})
