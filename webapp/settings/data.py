"""A person's own data: export it as JSON, or delete the account without leaving dangling links.

Joins happen in Python (``in_bulk``, ``__in``); embedded lists (collaborators, blend
members) are replaced whole.
"""

from __future__ import annotations

from models import (
    AccountToken,
    Blend,
    BlendRun,
    Collaborator,
    FeedbackEvent,
    GenerationSession,
    MoodQuery,
    Playlist,
    PlaylistEntry,
    PlaylistOp,
    Track,
    TrackCorrection,
    User,
    UserLibrary,
)
from webapp.signals import blends_changed

HANDOVER_ORDER = ("admin", "editor", "viewer")


def export_account(user_id: str) -> dict:
    """Profile, playlists (own and shared with me), feedback, blends and mood queries."""
    me = User.objects.get(id=user_id)
    owned = list(Playlist.objects(owner=user_id))
    shared = list(Playlist.objects(collaborators__user=user_id))
    entries = list(PlaylistEntry.objects(playlist__in=[p.id for p in owned]).order_by("order_key"))
    events = list(FeedbackEvent.objects(user=user_id).order_by("created_at"))
    track_ids = {e.track.id for e in entries} | {e.track.id for e in events}
    tracks = Track.objects.in_bulk(list(track_ids))

    def track(track_id):
        t = tracks.get(track_id)
        return {"id": track_id, "title": t.display_title if t else None,
                "artist": t.tags.artist if t else None}  # fmt: skip

    by_playlist: dict[str, list] = {}
    for entry in entries:
        by_playlist.setdefault(entry.playlist.id, []).append(track(entry.track.id))
    blends = Blend.objects(members__user=user_id)
    return {
        "profile": {"username": me.username, "display_name": me.display_name, "email": me.email,
                    "preferences": me.preferences or {}, "created_at": me.created_at},
        "playlists": [{"id": p.id, "name": p.name, "description": p.description,
                       "public": p.public, "tracks": by_playlist.get(p.id, [])} for p in owned],
        "shared_with_me": [{"id": p.id, "name": p.name, "role": p.role_of(user_id)}
                           for p in shared],
        "feedback": [{"event": e.event, "at": e.created_at, "track": track(e.track.id),
                      "playlist": e.playlist.id if e.playlist else None} for e in events],
        "blends": [{"id": b.id, "name": b.name, "owner": b.owner.id == user_id,
                    "status": b.member(user_id).status, "algorithm": b.algorithm}
                   for b in blends],
        "mood_queries": [{"text": q.text, "at": q.created_at}
                         for q in MoodQuery.objects(user=user_id).order_by("created_at")],
    }  # fmt: skip


def delete_account(user: User) -> dict:
    """Delete ``user`` and everything only they had; hand shared things on. Returns counts."""
    uid = user.id
    report = {"playlists_handed_over": 0, "playlists_deleted": 0, "blends_changed": 0}
    gone_playlists = []
    for playlist in Playlist.objects(owner=uid):
        heir = _heir(playlist)
        if heir is None:
            gone_playlists.append(playlist.id)
            continue
        rest = [c for c in playlist.collaborators if c.user.id != heir.id]
        playlist.update(set__owner=heir, set__collaborators=rest, inc__version=1)
        report["playlists_handed_over"] += 1
    for playlist in Playlist.objects(collaborators__user=uid):
        rest = [Collaborator(user=c.user, role=c.role) for c in playlist.collaborators
                if c.user.id != uid]  # fmt: skip
        playlist.update(set__collaborators=rest, inc__version=1)
    if gone_playlists:
        runs = BlendRun.objects(playlist__in=gone_playlists)
        runs.delete()
        PlaylistEntry.objects(playlist__in=gone_playlists).delete()
        PlaylistOp.objects(playlist__in=gone_playlists).delete()
        Playlist.objects(id__in=gone_playlists).delete()
        report["playlists_deleted"] = len(gone_playlists)
    # What stays in shared playlists keeps its content, no longer its author.
    PlaylistEntry.objects(added_by=uid).update(set__added_by=None)
    PlaylistOp.objects(user=uid).update(set__user=None)
    report["blends_changed"] = len(_leave_blends(uid))
    sessions = [s.id for s in GenerationSession.objects(user=uid).only("id")]
    Playlist.objects(source_session__in=sessions).update(set__source_session=None)
    GenerationSession.objects(user=uid).delete()
    MoodQuery.objects(user=uid).delete()
    FeedbackEvent.objects(user=uid).delete()
    UserLibrary.objects(user=uid).delete()
    AccountToken.objects(user=uid).delete()
    AccountToken.objects(created_by=uid).update(set__created_by=None)
    AccountToken.objects(used_by=uid).update(set__used_by=None)
    TrackCorrection.objects(by=uid).update(set__by=None)  # corrections stay, unsigned
    User.objects(id=uid).delete()
    return report


def _heir(playlist: Playlist):
    for role in HANDOVER_ORDER:
        for collaborator in playlist.collaborators:
            if collaborator.role == role:
                return collaborator.user
    return None


def _leave_blends(uid: str) -> list[str]:
    """Take ``uid`` out of every blend (owned ones pass to an accepted member or go)."""
    changed = []
    for blend in Blend.objects(members__user=uid):
        others = [m for m in blend.members if m.user.id != uid]
        accepted = [m for m in others if m.status == "accepted"]
        if blend.owner.id == uid and not accepted:
            BlendRun.objects(blend=blend.id).delete()
            blend.delete()
            continue
        owner = accepted[0].user if blend.owner.id == uid else blend.owner
        blend.update(set__members=others, set__owner=owner, inc__version=1)
        changed.append(blend.id)
    # Earlier runs keep their tracks; the person is no longer named as a source.
    for run in BlendRun.objects(sources=uid):
        run.update(set__sources=[None if s == uid else s for s in run.sources])
    if changed:
        blends_changed.send(None, blend_ids=changed)
    return changed
