"""Library browsing: keyset pages in every column's order, filters, search, artist and album
pages (real database; the search index comes from a real catalog build)."""

from __future__ import annotations

import html
import re

import pytest

from core.catalog import SORT_COLUMNS, WordIndex, sort_key, words
from models import Track
from models.track import Analysis, TrackTags, sort_keys_of
from models.track_browse import fill_missing_sort_keys, refresh_sort_keys
from tests.factories import add_analysed_tracks


def test_sort_keys_order_values_then_ids_and_put_missing_last():
    numbers = [sort_key("number", v, i) for v, i in [(-14.5, "b"), (-3.0, "a"), (120, "c"),
                                                     (120, "d"), (None, "e")]]  # fmt: skip
    assert numbers == sorted(numbers)
    texts = [sort_key("text", v, i) for v, i in [("abc", "z"), ("ABC", "zz"), ("abcd", "a"),
                                                 ("b", "a"), ("", "a")]]  # fmt: skip
    assert texts == sorted(texts)


def test_word_index_matches_every_word_as_a_prefix_and_ranks_by_order():
    titles = ["Blue in Green", "Blue Train", "So What", "a blue note"]
    artists = ["Miles Davis", "Coltrane", "Miles Davis", "Davis"]
    index = WordIndex([words(t, a) for t, a in zip(titles, artists, strict=True)], order=titles)

    def found(query, limit=None):
        total, rows = index.search(query, limit)
        return total, rows.tolist()

    assert found("blu") == (3, [3, 0, 1])  # by title: "a blue note" first
    assert found("blu", limit=2) == (3, [3, 0])
    assert found("MIL blue") == (1, [0])
    assert found("mil davis wh") == (1, [2])
    assert found("nothing") == (0, []) and found("  ") == (0, [])


def walk(client, url: str, link_id: str) -> list[list[str]]:
    """Follow ``link_id`` links from ``url``; the track ids of each page."""
    pages = []
    while url:
        body = client.get(url).get_data(as_text=True)
        pages.append(re.findall(r'<tr data-track="([^"]+)"', body))
        found = re.search(rf'id="{link_id}" href="([^"]+)"', body)
        url = html.unescape(found[1]) if found else None
        assert len(pages) < 20
    return pages


@pytest.fixture
def library(app, make_user, login):
    make_user()
    login()
    tracks = add_analysed_tracks(120, seed=3)
    # Two tracks without features (not analysed yet) and one sharing another's tempo.
    for i, path in enumerate(("/m/pending one.ogg", "/m/pending two.ogg")):
        Track(path=path, tags=TrackTags(title=f"zz pending {i}"),
              analysis=Analysis(status="pending")).save()  # fmt: skip
    Track.objects(id=tracks[5].id).update(set__features__bpm=tracks[6].features.bpm)
    refresh_sort_keys([tracks[5].id])
    return tracks


@pytest.mark.parametrize("column", sorted(SORT_COLUMNS))
def test_keyset_pages_cover_every_track_once_in_order_both_ways(client, library, column):
    forward = walk(client, f"/library?sort={column}", "next-page")
    ids = [i for page in forward for i in page]
    everything = {t.id: t for t in Track.objects}
    assert len(ids) == len(set(ids)) == len(everything) == 122
    keys = [everything[i].sort_keys[column] for i in ids]
    assert keys == sorted(keys)
    assert [len(p) for p in forward] == [50, 50, 22]
    # Back from the last page with "Previous": the same pages, in reverse.
    last_page = client.get(f"/library?sort={column}&after={keys[99]}").get_data(as_text=True)
    assert 'id="next-page"' not in last_page
    backward = walk(client, f"/library?sort={column}&after={keys[99]}", "prev-page")
    assert backward == forward[::-1]


def test_descending_order_and_missing_values(client, library):
    pages = walk(client, "/library?sort=bpm&dir=desc", "next-page")
    ids = [i for page in pages for i in page]
    bpm = {t.id: (t.features.bpm if t.features else None) for t in Track.objects}
    present = [bpm[i] for i in ids if bpm[i] is not None]
    assert present == sorted(present, reverse=True)
    assert [bpm[i] for i in ids[:2]] == [None, None]  # missing sorts last going up, first down


