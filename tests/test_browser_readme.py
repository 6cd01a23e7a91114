"""The README's mood examples, typed into the mood page, on the demo library `make run` builds.

The demo library is analysed here by the real worker; its manifest says how loud each
track was composed (energy level 0-4). Each example must give at least 10 tracks, and
the calm one none from the two loudest levels.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

from launcher.services import stop
from models import Track
from tests.browser import launch_browser, start_web_server

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(900)]
README = Path(__file__).resolve().parent.parent / "README.md"
CALM = "rainy sunday morning, calm but hopeful, 40 minutes"


def readme_examples() -> list[str]:
    """The quoted queries of the README's "Mood search" entry."""
    text = README.read_text()
    entry = text[text.index("**Mood search** (`/mood`)") :].split("\n- ", 1)[0]
    return re.findall(r'"([^"]+)"', " ".join(entry.split()))


@pytest.fixture
def server(app, celery_worker, tmp_path):
    from seeds.demo_library import build_demo_library
    from tasks.catalog import rebuild_index
    from tasks.library import scan_root

    app.test_cli_runner().invoke(args=["seed"])
    root = app.config["MUSIC_DIRS"][0]
    shutil.rmtree(root, ignore_errors=True)
    build_demo_library(root, 36, "ogg")
    scan_root.delay(str(root)).get(timeout=120)
    deadline = time.monotonic() + 600
    while Track.objects(analysis__status__in=["pending", "processing"]).count():
        assert time.monotonic() < deadline, "the demo library was not analysed in time"
        time.sleep(1)
    rebuild_index.delay(force=True).get(timeout=120)
    proc, base = start_web_server(tmp_path / "web.log")
    manifest = json.loads((root / "manifest.json").read_text())
    levels = {str(root / t["file"]): t["level"] for t in manifest["tracks"]}
    yield base, levels
    stop(proc)
    shutil.rmtree(root, ignore_errors=True)


def test_readme_examples_on_the_demo_library(server):
    from playwright.sync_api import expect, sync_playwright

    base, levels = server
    examples = readme_examples()
    assert CALM in examples and len(examples) >= 3
    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page()
        page.goto(f"{base}/auth/register")
        page.fill("#username", "robin")
        page.fill("#password", "correct horse")
        page.fill("#confirm", "correct horse")
        page.click("button[type=submit]")
        for text in examples:
            page.goto(f"{base}/mood")
            page.fill("#mood-text", text)
            page.click("#mood-go")
            expect(page.locator("#result-title")).to_have_text(f"“{text}”", timeout=60_000)
            ids = page.locator("#tracks li[data-track]").evaluate_all(
                "items => items.map(li => li.dataset.track)"
            )
            assert len(ids) >= 10, (text, len(ids))
            expect(page.locator("#save-btn")).to_be_enabled()
            if text == CALM:
                paths = [t.path for t in Track.objects(id__in=ids)]
                loud = [p for p in paths if levels[p] >= 3]
                assert not loud, loud
                page.screenshot(path=str(Path(base_dir()) / "moodroom-readme-calm.png"))
        browser.close()


def base_dir() -> str:
    import tempfile

    return tempfile.gettempdir()
