"""Blends: choose people and weights, get one playlist that is fair to all of them."""

from __future__ import annotations

import contextlib
from functools import wraps

from flask import Blueprint, abort, jsonify, render_template, url_for
from flask_login import current_user, login_required

from models import Blend, BlendMember, BlendRun, User
from models.blend import BLEND_ALGORITHMS
from tasks.blends import BlendRunRefused, run_blend
from webapp.catalog import catalog_cache
from webapp.schemas.limits import MAX_MEMBERS
from webapp.schemas.sharing import BlendInvite, BlendLeft, BlendRequest, BlendRunMade, BlendState
from webapp.signals import blends_changed
from webapp.validation import body, response

bp = Blueprint("blends", __name__)


@bp.get("/blends")
@login_required
def page():
    """My blends and a form to start one."""
    blends = list(Blend.objects(members__user=current_user.id).order_by("-created_at"))
    invitations = [b for b in blends if b.member(current_user.id).status == "pending"]
    joined = [b for b in blends if b.member(current_user.id).status == "accepted"]
    people = User.objects(disabled__ne=True).order_by("username_key").only("id", "display_name")
    latest = {}  # blend id -> (run, playlist id) of its newest run
    runs = BlendRun.objects(blend__in=[b.id for b in joined]).no_dereference()
    for run in runs.only("blend", "run", "playlist"):
        if run.run >= latest.get(run.blend.id, (-1, None))[0]:
            latest[run.blend.id] = (run.run, run.playlist.id)
    return render_template("blends/page.html", blends=joined, invitations=invitations,
                           people=people, algorithms=BLEND_ALGORITHMS,
                           latest={b: p for b, (_, p) in latest.items()})  # fmt: skip


@bp.post("/api/blends")
@login_required
@body(BlendRequest)
@response(BlendState, 201, "The blend, waiting for invitations", errors=(404, 409))
def create(wanted: dict):
    """Blend 2-10 people's taste into one playlist.

    The caller is always a member and accepted; the others are invited and only count once
    they accept (`pending` names them).
    """
    weights: dict[str, float] = {current_user.id: 1.0}
    weights.update({m["user_id"]: m["weight"] for m in wanted["members"]})
    if not 2 <= len(weights) <= MAX_MEMBERS:
        abort(400, description=f"A blend mixes 2 to {MAX_MEMBERS} people (you included).")
    found = {u.id for u in User.objects(id__in=list(weights), disabled__ne=True).only("id")}
    if found != set(weights):
        abort(404, description="Some of those people do not exist.")
    name = (wanted["name"] or "").strip() or "Blend"
    # Only the creator is in at once: the others are invited and count once they accept.
    blend = Blend(owner=current_user.id, name=name, algorithm=wanted["algorithm"],
                  count=wanted["count"], members=[
                      BlendMember(user=u, weight=w,
                                  status="accepted" if u == current_user.id else "pending")
                      for u, w in weights.items()]).save()  # fmt: skip
    return jsonify(_describe(blend)), 201


@bp.get("/api/blends/<blend_id>")
@login_required
@response(BlendState, description="Members and their status", errors=(404,))
def show(blend_id: str):
    """Members with their status (pending or accepted), for anyone invited to the blend."""
    return jsonify(_describe(_mine(blend_id)))


@bp.post("/api/blends/<blend_id>/accept")
@login_required
@response(BlendState, errors=(404,))
def accept(blend_id: str):
    """Accept an invitation: from now on, my taste is part of this blend."""
    blend = _mine(blend_id)

    def join(members):
        return [_with_status(m, "accepted") if m.user.id == current_user.id else m
                for m in members]  # fmt: skip

    blend.change_members(join)
    return jsonify(_describe(blend))


@bp.post("/api/blends/<blend_id>/leave")
@login_required
@response(BlendLeft, description="Left", errors=(404, 409))
def leave(blend_id: str):
    """Decline an invitation or leave a blend; earlier runs' playlists stay as they were."""
    blend = _mine(blend_id)
    if blend.owner.id == current_user.id:
        abort(409, description="You made this blend: it cannot go on without you.")
    blend.change_members(lambda members: [m for m in members if m.user.id != current_user.id])
    return jsonify({"blend": blend.id, "left": True})


