"""``flask db status|backup|restore|validate`` against the real test server."""

from __future__ import annotations

import json
from datetime import datetime

import bson
import pytest
from mongoengine.connection import get_db

from models import (
    ALL_DOCUMENTS,
    Blend,
    BlendMember,
    BlendRun,
    Candidate,
    Collaborator,
    FeedbackEvent,
    GenerationSession,
    ModelRegistry,
    Mood,
    MoodQuery,
    Playlist,
    PlaylistEntry,
    PlaylistOp,
    TrackVector,
    UserLibrary,
    ensure_all_indexes,
)
from models.maintenance import reference_links
from tests.factories import add_analysed_tracks

WHEN = datetime(2026, 3, 4, 5, 6, 7, 891000)


@pytest.fixture
def cli(app):
    """Run ``flask db …``; afterwards every declared index exists again."""
    runner = app.test_cli_runner()
    yield lambda *args: runner.invoke(args=["db", *args])
    ensure_all_indexes()


def make_dataset(make_user) -> None:
    """Users, analysed tracks with vectors, a generation, a shared playlist, feedback, a blend."""
    ann = make_user("ann", preferences={"taste_reset_ts": 12.5}, last_login=WHEN)
    bob, cat = make_user("bob"), make_user("cat", email="cat@example.org")
    tracks = add_analysed_tracks(12, seed=3)
    Mood(
        key="rainy",
        label="Rainy",
        sentences=["grey sky"],
        targets={"energy": [0.1, 0.4]},
        tag_weights={"mellow": 0.8, "party": -0.5},
    ).save()
    query = MoodQuery(
        user=ann,
        text="rainy focus",
        parsed={"moods": {"rainy": 0.7}, "arc": [0.2, 0.5], "constraints": {"instrumental": True}},
    ).save()
    session = GenerationSession(
        user=ann,
        mood_query=query,
        status="completed",
        ordering=[t.id for t in tracks[:4]],
        candidates=[
            Candidate(track_id=t.id, score=0.5, parts={"fit": 0.4}, reason="calm")
            for t in tracks[:4]
        ],
        timings={"rank_ms": 3.25},
        finished_at=WHEN,
    ).save()
    playlist = Playlist(
        owner=ann,
        name="Rain",
        source_session=session,
        version=3,
        collaborators=[Collaborator(user=bob, role="editor"), Collaborator(user=cat)],
    ).save()
    for i, track in enumerate(tracks[:4]):
        PlaylistEntry(
            playlist=playlist,
            track=track,
            order_key=f"m{i}",
            added_by=bob,
            votes_up=[cat.id] if i else [],
        ).save()
    PlaylistOp(
        playlist=playlist,
        seq=1,
        op_id="op-1",
        user=bob,
        kind="move",
        effect={"move": [{"id": "e1", "order_key": "m5"}]},
        inverse={"move": []},
    ).save()
    for event in ("play", "like", "skip"):
        FeedbackEvent(
            user=bob,
            track=tracks[5],
            playlist=playlist,
            event=event,
            position_ms=1200,
            context={"page": "room", "room": playlist.id},
        ).save()
    UserLibrary(user=bob, track=tracks[5], liked=True, play_count=2, last_heard=WHEN).save()
    blend = Blend(
        owner=ann, name="Us", members=[BlendMember(user=ann), BlendMember(user=bob, weight=2.0)]
    ).save()
    BlendRun(
        blend=blend,
        run=1,
        playlist=playlist,
        track_ids=[tracks[0].id],
        sources=[bob.id],
        reasons=["bob likes it"],
    ).save()
    ModelRegistry(name="musicnn", version="1", metrics={"auc": 0.9}, activated_at=WHEN).save()
    # The server's quirks, kept as they are: an upsert's ObjectId key, a $set date string.
    ModelRegistry.objects(name="faiss", version="2").modify(upsert=True, set__active=True)
    get_db().tracks.update_one({"_id": tracks[0].id}, {"$set": {"analysis.finished_at": WHEN}})
    get_db().tracks.update_one({"_id": tracks[1].id}, {"$set": {"size": 5_000_000_000}})


def snapshot() -> dict[str, dict]:
    """Every collection's documents by ``_id``."""
    db = get_db()
    return {
        name: {doc["_id"]: doc for doc in db[name].find()} for name in db.list_collection_names()
    }


def drop_everything() -> None:
    db = get_db()
    for name in db.list_collection_names():
        db.drop_collection(name)


def test_status_shows_declared_indexes_and_flags_a_dropped_one(cli):
    result = cli("status", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] and len(report["collections"]) == len(ALL_DOCUMENTS)
    # Cover art is read by primary key (a content hash) only: no index, created on first use.
    by_id_only = {"covers", "cover_thumbs"}
    for row in report["collections"]:
        if row["collection"] in by_id_only:
            assert row["declared"] == 0, row
            continue
        assert row["exists"] and len(row["present"]) == row["declared"] > 0, row
    collection = get_db().playlist_entries
    name = next(n for n, i in collection.index_information().items() if i["key"] == [("track", 1)])
    collection.drop_index(name)
    report = json.loads(cli("status", "--json").output)
    row = next(r for r in report["collections"] if r["collection"] == "playlist_entries")
    assert (
        not report["ok"]
        and row["missing"] == ["track"]
        and row["present"] == ["playlist,order_key"]
    )
    text = cli("status").output
    assert "playlist_entries" in text and "1/2  missing: track" in text
    assert "Index problems found." in text


