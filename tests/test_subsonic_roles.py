"""Playlists through the Subsonic API keep the rooms' roles, and deleting keeps history."""

from __future__ import annotations

from models import ApiKey, FeedbackEvent, Playlist, PlaylistEntry
from tests.subsonic_world import call, code_of, sonic_data_dir, sonic_fixture  # noqa: F401


def test_playlist_roles(client, sonic):
    key_a, key_b = sonic["alice_key"], sonic["bob_key"]
    ids = [t.id for t in sonic["tracks"][:3]]
    made = call(client, "createPlaylist", key_a, name="Mine", songId=ids)["playlist"]
    assert [e["id"] for e in made["entry"]] == ids and made["readonly"] is False
    # Private: bob gets "not found", whatever he tries.
    for method, params in (("getPlaylist", {"id": made["id"]}),
                           ("updatePlaylist", {"playlistId": made["id"], "name": "x"}),
                           ("deletePlaylist", {"id": made["id"]})):  # fmt: skip
        assert code_of(call(client, method, key_b, **params)) == 70
    # Public: bob can see it, not edit or delete it.
    call(client, "updatePlaylist", key_a, playlistId=made["id"], public="true")
    assert call(client, "getPlaylist", key_b, id=made["id"])["playlist"]["readonly"] is True
    assert code_of(call(client, "updatePlaylist", key_b, playlistId=made["id"], name="x")) == 50
    assert code_of(call(client, "deletePlaylist", key_b, id=made["id"])) == 50
    assert code_of(call(client, "updatePlaylist", key_a, playlistId=made["id"],
                        songIndexToRemove=7)) == 70  # fmt: skip
    assert PlaylistEntry.objects(playlist=made["id"]).count() == 3  # nothing lost
    assert Playlist.objects(id=made["id"]).first().name == "Mine"


def test_editors_edit_admins_share_only_owners_delete(client, sonic, make_user):
    from models import Collaborator

    ed, ad = make_user("ed", id="user-ed"), make_user("ada", id="user-ada")
    keys = {name: ApiKey.issue(user.id, "app")[1] for name, user in (("ed", ed), ("ada", ad))}
    ids = [t.id for t in sonic["tracks"][:4]]
    made = call(client, "createPlaylist", sonic["alice_key"], name="Team", songId=ids[:2])
    playlist_id = made["playlist"]["id"]
    Playlist.objects(id=playlist_id).update(set__collaborators=[
        Collaborator(user=ed, role="editor"), Collaborator(user=ad, role="admin")])  # fmt: skip
    body = call(client, "updatePlaylist", keys["ed"], playlistId=playlist_id, songIdToAdd=ids[2])
    assert body["status"] == "ok"
    assert code_of(call(client, "updatePlaylist", keys["ed"], playlistId=playlist_id,
                        public="true")) == 50  # fmt: skip
    assert call(client, "updatePlaylist", keys["ada"], playlistId=playlist_id,
                public="true")["status"] == "ok"  # fmt: skip
    assert Playlist.objects(id=playlist_id).first().public is True
    for name in ("ed", "ada"):
        assert code_of(call(client, "deletePlaylist", keys[name], id=playlist_id)) == 50
    replaced = call(client, "createPlaylist", keys["ed"], playlistId=playlist_id, songId=ids[3])
    assert [e["id"] for e in replaced["playlist"]["entry"]] == [ids[3]]
    FeedbackEvent(user="user-ed", track=ids[3], playlist=playlist_id, event="play").save()
    assert call(client, "deletePlaylist", sonic["alice_key"], id=playlist_id)["status"] == "ok"
    assert not Playlist.objects(id=playlist_id) and not PlaylistEntry.objects(playlist=playlist_id)
    (kept,) = FeedbackEvent.objects(user="user-ed")  # history stays, without a dangling link
    assert kept.to_mongo().get("playlist") is None
