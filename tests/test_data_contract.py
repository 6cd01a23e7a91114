"""Pins the data-layer rules of docs/data-layer.md against the real server.

Tests named ``test_quirk_*`` assert a known defect of the embedded server. If
one starts failing after an upgrade, the server changed: revisit the rule in
docs/data-layer.md and the code that works around it.
"""

from __future__ import annotations

import os
from datetime import datetime

import pytest
from bson import ObjectId
from mongoengine import (
    DictField,
    Document,
    EmbeddedDocument,
    EmbeddedDocumentListField,
    IntField,
    NotUniqueError,
    ObjectIdField,
    Q,
    StringField,
)

from models import Playlist, Track, User
from models.base import BaseDocument

pytestmark = pytest.mark.usefixtures("app")


class Item(EmbeddedDocument):
    name = StringField()
    n = IntField()


class Thing(BaseDocument):
    meta = {"collection": "contract_things"}
    name = StringField()
    owner_oid = ObjectIdField()
    items = EmbeddedDocumentListField(Item)
    flags = DictField()
    n = IntField(default=0)


class PlainDoc(Document):
    meta = {"collection": "contract_plain"}
    name = StringField()


def make_user(name="ann"):
    return User(username=name, password_hash="x").save()


def test_string_primary_keys_work_for_references_and_in_queries():
    ann, bob = make_user("ann"), make_user("bob")
    Playlist(owner=ann, name="a").save()
    Playlist(owner=bob, name="b").save()
    assert [p.name for p in Playlist.objects(owner=ann)] == ["a"]
    assert Playlist.objects(owner__in=[ann, bob]).count() == 2
    assert Playlist.objects(owner__in=[ann.id]).count() == 1
    assert len(ann.id) == 32 and isinstance(ann.id, str)


def test_quirk_objectid_equality_outside_id_matches_nothing():
    oid = ObjectId()
    Thing(name="x", owner_oid=oid).save()
    assert Thing.objects(owner_oid=oid).count() == 0  # rule 1: use string keys


def test_quirk_regex_lookups_match_nothing_but_raw_regex_does():
    Thing(name="Rainy Day").save()
    assert Thing.objects(name__icontains="rainy").count() == 0  # rule 2
    assert Thing.objects(__raw__={"name": {"$regex": "rainy", "$options": "i"}}).count() == 1


def test_quirk_regex_on_list_elements_matches_nothing():
    Thing(name="x", flags={"words": ["rainy", "day"]}).save()
    raw = {"flags.words": {"$regex": "^rai"}}
    assert Thing.objects(__raw__=raw).count() == 0  # search a joined string instead
    assert Thing.objects(__raw__={"flags.words": "rainy"}).count() == 1


def test_quirk_setting_one_embedded_list_element_is_lost():
    thing = Thing(name="x", items=[Item(name="a", n=1)]).save()
    Thing.objects(id=thing.id).update(set__items__0__n=5)
    assert Thing.objects.get(id=thing.id).items[0].n == 1  # rule 3


def test_replacing_a_whole_embedded_list_works():
    thing = Thing(name="x", items=[Item(name="a", n=1)]).save()
    Thing.objects(id=thing.id).update(set__items=[Item(name="a", n=5), Item(name="b", n=2)])
    assert [(i.name, i.n) for i in Thing.objects.get(id=thing.id).items] == [("a", 5), ("b", 2)]


def test_quirk_set_stores_datetimes_as_strings():
    when = datetime(2026, 1, 1, 12, 0, 0)
    thing = Thing(name="x").save()
    Thing._get_collection().update_one({"_id": thing.id}, {"$set": {"at": when}})
    assert Thing._get_collection().find_one({"_id": thing.id})["at"] == "2026-01-01 12:00:00"
    # so a range query on a $set date finds nothing: compare integers instead
    assert Thing._get_collection().count_documents({"at": {"$gt": datetime(2025, 1, 1)}}) == 0
    Thing._get_collection().insert_one({"_id": "direct", "at": when})
    assert Thing._get_collection().count_documents({"at": {"$gt": datetime(2025, 1, 1)}}) == 1


def test_quirk_index_on_a_field_inside_a_list_breaks_find():
    collection = Thing._get_db()["contract_lists"]
    collection.insert_one({"_id": "a", "members": [{"user": "u1"}, {"user": "u2"}]})
    assert len(list(collection.find({"members.user": "u2"}))) == 1
    collection.create_index("members.user")
    assert len(list(collection.find({"members.user": "u2"}))) == 0  # so never index these
    assert collection.count_documents({"members.user": "u2"}) == 1
    collection.drop()


def test_quirk_index_on_a_list_of_strings_breaks_equality_find():
    collection = Thing._get_db()["contract_words"]
    collection.insert_many([{"_id": "a", "words": ["blue", "train"]}, {"_id": "b", "words": ["x"]}])
    collection.create_index("words")
    assert list(collection.find({"words": "blue"})) == []  # so prefix search lives in memory
    assert collection.count_documents({"words": "blue"}) == 1
    assert [d["_id"] for d in collection.find({"words": {"$in": ["blue"]}})] == ["a"]  # a scan
    collection.drop()


