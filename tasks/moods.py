"""Mood search in workers: parse the text, then retrieve, rank and order.

``moods.parse_mood`` and ``moods.generate_playlist`` run as a Celery chain;
each reports its stage to the requester's Socket.IO room.
"""

from __future__ import annotations

import threading
import time
from functools import lru_cache

from celery.exceptions import Ignore
from celery.utils.log import get_task_logger

from core import taste as prefs
from core.mood import MiniLMEmbedder, MoodParser, MoodQueryError, MoodSpec
from core.playlist import generate
from core.taste import Feedback, TasteModel
from models import Candidate, GenerationSession, Mood, MoodQuery
from models.base import now_ms, utcnow
from tasks.analysis_progress import analysis_coverage
from tasks.catalog import catalog_cache
from tasks.celery_app import celery
from tasks.emitter import emit_to_user
from tasks.taste import taste_for

log = get_task_logger(__name__)
_parser_lock = threading.Lock()
_parser_state: dict = {}


@lru_cache(maxsize=1)
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder()


def mood_seeds() -> list[dict]:
    """The seeded moods as plain dicts for the parser."""
    return [
        {
            "key": m.key,
            "label": m.label,
            "sentences": list(m.sentences),
            "keywords": list(m.keywords),
            "targets": dict(m.targets),
            "tag_weights": dict(m.tag_weights),
        }
        for m in Mood.objects.order_by("order")
    ]


def get_parser() -> MoodParser:
    """One parser per process, rebuilt when the mood catalogue changes."""
    stamp = (
        Mood.objects.count(),
        str(Mood.objects.order_by("-created_at").first().id) if Mood.objects.count() else "",
    )
    with _parser_lock:
        if _parser_state.get("stamp") != stamp:
            _parser_state["parser"] = MoodParser(mood_seeds(), embedder())
            _parser_state["labels"] = {m.key: m.label for m in Mood.objects.only("key", "label")}
            _parser_state["stamp"] = stamp
        return _parser_state["parser"]


def mood_labels() -> dict[str, str]:
    get_parser()
    return _parser_state["labels"]


_vocabulary: dict = {}


def library_vocabulary() -> dict | None:
    """Artist, genre and album names of the current build (computed once per build)."""
    loaded = catalog_cache().get()
    if loaded is None:
        return None
    catalog = loaded[0]
    if _vocabulary.get("version") != catalog.version:
        _vocabulary.update(version=catalog.version, names=catalog.vocabulary())
    return _vocabulary["names"]


def parse_text(text: str) -> MoodSpec:
    """Parse ``text`` against the seeded moods and the current library's names."""
    return get_parser().parse(text, library=library_vocabulary())


def start_generation(user_id: str, text: str, count: int | None = None, seed: int = 0):
    """Record a mood query and its generation session, and queue parse -> generate.

    The one way a generation starts (the mood page's API and ``flask generate``).
    """
    from celery import chain

    query = MoodQuery(user=user_id, text=text.strip()).save()
    session = GenerationSession(
        user=user_id, mood_query=query, seed=seed, timings={"queued_at": now_ms()}
    ).save()
    chain(
        parse_mood.si(query.id, session.id),
        generate_playlist.si(query.id, session.id, count, seed),
    ).apply_async()
    return session


@celery.task(name="moods.parse_text")
def parse_text_task(text: str) -> dict:
    """Parse free text without storing it; ``{"error": message}`` for a bad query."""
    try:
        return parse_text(text).to_dict()
    except MoodQueryError as exc:
        return {"error": str(exc)}


@celery.task(name="moods.parse_mood", acks_late=True)
def parse_mood(query_id: str, session_id: str | None = None) -> str:
    """Parse a stored ``MoodQuery``; a bad query fails its session with the parser's message."""
    start_ms, clock = now_ms(), time.perf_counter()
    query = MoodQuery.objects.get(id=query_id)
    _stage(session_id, query.user.id, "parsing", status="processing")
    try:
        spec = parse_text(query.text)
    except MoodQueryError as exc:
        _fail(session_id, query.user.id, str(exc))
        raise Ignore() from exc
    except Exception:
        # Anything else must not leave the page waiting on "processing" forever.
        _fail(session_id, query.user.id, "Something went wrong while reading that mood.")
        raise  # recorded; stop the chain without a task error
    query.update(set__parsed=spec.to_dict(), set__model_version=spec.model_version)
    if session_id:  # when each stage ran (epoch ms), for bench.mood_e2e and the page
        GenerationSession.objects(id=session_id).update(
            set__timings__parse_start_at=start_ms,
            set__timings__parse_ms=round((time.perf_counter() - clock) * 1000, 2),
            set__timings__parse_end_at=now_ms(),
        )
    return query_id


