"""Benchmark: what the second (English) edition costs, measured in one run on this machine.

Each chapter is executed once for both editions (its outputs carry their language), so the
second edition adds only its site build. On a temporary copy of the project this script builds
the book once, then times, from the same staged sources and with Sphinx starting from nothing
each time:

1. the Chinese edition's site alone (one jupyter-book process, forked by the site server);
2. both editions' sites, as `python -m analysis build` runs them (two processes side by side);

(the site server, `analysis.runner.sphinx_server`, has imported Sphinx before the clock starts,
as it has in a build once the chapters have executed);

and prints them beside the chapters' execution time, which both editions share.

    python benchmarks/editions.py [--repeat 2]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "src"))

from analysis.core.language import LANGUAGES  # noqa: E402
from analysis.runner.build import STAGE_DIR, copy_sources, run_sphinx  # noqa: E402
from analysis.runner.sphinx_server import SphinxServer  # noqa: E402


def fresh_stages(stage: Path, scratch: Path, languages: tuple[str, ...]) -> list[Path]:
    """Copies of the staged editions without their Sphinx output, so that each build is a
    full one."""
    shutil.rmtree(scratch, ignore_errors=True)
    copies = []
    for language in languages:
        copy = scratch / language
        shutil.copytree(stage / language, copy, ignore=shutil.ignore_patterns("_build"))
        copies.append(copy)
    return copies


def best_of(
    repeat: int, stage: Path, scratch: Path, languages: tuple[str, ...], server: SphinxServer
) -> float:
    times = []
    for _ in range(repeat):
        stages = fresh_stages(stage, scratch, languages)
        started = time.perf_counter()
        run_sphinx(stages, server)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs of each case; the best")
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory(prefix="book-editions-") as folder:
        project = Path(folder) / "project"
        copy_sources(PROJECT, project)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "analysis", "--root", str(project), "build"],
            check=True,
            capture_output=True,
        )
        clean = time.perf_counter() - started
        stage = project / STAGE_DIR
        scratch = Path(folder) / "scratch"
        with SphinxServer(project) as server:
            best_of(1, stage, scratch, (LANGUAGES[0],), server)  # it has imported ahead
            one = best_of(repeat, stage, scratch, (LANGUAGES[0],), server)
            both = best_of(repeat, stage, scratch, LANGUAGES, server)
    print(f"clean build, both editions (execution once, both sites): {clean:7.1f} s")
    print(f"site build, Chinese edition only:                        {one:7.1f} s")
    print(f"site build, both editions side by side:                  {both:7.1f} s")
    rest = clean - both
    print(f"the rest of the clean build (execution, assembly):        {rest:7.1f} s")
    print(f"a clean build of one edition, estimated (rest + its site): {rest + one:7.1f} s")
    print(
        f"both/one: site build {both / one:.2f}, clean build {clean / (rest + one):.2f} "
        "(the chapters' execution is shared)"
    )


if __name__ == "__main__":
    main()
