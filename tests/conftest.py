"""Fixtures on real services: an ``nx-27017`` server, Redis and a Celery worker.

The environment is set before any application module is imported, so
``settings`` (and with it the Flask config and the Celery app) point at the
test servers.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from launcher import services
from tests import truth_prep

_TMP = Path(tempfile.mkdtemp(prefix="moodroom-tests-"))
_NX_PORT = services.free_port()
os.environ["MONGODB_URI"] = f"mongodb://127.0.0.1:{_NX_PORT}/moodroom_test"
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ["MOODROOM_VAR"] = str(_TMP / "var")
os.environ["DATA_DIR"] = str(_TMP / "data")
os.environ.setdefault("MUSIC_DIR", str(_TMP / "music"))
os.environ.setdefault("SECRET_KEY", "moodroom-test-secret")


def pytest_collection_modifyitems(config, items):
    """Quality tests last, with their truth library prepared in the background meanwhile."""
    quality = [item for item in items if item.path.name in truth_prep.QUALITY_TESTS]
    if not quality:
        return
    items[:] = [item for item in items if item not in quality] + quality
    from seeds.truth_library import available

    if available():
        truth_prep.start(_TMP / "log" / "truth-library.log")


def pytest_sessionfinish(session):
    truth_prep.stop()


@pytest.fixture(scope="session")
def tmp_root() -> Path:
    """Temporary folder shared by the whole session."""
    return _TMP


@pytest.fixture(scope="session", autouse=True)
def mongo_server():
    """A real MongoDB wire-protocol server on a free port, for the whole session."""
    proc = services.start_mongo(_NX_PORT, _TMP / "db", _TMP / "log" / "mongo.log")
    uri = os.environ["MONGODB_URI"]
    services.wait_for_mongo(uri, proc)
    yield uri
    services.stop(proc)
    shutil.rmtree(_TMP, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The test Redis database, flushed once at the start of the session."""
    import redis

    url = os.environ["REDIS_URL"]
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture(scope="session")
def app(mongo_server, redis_url):
    """The Flask app on the test servers."""
    from models import ensure_all_indexes
    from webapp import create_app
    from webapp.config import TestingConfig

    application = create_app(TestingConfig)
    ensure_all_indexes()
    return application


@pytest.fixture(autouse=True)
def clean_db(request):
    """Empty every collection after each test; indexes stay."""
    yield
    if "mongo_server" not in request.fixturenames and "app" not in request.fixturenames:
        return
    from mongoengine.connection import get_db

    try:
        db = get_db()
    except Exception:
        return
    for name in db.list_collection_names():
        db[name].delete_many({})


@pytest.fixture
def client(app):
    """A test client with cookies."""
    return app.test_client()


@pytest.fixture
def celery_worker(app):
    """A real Celery worker (solo pool) in a thread, consuming both queues from the test Redis."""
    from celery.contrib.testing.worker import start_worker

    from tasks import celery
    from tasks.routes import QUEUES

    with start_worker(
        celery,
        pool="solo",
        perform_ping_check=False,
        loglevel="WARNING",
        shutdown_timeout=10,
        queues=list(QUEUES),
    ) as worker:
        yield worker


@pytest.fixture
def make_user(app):
    """Create a user directly in the database."""
    from models import User
    from webapp.services.passwords import hash_password

    def make(username: str = "alice", password: str = "correct horse", **fields):
        user = User(username=username, password_hash=hash_password(password), **fields)
        return user.save()

    return make


@pytest.fixture
def login(client):
    """Sign ``client`` in through the real form."""

    def do_login(username: str = "alice", password: str = "correct horse"):
        response = client.post("/auth/login", data={"username": username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return do_login
