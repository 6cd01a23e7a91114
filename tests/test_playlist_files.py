"""Playlists as files: export M3U8/XSPF, import M3U/M3U8/XSPF/PLS, from the pages and the CLI."""

from __future__ import annotations

import io

from core.files import FileEntry, match, parse
from models import Playlist, PlaylistEntry
from tests.subsonic_world import sonic_data_dir, sonic_fixture  # noqa: F401 (fixtures)


def _make(owner: str, tracks, name="Trip", public=False) -> Playlist:
    playlist = Playlist(owner=owner, name=name, public=public).save()
    for i, track in enumerate(tracks):
        PlaylistEntry(playlist=playlist, track=track, order_key=f"k{i:03d}").save()
    return playlist


def _track_ids(playlist_id: str) -> list[str]:
    entries = PlaylistEntry.objects(playlist=playlist_id).order_by("order_key")
    return [e["track"] for e in entries.only("track").as_pymongo()]


def _upload(client, filename: str, data: bytes, name: str = ""):
    return client.post("/playlists/import", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), filename), "name": name})  # fmt: skip


def test_round_trip_m3u8_and_xspf_keeps_tracks_and_order(client, login, sonic, app):
    chosen = [sonic["tracks"][i] for i in (7, 2, 30, 11, 2, 19)]  # a repeat, out of order
    playlist = _make("user-alice", chosen)
    login("alice")
    files = {
        "relative.m3u8": client.get(f"/playlists/{playlist.id}/export.m3u8?root=0"),
        "absolute.m3u8": client.get(f"/playlists/{playlist.id}/export.m3u8"),
        "trip.xspf": client.get(f"/playlists/{playlist.id}/export.xspf"),
    }
    for response in files.values():
        assert response.status_code == 200
        assert "attachment" in response.headers["Content-Disposition"]
    relative = files["relative.m3u8"].get_data(as_text=True)
    root = str(app.config["MUSIC_DIRS"][0])
    assert relative.startswith("#EXTM3U\n#EXTINF:") and root not in relative
    assert root in files["absolute.m3u8"].get_data(as_text=True)
    xspf = files["trip.xspf"].get_data(as_text=True)
    assert "<title>Trip</title>" in xspf and "<creator>alice</creator>" in xspf
    assert f"<duration>{round(chosen[0].duration * 1000)}</duration>" in xspf
    PlaylistEntry.objects(playlist=playlist.id).delete()
    playlist.delete()
    for filename, response in files.items():
        answer = _upload(client, filename, response.data)
        assert answer.status_code == 201, answer.get_data(as_text=True)
        assert "6 tracks matched" in answer.get_data(as_text=True)
        (made,) = Playlist.objects(description=f"Imported from {filename}")
        assert _track_ids(made.id) == [t.id for t in chosen], filename
    assert Playlist.objects(description="Imported from trip.xspf").first().name == "Trip"


def test_moved_paths_match_by_tags_and_misses_are_listed_by_the_cli(app, sonic, tmp_path):
    chosen = sonic["tracks"][3:7]
    playlist = _make("user-alice", chosen)
    runner = app.test_cli_runner()
    exported = runner.invoke(args=["playlists", "export", playlist.id])
    assert exported.exit_code == 0, exported.output
    moved = exported.output.replace(str(app.config["MUSIC_DIRS"][0]), "/old/disk/music")
    other = sonic["tracks"][8]
    moved += "#EXTINF:200,Nobody - Never Recorded\n/old/disk/music/gone.mp3\n"
    label = f"{other.tags.artist} - {other.tags.title}"
    moved += f"#EXTINF:{round(other.duration) + 10},{label}\nx.mp3\n"
    path = tmp_path / "moved.m3u"
    path.write_text(moved, encoding="latin-1")
    result = runner.invoke(args=["playlists", "import", str(path), "--user", "alice"])
    assert result.exit_code == 0, result.output
    assert "4 tracks matched, 2 not found" in result.output
    assert "not found: Nobody - Never Recorded" in result.output
    assert f"not found: {other.tags.artist} - {other.tags.title}" in result.output  # 10 s off
    (made,) = Playlist.objects(name="moved")
    assert _track_ids(made.id) == [t.id for t in chosen]


def test_pls_import_and_refused_files(client, login, sonic):
    login("alice")
    a, b = sonic["tracks"][0], sonic["tracks"][1]
    pls = (f"[playlist]\nFile1={a.path}\nTitle1=whatever\nLength1=5\n"
           f"File2=elsewhere/b.ogg\nTitle2={b.tags.artist} - {b.tags.title}\nLength2=-1\n"
           "NumberOfEntries=2\nVersion=2\n")  # fmt: skip
    answer = _upload(client, "mix.pls", pls.encode(), name="Mix")
    assert answer.status_code == 201
    (made,) = Playlist.objects(name="Mix")
    assert _track_ids(made.id) == [a.id, b.id]
    before = Playlist.objects.count()
    for filename, data in (("evil.xspf", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]>'
                                         b"<playlist/>"),
                           ("broken.xspf", b"<playlist><trackList>"),
                           ("broken.pls", b"[playlist]\nFile1")):  # fmt: skip
        answer = _upload(client, filename, data)
        assert answer.status_code == 400, filename
    assert _upload(client, "", b"").status_code == 400
    assert Playlist.objects.count() == before


def test_export_follows_visibility(client, login, sonic):
    private = _make("user-bob", sonic["tracks"][:2], name="Bob's")
    public = _make("user-bob", sonic["tracks"][:2], name="Shared", public=True)
    login("alice")
    assert client.get(f"/playlists/{private.id}/export.m3u8").status_code == 404
    assert client.get(f"/playlists/{public.id}/export.xspf").status_code == 200
    assert client.get(f"/playlists/{public.id}/export.m3u8?root=9").status_code == 400
    assert client.get(f"/playlists/{public.id}/export.txt").status_code == 404
    page = client.get(f"/playlists/{public.id}").get_data(as_text=True)
    for link in ("export.m3u8", "export.m3u8?root=0", "export.xspf"):
        assert f"/playlists/{public.id}/{link}" in page
    assert "/playlists/import" in client.get("/playlists").get_data(as_text=True)
    assert client.get("/playlists/import").status_code == 200


def test_parsing_and_matching_rules():
    text = ("\ufeff#EXTM3U\n#EXTINF:123,Some Artist - A Title - Part 2\nmusic/a.flac\n"
            "#EXTINF:-1,Just A Title\r\nC:\\music\\b.mp3\n# a comment\n\nplain.ogg\n")  # fmt: skip
    entries = parse("x.m3u", text)
    assert [(e.artist, e.title, e.duration, e.location) for e in entries] == [
        ("Some Artist", "A Title - Part 2", 123.0, "music/a.flac"),
        (None, "Just A Title", None, "C:\\music\\b.mp3"),
        (None, None, None, "plain.ogg"),
    ]
    rows = [
        {"id": "1", "path": "/lib/music/a.flac", "title": "x", "artist": "y", "duration": 1},
        {"id": "2", "path": "/lib/b.mp3", "title": "Café", "artist": "Zoë", "duration": 100},
    ]
    found, misses = match(
        [FileEntry("music/a.flac"), FileEntry("nope", "CAFÉ", "zoë", None, 102.5),
         FileEntry("nope", "Café", "Zoë", None, 104)], rows, ["/lib"],
    )  # fmt: skip
    assert found == ["1", "2"] and [m.duration for m in misses] == [104]
