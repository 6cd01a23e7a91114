"""Blends: choose people and weights, get one playlist that is fair to all of them."""

from __future__ import annotations

import itertools
import time

from flask import Blueprint, abort, jsonify, render_template, request, url_for
from flask_login import current_user, login_required
from mongoengine import NotUniqueError

from core.blend import blend as mix
from core.blend import taste_match
from core.orderkeys import keys_between
from core.taste import TasteModel
from models import Blend, BlendMember, BlendRun, Collaborator, Playlist, PlaylistEntry, User
from models.blend import BLEND_ALGORITHMS
from models.feedback import taste_events
from webapp.search.routes import catalog_cache

bp = Blueprint("blends", __name__)
MAX_MEMBERS = 10


@bp.get("/blends")
@login_required
def page():
    """My blends and a form to start one."""
    blends = list(Blend.objects(members__user=current_user.id).order_by("-created_at"))
    people = User.objects(disabled__ne=True).order_by("username_key").only("id", "display_name")
    latest = {}  # blend id -> (run, playlist id) of its newest run
    runs = BlendRun.objects(blend__in=[b.id for b in blends]).no_dereference()
    for run in runs.only("blend", "run", "playlist"):
        if run.run >= latest.get(run.blend.id, (-1, None))[0]:
            latest[run.blend.id] = (run.run, run.playlist.id)
    return render_template("blends/page.html", blends=blends, people=people,
                           algorithms=BLEND_ALGORITHMS,
                           latest={b: p for b, (_, p) in latest.items()})  # fmt: skip


@bp.post("/api/blends")
@login_required
def create():
    """``{name, members: [{user_id, weight}], algorithm, count}``; the creator is always in it."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _error("Send a JSON object.")
    members = body.get("members")
    if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
        return _error("'members' must be a list of {user_id, weight}.")
    weights: dict[str, float] = {current_user.id: 1.0}
    for member in members:
        user_id, weight = member.get("user_id"), member.get("weight", 1.0)
        if (
            not isinstance(user_id, str)
            or not isinstance(weight, int | float)
            or isinstance(weight, bool)
            or not 0.05 <= weight <= 10
        ):
            return _error("Each member needs a 'user_id' and a 'weight' from 0.05 to 10.")
        weights[user_id] = float(weight)
    if not 2 <= len(weights) <= MAX_MEMBERS:
        return _error(f"A blend mixes 2 to {MAX_MEMBERS} people (you included).")
    found = {u.id for u in User.objects(id__in=list(weights), disabled__ne=True).only("id")}
    if found != set(weights):
        return _error("Some of those people do not exist.", 404)
    algorithm = body.get("algorithm", "balanced")
    if algorithm not in BLEND_ALGORITHMS:
        return _error(f"'algorithm' must be one of {', '.join(BLEND_ALGORITHMS)}.")
    count = body.get("count", 20)
    if not isinstance(count, int) or isinstance(count, bool) or not 2 <= count <= 100:
        return _error("'count' must be a whole number from 2 to 100.")
    name = body.get("name") or "Blend"
    if not isinstance(name, str) or len(name) > 120:
        return _error("'name' must be text of at most 120 characters.")
    blend = Blend(owner=current_user.id, name=name.strip() or "Blend", algorithm=algorithm,
                  count=count, members=[BlendMember(user=u, weight=w)
                                        for u, w in weights.items()]).save()  # fmt: skip
    return _run(blend)


@bp.post("/api/blends/<blend_id>/regenerate")
@login_required
def regenerate(blend_id: str):
    """A new run of the blend (earlier runs and their playlists stay as they were)."""
    blend = Blend.objects(id=blend_id, members__user=current_user.id).first()
    if blend is None:
        abort(404)
    return _run(blend)


RUN_ATTEMPTS = 5


def _run(blend: Blend):
    loaded = catalog_cache().get()
    if loaded is None or not len(loaded[0]):
        return _error("No analysed tracks yet: scan and analyse your library first.", 409)
    catalog = loaded[0]
    now = time.time()
    tastes, known = {}, {}
    for member in blend.members:
        events = taste_events(member.user.id)
        tastes[member.user.id] = TasteModel.learn(events, catalog, now=now)
        known[member.user.id] = {e.track_id for e in events}
    run_no = _next_run(blend)
    items = mix([(m.user.id, tastes[m.user.id], m.weight) for m in blend.members], catalog,
                blend.count, algorithm=blend.algorithm, known=known, seed=run_no)  # fmt: skip
    names = {m.user.id: m.user.display_name for m in blend.members}
    for item in items:
        why = item["reason"].split(": ", 1)[-1]
        if item["source"] != current_user.id and "liked" in why:
            why = "close to their taste"  # never reveal what someone else liked
        item["reason"] = f"for {names.get(item['source'], 'someone')}: {why}"
    pairs = list(itertools.combinations(tastes, 2))
    matches = {f"{a}:{b}": round(taste_match(tastes[a], tastes[b], catalog), 1) for a, b in pairs}
    overall = round(sum(matches.values()) / len(matches), 1) if matches else None
    playlist = Playlist(
        owner=blend.owner, name=f"{blend.name} #{run_no}" if run_no > 1 else blend.name,
        description=f"A {blend.algorithm} blend of {len(blend.members)} people",
        collaborators=[Collaborator(user=m.user, role="editor") for m in blend.members
                       if m.user.id != blend.owner.id],
    ).save()  # fmt: skip
    if items:
        keys = keys_between(None, None, len(items))
        entries = [
            PlaylistEntry(playlist=playlist, track=item["track_id"], order_key=key,
                          added_by=item["source"], reason=item["reason"])
            for item, key in zip(items, keys, strict=True)
        ]  # fmt: skip
        PlaylistEntry.objects.insert(entries, load_bulk=False)
    for _ in range(RUN_ATTEMPTS):  # two regenerations at once both chose the next number
        try:
            BlendRun(blend=blend, run=run_no, playlist=playlist,
                     track_ids=[i["track_id"] for i in items],
                     sources=[i["source"] for i in items],
                     reasons=[i["reason"] for i in items]).save(force_insert=True)  # fmt: skip
            break
        except NotUniqueError:
            run_no = _next_run(blend)
            playlist.update(set__name=f"{blend.name} #{run_no}")
    else:
        PlaylistEntry.objects(playlist=playlist).delete()
        playlist.delete()
        return _error("Others are regenerating this blend right now; try again.", 409)
    blend.update(set__match=overall)
    shares = {names[u]: sum(1 for i in items if i["source"] == u) for u in names}
    return jsonify({
        "blend": blend.id, "run": run_no, "playlist": playlist.id,
        "url": url_for("rooms.room", playlist_id=playlist.id), "match": overall,
        "pairs": {f"{names[a]} & {names[b]}": matches[f"{a}:{b}"] for a, b in pairs},
        "shares": shares, "tracks": len(items),
    }), 201  # fmt: skip


def _next_run(blend: Blend) -> int:
    last = BlendRun.objects(blend=blend).order_by("-run").only("run").first()
    return (last.run if last else 0) + 1


def _error(message: str, status: int = 400):
    return jsonify({"error": message}), status
