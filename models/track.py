"""Audio files of the library and what analysis found in them."""

from __future__ import annotations

from mongoengine import (
    BinaryField,
    BooleanField,
    DateTimeField,
    DictField,
    EmbeddedDocument,
    EmbeddedDocumentField,
    FloatField,
    IntField,
    ListField,
    StringField,
)

from core.analysis import parse_camelot
from core.catalog import SORT_COLUMNS, sort_key
from models.base import BaseDocument

ANALYSIS_STATUSES = ("pending", "processing", "done", "failed")


class TrackTags(EmbeddedDocument):
    """Tags read from the file (or guessed from its name)."""

    title = StringField()
    artist = StringField()
    album = StringField()
    album_artist = StringField()
    track_no = IntField(null=True)
    year = IntField(null=True)
    genre = StringField()


class Analysis(EmbeddedDocument):
    """Where the track stands in the analysis pipeline."""

    status = StringField(choices=ANALYSIS_STATUSES, default="pending")
    error = StringField(null=True)
    attempts = IntField(default=0)
    queued_at = DateTimeField(null=True)
    started_at = DateTimeField(null=True)
    finished_at = DateTimeField(null=True)
    timings = DictField()
    analyzer_version = StringField()
    # Library analysis generation at which this finished: the index compares
    # integers because $set stores datetimes as strings on the embedded server.
    generation = IntField(null=True)


def title_of(tags: dict | None, path: str) -> str:
    """What a track is called on screen: its title tag, else its file name."""
    return (tags or {}).get("title") or path.rsplit("/", 1)[-1]


class Features(EmbeddedDocument):
    """Scalar audio features; 0-1 scores are absolute, percentiles live in the index."""

    # Tempo: the chosen octave, the beat tracker's own answer, and what chose between them.
    bpm = FloatField()
    bpm_plain = FloatField()
    bpm_confidence = FloatField()
    bpm_octave_confidence = FloatField()
    onset_rate = FloatField()
    tempo_support = ListField(FloatField())
    # Key, written one way everywhere (core.analysis: "A", "minor", Camelot "8A").
    key = StringField(max_length=2)
    scale = StringField(max_length=5)
    camelot = StringField(max_length=3)
    key_strength = FloatField()
    # Loudness and spectral flux, measured; energy and valence derived from them and the tags.
    loud_db = FloatField()
    flux = FloatField()
    loudness_lufs = FloatField()
    energy = FloatField()
    # Estimates that rank but never exclude.
    brightness = FloatField()
    danceability = FloatField()
    dynamic_complexity = FloatField()
    valence = FloatField()


