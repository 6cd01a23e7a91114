"""A blend run: one use case, called by the blends pages and by recomputes after someone
leaves. Learns each accepted member's taste, mixes them, words each track's "for whom",
and records the run with its own playlist (earlier runs stay as they were)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from mongoengine import NotUniqueError

from core.taste import blend as mix
from core.taste import excluded_rows, taste_match
from models import Blend, BlendRun, Collaborator, Playlist
from tasks.taste import person_taste

RUN_ATTEMPTS = 5


class BlendRunRefused(Exception):
    """The run cannot be made now; the message says why, for the person who asked."""


@dataclass
class BlendRunMade:
    run: int
    playlist: Playlist
    items: list[dict]  # track_id, source (member id), reason
    names: dict[str, str]  # member id -> display name
    matches: dict[tuple[str, str], float]  # taste match per pair of members, percent
    overall: float | None


def run_blend(blend: Blend, catalog, viewer: str | None) -> BlendRunMade:
    """Mix ``blend``'s accepted members into a new run; reasons are worded for ``viewer``."""
    if catalog is None or not len(catalog):
        raise BlendRunRefused("No analysed tracks yet: scan and analyse your library first.")
    members = blend.accepted()  # a pending person's taste is never used
    tastes, known = {}, {}
    for member in members:
        tastes[member.user.id], events = person_taste(member.user.id, catalog)
        known[member.user.id] = {e.track_id for e in events}
    run_no = next_run(blend)
    # What any member never wants (their settings) stays out of the blend.
    excluded = np.zeros(len(catalog), dtype=bool)
    for member in members:
        excluded |= excluded_rows(catalog, member.user.preferences or {})
    items = mix([(m.user.id, tastes[m.user.id], m.weight) for m in members], catalog,
                blend.count, algorithm=blend.algorithm, known=known, seed=run_no,
                excluded=excluded)  # fmt: skip
    names = {m.user.id: m.user.display_name for m in members}
    for item in items:
        why = item["reason"].split(": ", 1)[-1]
        if item["source"] != viewer and "liked" in why:
            why = "close to their taste"  # never reveal what someone else liked
        item["reason"] = f"for {names.get(item['source'], 'someone')}: {why}"
    matches = {(a, b): round(taste_match(tastes[a], tastes[b], catalog), 1)
               for a, b in itertools.combinations(tastes, 2)}  # fmt: skip
    overall = round(sum(matches.values()) / len(matches), 1) if matches else None
    playlist = Playlist.with_tracks(
        [i["track_id"] for i in items], [i["source"] for i in items],
        [i["reason"] for i in items],
        owner=blend.owner, name=f"{blend.name} #{run_no}" if run_no > 1 else blend.name,
        description=f"A {blend.algorithm} blend of {len(members)} people",
        collaborators=[Collaborator(user=m.user, role="editor") for m in members
                       if m.user.id != blend.owner.id],
    )  # fmt: skip
    run_no = _record(blend, run_no, playlist, items)
    blend.update(set__match=overall)
    return BlendRunMade(run_no, playlist, items, names, matches, overall)


def next_run(blend: Blend) -> int:
    last = BlendRun.objects(blend=blend).order_by("-run").only("run").first()
    return (last.run if last else 0) + 1


def _record(blend: Blend, run_no: int, playlist: Playlist, items: list[dict]) -> int:
    for _ in range(RUN_ATTEMPTS):  # two regenerations at once both chose the next number
        try:
            BlendRun(blend=blend, run=run_no, playlist=playlist,
                     track_ids=[i["track_id"] for i in items],
                     sources=[i["source"] for i in items],
                     reasons=[i["reason"] for i in items]).save(force_insert=True)  # fmt: skip
            return run_no
        except NotUniqueError:
            run_no = next_run(blend)
            playlist.update(set__name=f"{blend.name} #{run_no}")
    Playlist.delete_with_history(playlist.id)
    raise BlendRunRefused("Others are regenerating this blend right now; try again.")
