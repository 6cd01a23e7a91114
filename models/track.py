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


class Features(EmbeddedDocument):
    """Scalar audio features; 0-1 scores are absolute, percentiles live in the index."""

    bpm = FloatField()
    bpm_plain = FloatField()  # the beat tracker's own tempo, before the octave check
    bpm_confidence = FloatField()
    bpm_octave_confidence = FloatField()
    onset_rate = FloatField()
    tempo_support = ListField(FloatField())
    loud_db = FloatField()
    flux = FloatField()
    key = StringField()
    scale = StringField()
    camelot = StringField()
    key_strength = FloatField()
    loudness_lufs = FloatField()
    energy = FloatField()
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
            "tokens",
            "tags.artist",
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
    # instead of regex lookups (DESIGN.md section 1, rule 2).
    tokens = ListField(StringField())
    # The same words joined by spaces: $regex on list elements matches nothing
    # on the embedded server, so prefix search runs on this string instead.
    search_text = StringField(default="")

    def clean(self):
        """Keep ``search_text`` in step with ``tokens``."""
        self.search_text = " ".join(self.tokens)

    @property
    def display_title(self) -> str:
        return self.tags.title or self.path.rsplit("/", 1)[-1]


class TrackVector(BaseDocument):
    """A track's musicnn embedding, kept apart so track listings stay light.

    The primary key is the track id; ``data`` holds little-endian float32s.
    """

    meta = {"collection": "track_vectors", "indexes": ["model"]}

    model = StringField(required=True)
    dim = IntField(required=True)
    data = BinaryField(required=True)