class Track(BaseDocument):
    """One recording. Copies of the same audio share a fingerprint and one track."""

    meta = {
        "collection": "tracks",
        "indexes": [
            {"fields": ["path"], "unique": True},
            "fingerprint",
            "analysis.status",
            "available",
            # The Library's counts by status (one indexed count each: the embedded server
            # counts an index range in milliseconds where a $group reads every track) and its
            # latest failures (equality on status and availability, newest finish first).
            {"fields": ["analysis.status", "available", "-analysis.finished_at"]},
            "tokens",
            "tags.artist",
            # Keyset pagination of the Library, one unique key per sortable column
            # (models/track_browse.py, core/catalog/_browse.py).
            *(f"sort_keys.{column}" for column in SORT_COLUMNS),
        ],
    }

    path = StringField(required=True)
    other_paths = ListField(StringField())
    fingerprint = StringField()
    size = IntField()
    mtime = FloatField()
    tags = EmbeddedDocumentField(TrackTags, default=TrackTags)
    duration = FloatField()
    available = BooleanField(default=True)
    analysis = EmbeddedDocumentField(Analysis, default=Analysis)
    features = EmbeddedDocumentField(Features, null=True)
    tag_scores = DictField()
    embedding_ref = StringField(null=True)
    # Normalised words of title/artist/album/genre: searching uses these
    # instead of regex lookups (docs/data-layer.md, rule 2).
    tokens = ListField(StringField())
    # The same words joined by spaces: $regex on list elements matches nothing
    # on the embedded server, so prefix search runs on this string instead.
    search_text = StringField(default="")
    # Column -> unique sort key (core.catalog.sort_key); rewritten whole with every change.
    sort_keys = DictField()
    # Cover art (models/cover.py): None = not looked for yet, "" = none, else a Cover id.
    cover = StringField(null=True)

    @classmethod
    def status_counts(cls, match: dict | None = None) -> dict[str, int]:
        """Available tracks (those matching the raw ``match`` too) per analysis status,
        plus ``total``.

        Without ``match`` (the Library page, its status API and live progress): one
        ``$count`` per status plus one of every available track, each a range of the
        ``(analysis.status, available, …)`` index, about 35 ms at 100k tracks on the
        embedded server where one ``$group`` over the tracks took 1.5 s. ``pending`` is
        what the others leave of the total, so a track without a status counts as pending,
        as the ``$group`` counted it. With ``match`` (a few folders, ``moodroom library
        scan --wait``): the one ``$group``.
        """
        if match is None:
            return cls._indexed_status_counts()
        pipeline = [
            {"$match": {**match, "available": True}},
            {"$group": {"_id": "$analysis.status", "n": {"$sum": 1}}},
        ]
        counts = {"pending": 0, "processing": 0, "done": 0, "failed": 0}
        for row in cls.objects.aggregate(pipeline):
            status = row["_id"] or "pending"  # no status yet: pending, beside the others
            counts[status] = counts.get(status, 0) + row["n"]
        counts["total"] = sum(counts.values())
        return counts

    @classmethod
    def _indexed_status_counts(cls) -> dict[str, int]:
        def count(match: dict) -> int:
            rows = list(cls.objects.aggregate([{"$match": match}, {"$count": "n"}]))
            return rows[0]["n"] if rows else 0

        total = count({"available": True})
        counts = {status: count({"analysis.status": status, "available": True})
                  for status in ("processing", "done", "failed")}  # fmt: skip
        # Counted one after another while analyses finish: never below zero, and the
        # total always the sum, as the page shows it.
        counts["pending"] = max(0, total - sum(counts.values()))
        counts["total"] = sum(counts.values())
        return {status: counts[status] for status in (*ANALYSIS_STATUSES, "total")}

    @classmethod
    def latest_failures(cls, limit: int = 20) -> list[dict]:
        """The available tracks whose analysis failed most recently, with the reason
        (newest first; one range of the status index)."""
        rows = (
            cls.objects(available=True, analysis__status="failed")
            .order_by("-analysis.finished_at")
            .only("id", "path", "analysis")
            .limit(limit)
        )
        return [{"id": t.id, "path": t.path, "error": t.analysis.error} for t in rows]

    @classmethod
    def display_fields(cls, track_ids: list[str]) -> dict[str, tuple[bool, dict]]:
        """Per known id: whether it is available, and its title, artist, bpm and camelot."""
        # Raw documents: building Track objects took longer than finding them. (Top-level
        # projection only: the embedded server returns dotted projections flattened.)
        query = cls.objects(id__in=track_ids).only("path", "tags", "features", "available")
        found = {}
        for doc in query.as_pymongo():
            tags, f = doc.get("tags") or {}, doc.get("features") or {}
            info = {
                "title": title_of(tags, doc.get("path", "")),
                "artist": tags.get("artist"),
                "bpm": round(f["bpm"]) if f.get("bpm") else None,
                "camelot": f.get("camelot"),
            }
            found[doc["_id"]] = (bool(doc.get("available", True)), info)
        return found

    @classmethod
    def durations(cls, track_ids) -> dict[str, float]:
        """Seconds per known id (0 when unknown)."""
        rows = cls.objects(id__in=list(set(track_ids))).only("duration").as_pymongo()
        return {r["_id"]: r.get("duration") or 0 for r in rows}

    @classmethod
    def available_years(cls, genre: str | None = None) -> dict[str, int | None]:
        """Year tag per available track (of ``genre`` when given)."""
        query = cls.objects(available=True)
        if genre:
            query = query.filter(tags__genre=genre)
        return {
            r["_id"]: (r.get("tags") or {}).get("year")
            for r in query.only("id", "tags").as_pymongo()
        }

    @classmethod
    def available_ids(cls, track_ids: list[str]) -> set[str]:
        """Which of ``track_ids`` are known and available."""
        rows = cls.objects(id__in=track_ids, available=True).only("id").as_pymongo()
        return {r["_id"] for r in rows}

    def clean(self):
        """Keep ``search_text`` and ``sort_keys`` in step with the rest."""
        self.search_text = " ".join(self.tokens)
        if self.id:
            self.sort_keys = sort_keys_of(self)

    @property
    def display_title(self) -> str:
        return title_of({"title": self.tags.title}, self.path)


class TrackVector(BaseDocument):
    """A track's musicnn embedding, kept apart so track listings stay light.

    The primary key is the track id; ``data`` holds little-endian float32s.
    """

    meta = {"collection": "track_vectors", "indexes": ["model"]}

    model = StringField(required=True)
    dim = IntField(required=True)
    data = BinaryField(required=True)


def column_values(track: Track) -> dict:
    """The value each sortable Library column shows for ``track``."""
    f, tags = track.features, track.tags or TrackTags()
    key = None
    if f and f.camelot:
        try:
            number, letter = parse_camelot(f.camelot)
            key = f"{number:02d}{letter}"  # 2A before 10A
        except ValueError:
            key = f.camelot
    return {
        "title": track.display_title, "artist": tags.artist, "album": tags.album,
        "genre": tags.genre, "year": tags.year, "bpm": f.bpm if f else None, "key": key,
        "energy": f.energy if f else None, "brightness": f.brightness if f else None,
        "danceability": f.danceability if f else None,
        "loudness": f.loudness_lufs if f else None, "duration": track.duration,
        "status": track.analysis.status if track.analysis else None,
    }  # fmt: skip


def sort_keys_of(track: Track) -> dict:
    """Every column's unique sort key for ``track``."""
    values = column_values(track)
    shown = track.available is not False
    return {c: sort_key(kind, values[c], track.id, shown) for c, kind in SORT_COLUMNS.items()}
