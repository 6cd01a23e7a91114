"""Socket.IO connections need a signed-in session from the same origin (real server)."""

from __future__ import annotations

import pytest
import requests
import socketio

from launcher.services import stop
from tests.browser import start_web_server
from tests.room_client import CSRF_INPUT

pytestmark = pytest.mark.slow


@pytest.fixture
def server(app, make_user, tmp_path):
    make_user("olga")
    proc, base = start_web_server(tmp_path / "web.log")
    yield base
    stop(proc)


def signed_in_cookie(base: str) -> str:
    http = requests.Session()
    token = CSRF_INPUT.search(http.get(f"{base}/auth/login").text).group(1)
    response = http.post(f"{base}/auth/login", allow_redirects=False,
                         data={"username": "olga", "password": "correct horse",
                               "csrf_token": token})  # fmt: skip
    assert response.status_code == 302
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


def can_connect(base: str, headers: dict, namespace: str = "/rooms") -> bool:
    # Long-polling sends exactly these headers (the websocket client adds its own Origin).
    client = socketio.Client(reconnection=False)
    try:
        client.connect(base, headers=headers, namespaces=[namespace], transports=["polling"],
                       wait_timeout=5)  # fmt: skip
    except socketio.exceptions.ConnectionError:
        return False
    connected = namespace in client.namespaces
    client.disconnect()
    return connected


def test_only_signed_in_same_origin_sockets_connect(server):
    cookie = signed_in_cookie(server)
    assert can_connect(server, {"Cookie": cookie, "Origin": server})
    assert not can_connect(server, {"Cookie": cookie, "Origin": "http://evil.example"})
    assert not can_connect(server, {"Origin": server})  # no session


@pytest.mark.parametrize("namespace", ["/", "/live", "/library"])
def test_every_namespace_refuses_anonymous_connections(server, namespace):
    assert not can_connect(server, {"Origin": server}, namespace)
    assert can_connect(server, {"Cookie": signed_in_cookie(server), "Origin": server}, namespace)