@celery.task(name="moods.generate_playlist", acks_late=True)
def generate_playlist(
    query_id: str, session_id: str, count: int | None = None, seed: int = 0
) -> str:
    """Retrieve, rank and order tracks for a parsed query into its ``GenerationSession``."""
    try:
        return _generate(query_id, session_id, count, seed)
    except Exception:
        session = GenerationSession.objects(id=session_id).only("user").first()
        if session is not None:
            _fail(session_id, session.user.id, "Something went wrong while making the playlist.")
        raise


def _generate(query_id: str, session_id: str, count: int | None, seed: int) -> str:
    start_ms, clock = now_ms(), time.perf_counter()
    session = GenerationSession.objects.get(id=session_id)
    user_id = session.user.id
    query = MoodQuery.objects.get(id=query_id)
    loaded = catalog_cache().get()
    if loaded is None:
        from tasks.catalog import rebuild_index

        rebuild_index.apply()
        loaded = catalog_cache().get()
    if loaded is None or not len(loaded[0]):
        _fail(session_id, user_id, "No analysed tracks yet: scan and analyse your library first.")
        return session_id
    catalog, index = loaded
    catalog_ms = round((time.perf_counter() - clock) * 1000, 2)
    _stage(session_id, user_id, "ranking")
    started = time.perf_counter()
    spec = MoodSpec.from_dict(query.parsed)
    # The person's settings hold for every generation: always-excluded genres and tags,
    # and the playlist length when the query names none.
    preferences = session.user.preferences or {}
    spec.constraints = prefs.apply_preferences(
        spec.constraints or {}, preferences, list(catalog.tag_names)
    )
    count = count or prefs.default_count(spec.length, preferences)
    taste, recent = taste_for(user_id, catalog)
    taste_ms = round((time.perf_counter() - started) * 1000, 2)
    result = generate(
        spec, catalog, index, count=count, seed=seed, labels=mood_labels(), recent=recent,
        taste=None if taste.is_empty else taste.score,
        taste_reason=None if taste.is_empty else taste.reason,
    )  # fmt: skip
    by_id = {c.track_id: c for c in result.candidates}
    session.update(
        set__status="completed",
        set__candidates=[
            Candidate(track_id=c.track_id, score=c.score, parts=c.parts, reason=c.reason)
            for c in by_id.values()
        ],
        set__ordering=result.ordering,
        set__algorithms={
            **result.algorithms,
            "parser": spec.model_version,
            "catalog": catalog.version,
        },
        set__timings={
            **(session.timings or {}),
            **result.timings,
            "total_ms": round((time.perf_counter() - started) * 1000, 2),
            "catalog_ms": catalog_ms,
            "taste_ms": taste_ms,
            "generate_start_at": start_ms,
            "generate_end_at": now_ms(),
        },
        set__stats={**result.stats, "library": analysis_coverage(len(catalog))},
        set__finished_at=utcnow(),
    )
    _stage(session_id, user_id, "completed", status="completed")
    return session_id


def _stage(session_id: str | None, user_id: str, stage: str, status: str | None = None) -> None:
    if session_id and status:
        GenerationSession.objects(id=session_id).update(set__status=status)
    emit_to_user(
        user_id,
        "generation",
        {"session": session_id, "stage": stage, "status": status or "processing"},
    )


def _fail(session_id: str | None, user_id: str, message: str) -> None:
    if session_id:
        GenerationSession.objects(id=session_id).update(
            set__status="failed", set__error=message, set__finished_at=utcnow()
        )
    emit_to_user(
        user_id,
        "generation",
        {"session": session_id, "stage": "failed", "status": "failed", "error": message},
    )


def warm_up() -> None:
    """What the first mood query would otherwise load or touch first: the model, the parser,
    the index build, and one run of taste learning and generation over the catalog."""
    started = time.perf_counter()
    try:
        spec = get_parser().parse("calm warm evening music", library=library_vocabulary())
        loaded = catalog_cache().get()
        if loaded is not None and len(loaded[0]):
            catalog, index = loaded
            first = Feedback(track_id=catalog.ids[0], event="like", at=time.time())
            taste = TasteModel.learn([first], catalog, now=time.time())
            generate(spec, catalog, index, count=10, taste=taste.score, labels=mood_labels())
    except Exception as exc:  # an empty database, nothing built yet: fine
        log.info("warm-up incomplete: %s", exc)
        return
    log.info("warm-up done in %.1f s", time.perf_counter() - started)