def _mine_before_the_body(view):
    """Look the blend up (``_mine``) before ``@body`` reads the request: a stranger gets the
    404, whatever they send."""

    @wraps(view)
    def found(*args, blend_id: str, **kwargs):
        return view(*args, blend=_mine(blend_id), **kwargs)

    return found


@bp.post("/api/blends/<blend_id>/invite")
@login_required
@_mine_before_the_body
@body(BlendInvite)
@response(BlendState, errors=(403, 404, 409))
def invite(invited: dict, blend: Blend):
    """The owner invites more people (pending until they accept)."""
    if blend.owner.id != current_user.id:
        abort(403, description="Only the person who made the blend invites people.")
    ids = invited["user_ids"]
    found = {u.id for u in User.objects(id__in=ids, disabled__ne=True).only("id")}
    if found != set(ids):
        abort(404, description="Some of those people do not exist.")

    def add(members):
        known = {m.user.id for m in members}
        new = [BlendMember(user=i, status="pending") for i in dict.fromkeys(ids) if i not in known]
        return members + new if len(members) + len(new) <= MAX_MEMBERS else None

    if not blend.change_members(add):
        abort(409, description=f"A blend mixes at most {MAX_MEMBERS} people.")
    return jsonify(_describe(blend))


@bp.post("/api/blends/<blend_id>/regenerate")
@login_required
@response(BlendRunMade, 201, "The new run", errors=(404, 409))
def regenerate(blend_id: str):
    """A new run of the blend (earlier runs and their playlists stay as they were).

    Mixes the members who accepted; 409 until two people have.
    """
    blend = _mine(blend_id)
    me = blend.member(current_user.id)
    if me.status != "accepted":
        abort(409, description="Accept the invitation first.")
    if len(blend.accepted()) < 2:
        waiting = ", ".join(m.user.display_name for m in blend.pending()) or "nobody"
        abort(
            409, description=f"A blend needs two people who accepted; still waiting for {waiting}."
        )
    return _run(blend)


def _mine(blend_id: str) -> Blend:
    """The blend if I am in it (invited or accepted), else 404."""
    blend = Blend.objects(id=blend_id, members__user=current_user.id).first()
    if blend is None:
        abort(404)
    return blend


def _with_status(member: BlendMember, status: str) -> BlendMember:
    return BlendMember(user=member.user, weight=member.weight, status=status)


def _describe(blend: Blend) -> dict:
    people = User.objects.in_bulk([m.user.id for m in blend.members])
    members = [{"user_id": m.user.id, "name": people[m.user.id].display_name if m.user.id in
                people else "someone", "weight": m.weight, "status": m.status}
               for m in blend.members]  # fmt: skip
    return {"blend": blend.id, "name": blend.name, "owner": blend.owner.id,
            "algorithm": blend.algorithm, "count": blend.count, "members": members,
            "pending": [m["name"] for m in members if m["status"] == "pending"],
            "ready": sum(m["status"] == "accepted" for m in members) >= 2}  # fmt: skip


@blends_changed.connect
def _recompute(_sender, blend_ids: list[str], **_extra) -> None:
    """A new run, without the person who left, of each changed blend that can still run."""
    for blend in Blend.objects(id__in=blend_ids):
        if len(blend.accepted()) >= 2:
            # No catalog, or a run racing this one: the blend keeps its last run.
            with contextlib.suppress(BlendRunRefused):
                run_blend(blend, _catalog(), viewer=None)


def _catalog():
    loaded = catalog_cache().get()
    return loaded[0] if loaded else None


def _run(blend: Blend):
    try:
        made = run_blend(blend, _catalog(), viewer=current_user.id)
    except BlendRunRefused as exc:
        abort(409, description=str(exc))
    names = made.names
    shares = {names[u]: sum(1 for i in made.items if i["source"] == u) for u in names}
    return jsonify({
        "blend": blend.id, "run": made.run, "playlist": made.playlist.id,
        "url": url_for("rooms.room", playlist_id=made.playlist.id), "match": made.overall,
        "pairs": {f"{names[a]} & {names[b]}": m for (a, b), m in made.matches.items()},
        "shares": shares, "tracks": len(made.items),
        "pending": [m.user.display_name for m in blend.pending()],
    }), 201  # fmt: skip
