"""Cover art from real mp3, m4a, flac and ogg files (pictures embedded with mutagen), from a
folder image, and a placeholder for a file with neither; thumbnails answer 304 on repeat."""

from __future__ import annotations

import base64
import io
import subprocess

import pytest
from PIL import Image

from core import files as core_files
from models import Cover, CoverThumb, Track, cover_for
from models.track import TrackTags


def png(colour: tuple[int, int, int], size=(600, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def encode(path, codec: str) -> str:
    """One second of a tone, encoded by a real ffmpeg."""
    import imageio_ffmpeg

    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-y", "-f", "lavfi",
                    "-i", "sine=frequency=440:duration=1", "-c:a", codec, str(path)],
                   check=True)  # fmt: skip
    return str(path)


def embed(path: str, picture: bytes) -> None:
    from mutagen.flac import FLAC, Picture
    from mutagen.id3 import APIC, ID3
    from mutagen.mp4 import MP4, MP4Cover
    from mutagen.oggvorbis import OggVorbis

    if path.endswith(".mp3"):
        tags = ID3()
        tags.add(APIC(encoding=3, mime="image/png", type=3, desc="Cover", data=picture))
        tags.save(path)
    elif path.endswith(".m4a"):
        audio = MP4(path)
        audio["covr"] = [MP4Cover(picture, imageformat=MP4Cover.FORMAT_PNG)]
        audio.save()
    else:
        pic = Picture()
        pic.type, pic.mime, pic.data = 3, "image/png", picture
        if path.endswith(".flac"):
            audio = FLAC(path)
            audio.add_picture(pic)
        else:
            audio = OggVorbis(path)
            audio["metadata_block_picture"] = [base64.b64encode(pic.write()).decode()]
        audio.save()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("covers")
    made = {}
    colours = {"mp3": (200, 30, 30), "m4a": (30, 200, 30), "flac": (30, 30, 200),
               "ogg": (200, 200, 30)}  # fmt: skip
    codecs = {"mp3": "libmp3lame", "m4a": "aac", "flac": "flac", "ogg": "libvorbis"}
    for kind, codec in codecs.items():
        made[kind] = encode(root / f"song.{kind}", codec)
        embed(made[kind], png(colours[kind]))
        made[f"{kind}-picture"] = png(colours[kind])
    (root / "album").mkdir()
    made["folder"] = encode(root / "album" / "plain.mp3", "libmp3lame")
    made["folder-picture"] = png((10, 120, 160), (500, 400))
    (root / "album" / "Folder.JPG").write_bytes(made["folder-picture"])
    (root / "bare").mkdir()
    made["none"] = encode(root / "bare" / "nothing.flac", "flac")
    made["twin"] = encode(root / "twin.mp3", "libmp3lame")
    embed(made["twin"], made["mp3-picture"])  # the same picture as song.mp3
    return made


def test_pictures_are_found_in_every_format_and_beside_the_file(files):
    for kind in ("mp3", "m4a", "flac", "ogg"):
        assert core_files.embedded_picture(files[kind]) == files[f"{kind}-picture"], kind
    assert core_files.embedded_picture(files["folder"]) is None
    assert core_files.find_picture(files["folder"]) == files["folder-picture"]
    assert core_files.find_picture(files["none"]) is None
    assert core_files.find_picture("/no/such/file.mp3") is None


def add(path: str, **tags) -> Track:
    return Track(path=path, tags=TrackTags(**tags)).save()


def test_one_stored_copy_per_distinct_image(app, files):
    tracks = [add(files[k]) for k in ("mp3", "twin", "m4a", "none")]
    found = [cover_for(t) for t in tracks]
    assert found[0].id == found[1].id == core_files.content_hash(files["mp3-picture"])
    assert found[2].id != found[0].id and found[3] is None
    assert Cover.objects.count() == 2
    stored = {t.id: t.cover for t in Track.objects(id__in=[t.id for t in tracks])}
    assert stored == {tracks[0].id: found[0].id, tracks[1].id: found[0].id,
                      tracks[2].id: found[2].id, tracks[3].id: ""}  # fmt: skip
    assert Track.objects(id=tracks[3].id).get().cover == ""  # looked once: none


def test_thumbnails_etag_304_and_placeholder(app, client, make_user, login, files):
    make_user()
    login()
    song, plain = add(files["flac"]), add(files["folder"])
    bare = add(files["none"], album="Blue Train")
    first = client.get(f"/covers/track/{song.id}?size=128")
    assert first.status_code == 200 and first.mimetype == "image/jpeg"
    assert "max-age" in first.headers["Cache-Control"] and first.headers["ETag"]
    with Image.open(io.BytesIO(first.data)) as image:
        assert image.size == (128, 128) and image.getpixel((64, 64))[2] > 150  # blue, square
    again = client.get(f"/covers/track/{song.id}?size=128",
                       headers={"If-None-Match": first.headers["ETag"]})  # fmt: skip
    assert again.status_code == 304 and again.data == b""
    assert CoverThumb.objects.count() == 1  # made once, then read
    folder = client.get(f"/covers/track/{plain.id}?size=300")
    with Image.open(io.BytesIO(folder.data)) as image:
        assert image.size == (300, 240)  # the folder image's shape is kept
    placeholder = client.get(f"/covers/track/{bare.id}")
    assert placeholder.mimetype == "image/svg+xml" and b">BT</text>" in placeholder.data
    repeat = client.get(f"/covers/track/{bare.id}",
                        headers={"If-None-Match": placeholder.headers["ETag"]})  # fmt: skip
    assert repeat.status_code == 304
    assert client.get("/covers/track/nope").status_code == 404
    assert client.get(f"/covers/track/{song.id}?size=lots").status_code == 200


def test_covers_need_sign_in(app, client, files):
    track = add(files["mp3"])
    assert client.get(f"/covers/track/{track.id}").status_code == 302


def test_subsonic_get_cover_art_serves_the_same_pictures(app, client, make_user, files):
    """Subsonic apps ask for covers by song or album id; the answer is the web app's cover."""
    from models import ApiKey
    from webapp.subsonic import library

    _, key = ApiKey.issue(make_user("sue").id, "phone")
    song = add(files["flac"], artist="Cover Band", album="Framed", title="One")
    plain = add(files["none"], artist="Bare", album="Nothing", title="Two")
    Track.objects(id__in=[song.id, plain.id]).update(set__available=True)
    library.forget()
    query = {"apiKey": key, "f": "json"}
    whole = client.get("/rest/getCoverArt.view", query_string={**query, "id": song.id})
    assert whole.status_code == 200 and whole.data == files["flac-picture"]
    album = library.album_id("Cover Band", "Framed")
    small = client.get("/rest/getCoverArt", query_string={**query, "id": album, "size": 64})
    assert small.mimetype == "image/jpeg"
    with Image.open(io.BytesIO(small.data)) as image:
        assert max(image.size) == 64
    again = client.get("/rest/getCoverArt", query_string={**query, "id": album, "size": 64},
                       headers={"If-None-Match": small.headers["ETag"]})  # fmt: skip
    assert again.status_code == 304
    missing = client.get("/rest/getCoverArt", query_string={**query, "id": plain.id})
    assert missing.get_json()["subsonic-response"]["error"]["code"] == 70
