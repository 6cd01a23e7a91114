"""Dangling references and orphaned documents, joined in Python.

The links come from the MongoEngine classes (``ReferenceField``s, also inside
lists and embedded documents) plus a short list of ids kept as plain strings.
Target ids are read once per collection into sets; each source collection is
streamed once with a projection of its top-level reference fields (the
embedded server neither projects nor ``distinct``s paths inside lists of
documents reliably).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bson import DBRef
from bson.json_util import dumps
from mongoengine.fields import (
    DictField,
    EmbeddedDocumentField,
    ListField,
    ReferenceField,
)

from models import ALL_DOCUMENTS, BlendRun, GenerationSession, Track, TrackVector, User
from models.maintenance.schema import user_collections

EXAMPLES = 5


@dataclass(frozen=True)
class Link:
    """Values at ``path`` in ``collection`` must be ``_id``s in ``target``."""

    collection: str
    path: tuple[str, ...]
    target: str
    kind: str = "dangling"  # "orphaned" when the document's own key must exist elsewhere

    @property
    def label(self) -> str:
        return f"{self.collection}.{'.'.join(self.path)} -> {self.target}"


def extra_links() -> list[Link]:
    """Ids stored as strings rather than ``ReferenceField``s."""
    documents = (TrackVector, Track, User, BlendRun, GenerationSession)
    vectors, tracks, users, runs, sessions = (doc._get_collection_name() for doc in documents)
    return [
        Link(vectors, ("_id",), tracks, "orphaned"),
        Link(runs, ("track_ids",), tracks),
        Link(runs, ("sources",), users),
        Link(sessions, ("candidates", "track_id"), tracks),
    ]


def reference_links(documents=ALL_DOCUMENTS) -> list[Link]:
    """Every reference the document classes declare, plus ``extra_links()``."""
    links = []
    for doc in documents:
        for field in doc._fields.values():
            for path, target in _walk(field, (field.db_field,)):
                links.append(Link(doc._get_collection_name(), path, target._get_collection_name()))
    return links + extra_links()


def _walk(field, path: tuple[str, ...], depth: int = 0):
    if depth > 8:
        return
    if isinstance(field, ReferenceField):
        yield path, field.document_type
    elif isinstance(field, ListField) and field.field is not None:
        yield from _walk(field.field, path, depth + 1)
    elif isinstance(field, DictField) and field.field is not None:
        yield from _walk(field.field, (*path, "*"), depth + 1)
    elif isinstance(field, EmbeddedDocumentField):
        for sub in field.document_type._fields.values():
            yield from _walk(sub, (*path, sub.db_field), depth + 1)


def values_at(value, path: tuple[str, ...]):
    """The ids stored at ``path`` (through lists, dicts and ``*`` for any dict value)."""
    if isinstance(value, list):
        for item in value:
            yield from values_at(item, path)
    elif not path:
        if isinstance(value, DBRef):
            yield value.id
        elif isinstance(value, dict):
            yield dumps(value)  # not an id: reported as dangling
        elif value is not None:
            yield value
    elif isinstance(value, dict):
        head, rest = path[0], path[1:]
        if head == "*":
            for item in value.values():
                yield from values_at(item, rest)
        elif head in value:
            yield from values_at(value[head], rest)


def find_problems(db, links: list[Link] | None = None) -> dict:
    """Check every link; returns counts per kind with a few example ids."""
    links = reference_links() if links is None else links
    existing = set(user_collections(db))
    ids: dict[str, set] = {}
    for target in {link.target for link in links}:
        cursor = db[target].find({}, {"_id": 1}) if target in existing else []
        ids[target] = {row["_id"] for row in cursor}
    by_source = defaultdict(list)
    for link in links:
        by_source[link.collection].append(link)
    problems, scanned = [], {}
    for source in sorted(by_source):
        if source not in existing:
            continue
        group = by_source[source]
        found = {link: {"references": 0, "documents": 0, "examples": []} for link in group}
        scanned[source] = 0
        projection = {link.path[0]: 1 for link in group}
        for doc in db[source].find({}, projection, batch_size=1000):
            scanned[source] += 1
            for link in group:
                known = ids[link.target]
                missing = [v for v in values_at(doc, link.path) if v not in known]
                if missing:
                    entry = found[link]
                    entry["references"] += len(missing)
                    entry["documents"] += 1
                    if len(entry["examples"]) < EXAMPLES:
                        example = {"id": str(doc["_id"]), "missing": str(missing[0])}
                        entry["examples"].append(example)
        for link in group:
            if found[link]["documents"]:
                problems.append({"kind": link.kind, "link": link.label, **found[link]})
    return {
        "ok": not problems,
        "links": len(links),
        "documents": sum(scanned.values()),
        "collections": len(scanned),
        "problems": problems,
    }
