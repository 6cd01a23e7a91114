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