def test_quirk_projecting_a_dotted_path_returns_a_flat_key():
    collection = Thing._get_db()["contract_dotted"]
    collection.insert_one({"_id": "a", "keys": {"title": "t", "bpm": "b"}})
    assert collection.find_one({}, {"keys.title": 1}) == {"_id": "a", "keys.title": "t"}
    collection.drop()


def test_quirk_upsert_creates_an_objectid_key():
    Thing.objects(name="fresh").modify(upsert=True, new=True, set__n=1)
    created = Thing._get_collection().find_one({"name": "fresh"})
    assert not isinstance(created["_id"], str)  # so never upsert: create, then update


def test_quirk_true_in_dictfield_set_comes_back_as_one():
    thing = Thing(name="x").save()
    Thing.objects(id=thing.id).update(set__flags__seen=True)
    assert Thing.objects.get(id=thing.id).flags["seen"] == 1  # rule 4: compare truthily


def test_lookup_on_string_ids_joins_on_this_server():
    # docs/data-layer.md rule 5 reports $lookup joining nothing; with string ids on
    # nx-27017 0.8.1 it joins. The code still joins in Python (in_bulk), which
    # is correct either way; this test records what the server does today.
    ann = make_user("ann")
    Playlist(owner=ann, name="a").save()
    pipeline = [
        {"$lookup": {"from": "users", "localField": "owner", "foreignField": "_id", "as": "o"}}
    ]
    rows = list(Playlist.objects.aggregate(pipeline))
    assert [row["o"][0]["username"] for row in rows] == ["ann"]


def test_unique_index_raises_not_unique():
    Track(path="/a.ogg").save()
    with pytest.raises(NotUniqueError):
        Track(path="/a.ogg").save()


def test_conditional_modify_and_inc_are_atomic_enough_for_versions():
    thing = Thing(name="x", n=0).save()
    won = Thing.objects(id=thing.id, n=0).modify(inc__n=1, new=True)
    lost = Thing.objects(id=thing.id, n=0).modify(inc__n=1, new=True)
    assert won.n == 1 and lost is None


def test_queries_we_rely_on():
    for i in range(5):
        Thing(name=f"t{i}", n=i).save()
    assert Thing.objects(n__gte=2, n__lt=4).count() == 2
    assert Thing.objects(Q(n=0) | Q(n=4)).count() == 2
    assert Thing.objects(n__ne=0).count() == 4
    assert Thing.objects(n__nin=[0, 1]).count() == 3
    assert [t.n for t in Thing.objects.order_by("-n").skip(1).limit(2)] == [3, 2]
    assert sorted(Thing.objects.distinct("n")) == [0, 1, 2, 3, 4]
    assert Thing.objects(name__exists=True).count() == 5


def test_plain_list_push_pull_and_add_to_set():
    ann = make_user("ann")
    playlist = Playlist(owner=ann, name="a").save()
    from models import PlaylistEntry

    entry = PlaylistEntry(playlist=playlist, track=Track(path="/x").save(), order_key="m").save()
    PlaylistEntry.objects(id=entry.id).update(add_to_set__votes_up="u1")
    PlaylistEntry.objects(id=entry.id).update(add_to_set__votes_up="u1")
    PlaylistEntry.objects(id=entry.id).update(push__votes_up="u2")
    PlaylistEntry.objects(id=entry.id).update(pull__votes_up="u1")
    assert PlaylistEntry.objects.get(id=entry.id).votes_up == ["u2"]


def _db():
    from mongoengine.connection import get_db

    return get_db()


def test_quirk_gridfs_dotted_collections_break_count_and_its_compound_index():
    """Why index blobs are plain documents (``models/index_build.py``), not GridFS."""
    import gridfs
    from pymongo.errors import OperationFailure

    bucket = gridfs.GridFSBucket(_db(), bucket_name="contract_fs", chunk_size_bytes=1024)
    try:
        bucket.upload_from_stream_with_id("f1", "f1", b"x" * 5000)
        assert bucket.open_download_stream("f1").read() == b"x" * 5000  # small files work
        with pytest.raises(OperationFailure):
            _db()["contract_fs.chunks"].count_documents({"files_id": "f1"})
        keys = [list(ix["key"]) for ix in _db()["contract_fs.chunks"].list_indexes()]
        assert ["files_id_n"] in keys and ["files_id", "n"] not in keys
    finally:  # a dotted collection left behind breaks ``flask db status`` for later tests
        _db()["contract_fs.files"].drop()
        _db()["contract_fs.chunks"].drop()


def test_quirk_a_dotted_collection_answers_in_one_oversized_reply():
    """GridFS's ``<bucket>.chunks`` is dotted: a file over 48 MB cannot be read back."""
    from bson import Binary
    from pymongo.errors import ProtocolError

    docs = [{"files_id": "f", "n": i, "data": Binary(os.urandom(1 << 20))} for i in range(60)]
    plain, dotted = _db()["contract_blobs"], _db()["contract_fs2.chunks"]
    try:
        plain.insert_many(docs)
        dotted.insert_many(docs)
        query = {"files_id": {"$eq": "f"}}  # what GridFS asks for a file's chunks
        assert len(list(plain.find(query, sort=[("n", 1)]))) == 60  # answered in batches
        with pytest.raises(ProtocolError):
            list(dotted.find(query, sort=[("n", 1)]))
    finally:  # the server keeps "<name>.chunks" as a GridFS pair: drop both halves
        dotted.drop()
        _db()["contract_fs2.files"].drop()