def test_backup_drop_restore_gives_identical_documents(cli, make_user, tmp_path):
    make_dataset(make_user)
    before = snapshot()
    result = cli("backup", str(tmp_path / "bk"))
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text())
    assert manifest["collections"]["tracks"]["count"] == 12
    assert set(manifest["files"]) >= {"tracks.jsonl", "track_vectors.jsonl", "indexes.json"}

    drop_everything()
    result = cli("restore", str(tmp_path / "bk"))
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    after = snapshot()
    assert set(after) == set(before)
    for name, docs in before.items():
        assert after[name].keys() == docs.keys(), name
        for key, doc in docs.items():
            assert after[name][key] == doc, (name, key)
            assert bson.encode(after[name][key]) == bson.encode(doc), (name, key)  # same types
    vector = after["track_vectors"][next(iter(after["track_vectors"]))]
    assert isinstance(vector["data"], bytes) and len(vector["data"]) == 800
    assert all(isinstance(u["created_at"], datetime) for u in after["users"].values())
    assert any(isinstance(k, bson.ObjectId) for k in after["model_registry"])
    tracks = after["tracks"].values()
    assert sum(isinstance(t["analysis"]["finished_at"], str) for t in tracks) == 1
    assert sum(isinstance(t.get("size"), bson.Int64) for t in tracks) == 1
    assert json.loads(cli("status", "--json").output)["ok"]
    assert cli("validate").exit_code == 0


def test_restore_refuses_a_non_empty_database_unless_forced(cli, make_user, tmp_path):
    make_dataset(make_user)
    assert cli("backup", str(tmp_path / "bk")).exit_code == 0
    make_user("dave")
    result = cli("restore", str(tmp_path / "bk"))
    assert result.exit_code == 1 and "is not empty" in result.output and "--force" in result.output
    assert get_db().users.count_documents({}) == 4
    result = cli("restore", str(tmp_path / "bk"), "--force")
    assert result.exit_code == 0, result.output
    assert sorted(u["username"] for u in get_db().users.find()) == ["ann", "bob", "cat"]


def test_a_tampered_backup_is_refused_and_nothing_is_written(cli, make_user, tmp_path):
    make_dataset(make_user)
    assert cli("backup", str(tmp_path / "bk")).exit_code == 0
    users = tmp_path / "bk" / "users.jsonl"
    users.write_text(users.read_text().replace('"bob"', '"eve"'))
    make_user("dave")
    before = snapshot()
    result = cli("restore", str(tmp_path / "bk"), "--force")
    assert result.exit_code == 1 and "users.jsonl does not match its checksum" in result.output
    assert snapshot() == before
    drop_everything()
    assert cli("restore", str(tmp_path / "bk")).exit_code == 1
    assert get_db().list_collection_names() == []


def test_bad_paths_give_one_line_errors(cli, tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    (tmp_path / "empty").mkdir()
    cases = [
        (("backup", str(a_file)), "exists and is not a directory"),
        (("backup", str(tmp_path)), "is not empty"),
        (("restore", str(tmp_path / "nope")), "does not exist"),
        (("restore", str(a_file)), "is not a directory"),
        (("restore", str(tmp_path / "empty")), "manifest.json is missing"),
    ]
    for args, message in cases:
        result = cli(*args)
        assert result.exit_code == 1 and message in result.output, (args, result.output)
        assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    (tmp_path / "empty" / "manifest.json").write_text("{not json")
    assert "is not valid JSON" in cli("restore", str(tmp_path / "empty")).output


def test_reference_links_come_from_the_document_classes():
    labels = {link.label for link in reference_links()}
    assert {
        "playlist_entries.playlist -> playlists",
        "playlist_entries.track -> tracks",
        "playlists.collaborators.user -> users",
        "blends.members.user -> users",
        "blend_runs.playlist -> playlists",
        "generation_sessions.mood_query -> mood_queries",
        "feedback_events.playlist -> playlists",
        "track_vectors._id -> tracks",
    } <= labels


def test_validate_finds_dangling_references_and_orphans(cli, make_user):
    make_dataset(make_user)
    result = cli("validate")
    assert result.exit_code == 0, result.output
    assert "No problems found." in result.output
    playlist = Playlist.objects.first()
    get_db().playlist_entries.insert_one(
        {"_id": "bad-entry", "playlist": playlist.id, "track": "no-such-track", "order_key": "z"}
    )
    TrackVector(id="ghost-track", model="test", dim=1, data=b"\x00\x00\x80?").save()
    Playlist.objects(id=playlist.id).update(
        set__collaborators=[*playlist.collaborators, Collaborator(user="gone-user")]
    )
    result = cli("validate", "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    problems = {p["link"]: p for p in report["problems"]}
    assert set(problems) == {
        "playlist_entries.track -> tracks",
        "track_vectors._id -> tracks",
        "playlists.collaborators.user -> users",
    }
    entry = problems["playlist_entries.track -> tracks"]
    assert entry["kind"] == "dangling" and entry["documents"] == 1
    assert entry["examples"] == [{"id": "bad-entry", "missing": "no-such-track"}]
    assert problems["track_vectors._id -> tracks"]["kind"] == "orphaned"
    text = cli("validate").output
    assert "orphaned  track_vectors._id -> tracks: 1 document(s)\n" in text
    assert "e.g. ghost-track\n" in text
    assert "e.g. bad-entry -> missing no-such-track" in text
