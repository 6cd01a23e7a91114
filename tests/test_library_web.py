"""The Library page, scan button and status API."""

from __future__ import annotations

from models import Track
from models.track import Analysis, Features, TrackTags


def add_track(path: str, status: str = "done", **features) -> Track:
    return Track(
        path=path,
        tags=TrackTags(title=path.rsplit("/", 1)[-1], artist="Band"),
        analysis=Analysis(
            status=status, error="not decodable audio: boom" if status == "failed" else None
        ),
        features=Features(bpm=120, key="A", scale="minor", camelot="8A", energy=0.5, **features)
        if status == "done"
        else None,
    ).save()


def test_library_needs_sign_in(client):
    response = client.get("/library")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.get("/api/library/status").status_code == 401


def test_status_api_counts_and_lists_failures(client, make_user, login):
    make_user()
    login()
    add_track("/m/a.ogg")
    add_track("/m/b.ogg", status="failed")
    add_track("/m/c.ogg", status="pending")
    body = client.get("/api/library/status").get_json()
    assert body["counts"] == {"pending": 1, "processing": 0, "done": 1, "failed": 1, "total": 3}
    assert body["failures"] == [
        {"id": body["failures"][0]["id"], "path": "/m/b.ogg", "error": "not decodable audio: boom"}
    ]


def test_page_shows_tracks_sorted_and_escapes_text(client, make_user, login):
    make_user()
    login()
    add_track("/m/<img src=x onerror=alert(1)>.ogg")
    add_track("/m/b.ogg", danceability=0.9)
    page = client.get("/library?sort=title&dir=desc").get_data(as_text=True)
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.ogg" in page
    assert page.index("&lt;img") > page.index("b.ogg")  # "b" > "<": first going down
    ascending = client.get("/library?sort=title&dir=asc").get_data(as_text=True)
    assert ascending.index("&lt;img") < ascending.index("b.ogg")
    assert 'aria-sort="descending"' in page
    assert client.get("/library?sort=nonsense&page=-4").status_code == 200


def test_empty_library_has_a_helpful_empty_state(client, make_user, login):
    make_user(is_admin=True)
    login()
    page = client.get("/library").get_data(as_text=True)
    assert "No tracks yet." in page and "Scan now" in page


def test_only_admins_can_scan(client, make_user, login):
    make_user("bob")
    login("bob")
    assert client.post("/library/scan", data={"root": 0}).status_code == 403


def test_scan_rejects_roots_that_are_not_configured(client, make_user, login):
    make_user(is_admin=True)
    login()
    response = client.post("/library/scan", data={"root": 7}, follow_redirects=True)
    assert "Choose one of the configured library folders." in response.get_data(as_text=True)


def test_status_counts_by_index_match_one_group_over_every_track(client):
    """The Library's indexed counts give what one $group over the tracks gives, after the
    updates analysis and scans make (unavailable tracks and a track without a status too)."""
    for i, status in enumerate(["done"] * 4 + ["failed"] * 2 + ["pending"] * 3 + ["processing"]):
        add_track(f"/m/{i}.ogg", status=status)
    Track.objects(path="/m/0.ogg").update(set__available=False)
    Track.objects(path="/m/6.ogg").update(set__analysis__status="processing")
    Track.objects(path="/m/7.ogg").update(set__analysis__status="done")
    no_status = add_track("/m/none.ogg", status="pending")
    Track._get_collection().update_one({"_id": no_status.id}, {"$unset": {"analysis.status": ""}})
    grouped = Track.status_counts({})  # a match: the $group
    assert Track.status_counts() == grouped
    assert grouped == {"pending": 2, "processing": 2, "done": 4, "failed": 2, "total": 10}
    assert list(Track.status_counts()) == ["pending", "processing", "done", "failed", "total"]


def test_latest_failures_newest_first_as_analysis_writes_them(client):
    from datetime import timedelta

    from models.base import utcnow

    now = utcnow()
    for i, minutes in enumerate([5, 1, 9, 3]):
        track = add_track(f"/m/f{i}.ogg", status="failed")
        # As tasks/analysis.py writes it: a $set (text on the embedded server).
        Track.objects(id=track.id).update(
            set__analysis__finished_at=now - timedelta(minutes=minutes)
        )
    Track.objects(path="/m/f1.ogg").update(set__available=False)
    add_track("/m/ok.ogg")
    paths = [f["path"] for f in Track.latest_failures()]
    assert paths == ["/m/f3.ogg", "/m/f0.ogg", "/m/f2.ogg"]
    assert [f["path"] for f in Track.latest_failures(limit=2)] == paths[:2]
