"""The database away for a moment: Subsonic clients get the envelope, then service again."""

from __future__ import annotations

import pytest

from models import ApiKey, connect_db
from tests.db_proxy import DbProxy
from webapp.outages import DB_DOWN


@pytest.fixture
def proxy(app, mongo_server):
    port, db_name = mongo_server.rsplit(":", 1)[1].split("/")
    db_proxy = DbProxy(int(port))
    connect_db(db_proxy.uri(db_name), timeout_ms=1500)
    try:
        yield db_proxy
    finally:
        db_proxy.close()
        connect_db(mongo_server)


def test_an_outage_answers_the_envelope_then_recovers(client, make_user, proxy, caplog):
    _, key = ApiKey.issue(make_user("alice").id, "phone")
    proxy.cut()
    response = client.get("/rest/getArtists.view", query_string={"apiKey": key, "f": "json"})
    body = response.get_json()["subsonic-response"]
    assert response.status_code == 200 and body["status"] == "failed"
    assert body["error"] == {"code": 0, "message": DB_DOWN}
    assert key not in caplog.text
    proxy.restore()
    again = client.get("/rest/ping.view", query_string={"apiKey": key, "f": "json"})
    assert again.get_json()["subsonic-response"]["status"] == "ok"