def test_filters_narrow_the_table(client, library):
    def shown(query):
        return {i for page in walk(client, f"/library?sort=title&{query}", "next-page")
                for i in page}  # fmt: skip

    tracks = {t.id: t for t in Track.objects(features__exists=True)}
    tempo = {i for i, t in tracks.items() if 100 <= t.features.bpm <= 120}
    assert shown("bpm_min=100&bpm_max=120") == tempo
    jazz = {i for i, t in tracks.items() if t.tags.genre == "jazz" and t.features.energy >= 0.5}
    assert shown("genre=jazz&energy_min=0.5") == jazz
    exact = shown("key=8A")
    mixing = shown("key=8A&compatible=1")
    assert exact == {i for i, t in tracks.items() if t.features.camelot == "8A"}
    assert exact < mixing
    assert {tracks[i].features.camelot for i in mixing} <= {"7A", "8A", "9A", "8B"}
    Track.objects(id__in=list(tracks)[:7]).update(set__tags__year=1994)
    assert shown("decade=1990") == set(list(tracks)[:7])
    # Nonsense is ignored rather than refused; a forged cursor just starts elsewhere.
    assert client.get("/library?bpm_min=fast&decade=1234&key=99Z&after=%7F").status_code == 200
    assert client.get("/library?sort=title&dir=sideways&before=").status_code == 200


def test_artist_and_album_pages_list_tracks_in_album_order(client, library):
    one = library[0]
    Track.objects(tags__album=one.tags.album).update(set__tags__artist="Nina Simone")
    same_album = list(Track.objects(tags__album=one.tags.album))
    for number, track in zip(range(len(same_album), 0, -1), same_album, strict=True):
        Track.objects(id=track.id).update(set__tags__track_no=number)
    body = client.get(f"/library/album?artist=Nina+Simone&name={one.tags.album}").get_data(
        as_text=True
    )
    shown = re.findall(r'<li class="track-row" data-track="([^"]+)"', body)
    assert shown == [t.id for t in reversed(same_album)]  # track 1 first
    artist_page = client.get("/library/artist?name=Nina+Simone").get_data(as_text=True)
    assert set(re.findall(r'data-track="([^"]+)"', artist_page)) == {t.id for t in same_album}
    assert client.get("/library/artist?name=Nobody").status_code == 404
    assert client.get("/library/album?artist=Nina+Simone&name=Nope").status_code == 404
    assert client.get("/library/album").status_code == 404


def test_tracks_stored_before_sort_keys_get_them(app):
    tracks = add_analysed_tracks(30, seed=4)
    Track.objects(id__in=[t.id for t in tracks[:12]]).update(unset__sort_keys=True)
    assert fill_missing_sort_keys(batch=5) == 12
    for track in Track.objects:
        assert track.sort_keys == sort_keys_of(track)


def test_search_finds_album_words_artist_prefixes_and_tags(client, library, celery_worker):
    from tasks.catalog import rebuild_index

    Track.objects(id=library[3].id).update(set__tags__album="Kind of Lazuli",
                                           set__tags__artist="Mirabelle Quartet")  # fmt: skip
    rebuild_index.delay(force=True).get(timeout=120)

    def search(q):
        return client.get(f"/api/library/search?q={q}").get_json()

    found = search("lazul")
    assert [t["id"] for t in found["tracks"]] == [library[3].id] and found["total"] == 1
    assert [t["id"] for t in search("mira")["tracks"]] == [library[3].id]
    assert [t["album"] for t in search("quartet KIND")["tracks"]] == ["Kind of Lazuli"]
    assert search("quartet zzz")["total"] == 0
    # Genres and the strongest musicnn tags are words too.
    jazz = search("jazz")
    genre_jazz = {t.id for t in Track.objects(tags__genre="jazz")}
    assert jazz["total"] >= len(genre_jazz) > 0 and len(jazz["tracks"]) == min(50, jazz["total"])
    titles = [t["title"].casefold() for t in jazz["tracks"]]
    assert titles == sorted(titles)
    assert search("")["total"] == 0 and search("%20")["tracks"] == []
