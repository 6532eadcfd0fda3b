"""`analysis preview`: the served site, the reload script, the state a page polls, and a failed
build that keeps the last good site until the next good save. The build is a stand-in that
publishes a one-page site the way the real build does (a link swapped to a new folder); the
real build is tested by test_book and test_faults."""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from analysis.core.problems import InputError, Problem
from analysis.runner.preview import STATE_PATH, serve
from analysis.runner.state import SITE_LINK, BuildFailure

DEADLINE = 60  # seconds for the watcher to see a save (it looks several times a second)


class StandInBuild:
    """Publishes `<h1>site N</h1>`, or fails with the next queued error."""

    def __init__(self) -> None:
        self.errors: list[Exception] = []
        self.builds = 0

    def __call__(self, root: Path) -> SimpleNamespace:
        if self.errors:
            raise self.errors.pop(0)
        self.builds += 1
        site = root / "_build" / "sites" / f"site-{self.builds}"
        site.mkdir(parents=True)
        (site / "index.html").write_text(f"<html><body><h1>site {self.builds}</h1></body></html>")
        link = root / SITE_LINK
        temporary = link.with_name("html.new")
        temporary.symlink_to(site.relative_to(link.parent))
        os.replace(temporary, link)
        return SimpleNamespace(executed=["children"])


@pytest.fixture
def preview(minimal_project: Path) -> Iterator[tuple[str, StandInBuild, list[str], Path]]:
    build = StandInBuild()
    said: list[str] = []
    stop = threading.Event()
    started = threading.Event()
    address: list[str] = []

    def ready(server: object) -> None:
        address.append(f"http://127.0.0.1:{server.server_address[1]}")  # type: ignore[attr-defined]
        started.set()

    thread = threading.Thread(
        target=serve,
        kwargs={
            "root": minimal_project,
            "port": 0,
            "build": build,
            "say": said.append,
            "stop": stop,
            "ready": ready,
        },
    )
    thread.start()
    assert started.wait(DEADLINE)
    yield address[0], build, said, minimal_project
    stop.set()
    thread.join(DEADLINE)
    assert not thread.is_alive()


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=DEADLINE) as response:
        return response.read().decode()


def state(url: str) -> dict:
    return json.loads(get(url + STATE_PATH))


def wait_for(url: str, condition) -> dict:
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        now = state(url)
        if condition(now):
            return now
        time.sleep(0.1)
    pytest.fail(f"the preview did not reach the state expected; it is {state(url)}")


def save(path: Path) -> None:
    """An edit: the content and the modification time change."""
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def test_pages_are_served_with_the_reload_script(preview) -> None:
    url, _, said, _ = preview
    page = get(url + "/")
    assert "<h1>site 1</h1>" in page
    assert STATE_PATH in page
    assert page.index(STATE_PATH) < page.index("</body>")
    assert state(url) == {"generation": 1, "error": None}
    assert said[0].startswith("preview: http://127.0.0.1:")
    assert said[1].startswith("rebuilt in ")
    assert said[1].endswith("(executed: children)")


def test_a_failed_build_keeps_the_last_good_site_until_the_next_good_save(preview) -> None:
    url, build, said, project = preview
    data = project / "data" / "series.csv"
    build.errors.append(BuildFailure("chapter 'children' failed in cell 4: KeyError: 'x'\nmore"))
    save(data)

    broken = wait_for(url, lambda now: now["error"] is not None)

    one_line = "chapter 'children' failed in cell 4: KeyError: 'x'"
    assert broken == {"generation": 1, "error": one_line}
    assert "<h1>site 1</h1>" in get(url + "/")
    assert said[-1] == (
        "error: chapter 'children' failed in cell 4: KeyError: 'x' "
        "(the last good site stays; fix it and save again)"
    )

    build.errors.append(InputError([Problem("parameters/children.yaml", "bad", 2, "x")]))
    save(data)
    wait_for(url, lambda now: now["error"] and "children.yaml" in now["error"])
    assert "<h1>site 1</h1>" in get(url + "/")

    save(data)
    recovered = wait_for(url, lambda now: now["generation"] == 2)

    assert recovered == {"generation": 2, "error": None}
    assert "<h1>site 2</h1>" in get(url + "/")
