"""Declared collections and indexes, compared with what the database holds.

Index specs travel as JSON-ready dicts: ``{"fields": [[name, direction], ...], **options}``.
The embedded server keeps every key ascending, so declared and present indexes
match on their field names (and uniqueness); a lost direction is only noted.
"""

from __future__ import annotations

from models import ALL_DOCUMENTS

# index_information() keys that describe the index itself rather than its options.
_NOT_OPTIONS = ("v", "key", "ns", "name")


def declared_collections() -> dict[str, type]:
    """Collection name -> document class, for every registered document."""
    return {doc._get_collection_name(): doc for doc in ALL_DOCUMENTS}


def user_collections(db) -> list[str]:
    """Names of the database's collections, without ``system.*``, sorted."""
    return sorted(n for n in db.list_collection_names() if not n.startswith("system."))


def declared_indexes(doc) -> list[dict]:
    """The indexes ``doc`` declares in ``meta``, with the options MongoEngine passes."""
    defaults = doc._meta.get("index_opts") or {}
    specs = []
    for spec in doc._meta["index_specs"]:
        spec = {**defaults, **spec}
        spec.pop("cls", None)
        fields = [[name, direction] for name, direction in spec.pop("fields")]
        specs.append({"fields": fields, **spec})
    return specs


def present_indexes(collection) -> list[dict]:
    """The indexes ``collection`` has besides ``_id_``, each with its ``name``.

    Only call this for an existing collection: listing the indexes of a
    missing one creates it on the embedded server.
    """
    specs = []
    for name, info in collection.index_information().items():
        if name == "_id_":
            continue
        options = {k: v for k, v in info.items() if k not in _NOT_OPTIONS}
        specs.append({"fields": [[f, d] for f, d in info["key"]], "name": name, **options})
    return specs


def index_label(spec: dict) -> str:
    """``user,-created_at`` (plus `` unique``) for messages."""
    keys = ",".join(("-" if d == -1 else "") + str(f) for f, d in spec["fields"])
    return keys + (" unique" if spec.get("unique") else "")


def compare_indexes(declared: list[dict], present: list[dict]) -> dict:
    """Match declared to present indexes by field names; report what is missing or extra."""
    remaining = list(present)
    report = {"present": [], "missing": [], "mismatched": [], "extra": [], "reordered": 0}
    for spec in declared:
        names = [f for f, _ in spec["fields"]]
        hit = next((p for p in remaining if [f for f, _ in p["fields"]] == names), None)
        if hit is None:
            report["missing"].append(index_label(spec))
            continue
        remaining.remove(hit)
        if bool(hit.get("unique")) != bool(spec.get("unique")):
            report["mismatched"].append(f"{index_label(spec)} (present: {index_label(hit)})")
            continue
        report["present"].append(index_label(spec))
        if hit["fields"] != spec["fields"]:
            report["reordered"] += 1
    report["extra"] = [index_label(p) for p in remaining]
    return report


def database_status(db) -> dict:
    """Counts and index comparison for every declared and every undeclared collection."""
    existing = set(user_collections(db))
    declared = declared_collections()
    rows = []
    for name, doc in declared.items():
        exists = name in existing
        wanted = declared_indexes(doc)
        present = present_indexes(db[name]) if exists else []
        row = {"collection": name, "document": doc.__name__, "exists": exists}
        row["count"] = db[name].count_documents({}) if exists else 0
        row["declared"] = len(wanted)
        row.update(compare_indexes(wanted, present))
        rows.append(row)
    undeclared = [
        {
            "collection": name,
            "count": db[name].count_documents({}),
            "indexes": [index_label(p) for p in present_indexes(db[name])],
        }
        for name in sorted(existing - set(declared))
    ]
    ok = all(not (r["missing"] or r["mismatched"] or r["extra"]) for r in rows)
    return {"database": db.name, "ok": ok, "collections": rows, "undeclared": undeclared}
