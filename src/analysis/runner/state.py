"""What the last build left, read without the heavy libraries: a build whose inputs are those
of the published site returns from here, in the time it takes to hash the inputs (the inputs
were validated and the site built from exactly these bytes).

Also the build's lock, its folders and the exceptions the command line reports.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.inputs.chapters import CHAPTERS, Chapter
from analysis.runner.sources import chapter_inputs, digest_of, site_inputs

if TYPE_CHECKING:
    from analysis.runner.pdf import EditionPdf

BUILD_DIR = "_build"
CACHE_DIR = "_build/cache"
SITES_DIR = "_build/sites"
SITE_LINK = "_build/html"
STAGE_DIR = "_build/stage"
SITE_KEY_FILE = "_build/site.sha256"
LOCK_FILE = "_build/.lock"
RESULTS_FILE = "results/indicators.csv"
CHAPTER_TIMEOUT = 600  # seconds a chapter's cell may run (`build --timeout`)


class BuildFailure(Exception):
    """A build step failed; the message says which chapter or step, and what went wrong."""


class BuildBusy(Exception):
    """Another build holds the lock."""


@dataclass(frozen=True)
class ChapterRun:
    chapter: str
    executed: bool
    seconds: float


@dataclass(frozen=True)
class BuildReport:
    runs: tuple[ChapterRun, ...]
    seconds: float
    site: Path
    site_built: bool = True
    pdfs: tuple[EditionPdf, ...] = ()

    @property
    def executed(self) -> list[str]:
        return [run.chapter for run in self.runs if run.executed]


def inputs_hash(root: Path, chapter: Chapter) -> str:
    return digest_of(root, chapter_inputs(root, chapter))


def cached_digest(done: Path) -> str | None:
    """The inputs hash a cached chapter was executed from, if it is complete."""
    marker = done / "inputs.sha256"
    return marker.read_text().strip() if marker.is_file() else None


@contextmanager
def build_lock(root: Path) -> Iterator[None]:
    path = root / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildBusy(
                f"another build is running ({holder}); wait for it to finish and try again"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def site_key(root: Path) -> str:
    """What the published site is made from: every chapter's inputs and the site's files."""
    digest = hashlib.sha256()
    for chapter in CHAPTERS:
        digest.update(inputs_hash(root, chapter).encode())
    digest.update(digest_of(root, site_inputs(root)).encode())
    return digest.hexdigest()


def published_site(root: Path) -> Path | None:
    link = root / SITE_LINK
    return link.resolve() if link.is_symlink() and (link / "index.html").is_file() else None


def unchanged_build(root: Path) -> BuildReport | None:
    """The report of a build with nothing to do, if the published site is of these inputs; the
    lock is taken (and released) as by a build, so a running build is reported as running."""
    started = time.perf_counter()
    root = root.resolve()
    with build_lock(root):
        site = published_site(root)
        key_file = root / SITE_KEY_FILE
        if site is None or not key_file.is_file():
            return None
        if key_file.read_text().strip() != site_key(root):
            return None
        for chapter in CHAPTERS:
            if cached_digest(root / CACHE_DIR / chapter.name) != inputs_hash(root, chapter):
                return None
    runs = tuple(ChapterRun(chapter.name, False, 0.0) for chapter in CHAPTERS)
    return BuildReport(runs, time.perf_counter() - started, site, site_built=False)
