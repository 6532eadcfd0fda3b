"""Benchmark of the book's build, measured in one run on this machine.

Works on a temporary copy of the project's sources (the project's own _build is not touched):

1. clean build (nothing cached)
2. no-op rebuild
3. rebuild after changing one chapter's parameter (children: target_year 2026)
4. rebuild after changing one data file (a note in data/observations.csv)
5. for comparison: a plain `jupyter-book build` of the same chapters (one edition) with
   execute_notebooks: force (sequential, no cache)
6. a scenario run of one chapter: `python -m analysis run children --params F --out D`
7. the same while a preview is open on the project: its kernel is forked from the preview's
   zygote (`analysis.runner.warm.KeptZygote`), so the run does not import the libraries

Prints a table with the wall time and the number of chapters executed in each case, the
targets of the issue, where the time of a clean build goes and, as its last line:

    ratios: clean/plain=R1 param/clean=R2 noop/clean=R3 scenario_s=S

    python benchmarks/build.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "src"))

from analysis.inputs.chapters import CHAPTERS  # noqa: E402
from analysis.inputs.locations import OUTPUT_DIR_VARIABLE, PROJECT_ROOT_VARIABLE  # noqa: E402
from analysis.runner.build import CACHE_DIR, copy_sources  # noqa: E402
from analysis.runner.warm import KeptZygote  # noqa: E402

BIN = Path(sys.executable).parent


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout


def book_build(project: Path) -> tuple[float, int, str]:
    seconds, output = timed(
        [sys.executable, "-m", "analysis", "--root", str(project), "build"], project
    )
    executed = int(output.split("(")[1].split(" executed")[0])
    return seconds, executed, output.strip()


def chapter_seconds(project: Path) -> dict[str, float]:
    """Per-chapter execution time, read back from the executed notebooks' metadata."""
    times = {}
    for chapter in CHAPTERS:
        notebook = json.loads((project / CACHE_DIR / chapter.name / "notebook.ipynb").read_text())
        times[chapter.name] = notebook["metadata"]["papermill"]["duration"]
    return times


def plain_jupyter_book(project: Path, scratch: Path) -> float:
    """The same chapters, executed by Jupyter Book itself, one after another, no cache."""
    source = scratch / "plain"
    shutil.copytree(project / "chapters", source / "chapters")
    shutil.copytree(project / "book_static", source / "book_static")
    shutil.copy(project / "_toc.yml", source / "_toc.yml")
    config = yaml.safe_load((project / "_config.yml").read_text(encoding="utf-8"))
    config["execute"] = {"execute_notebooks": "force", "timeout": 600}
    (source / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    (source / "chapters" / "build_record.md").write_text("# Build record\n", encoding="utf-8")
    (source / "downloads").mkdir()
    environment = {
        **os.environ,
        PROJECT_ROOT_VARIABLE: str(project),
        OUTPUT_DIR_VARIABLE: str(source),
    }
    seconds, _ = timed(
        [str(BIN / "jupyter-book"), "build", str(source), "--builder", "html", "--quiet"],
        source,
        environment,
    )
    return seconds


def scenario_run(project: Path, scratch: Path, out: str = "scenario") -> float:
    """One chapter with another parameter file, as an analyst runs a scenario."""
    parameters = scratch / "scenario.yaml"
    parameters.write_text("target_year: 2027\n", encoding="utf-8")
    command = [sys.executable, "-m", "analysis", "--root", str(project), "run", "children"]
    command += ["--params", str(parameters), "--out", str(scratch / out)]
    seconds, _ = timed(command, project)
    return seconds


def scenario_beside_preview(project: Path, scratch: Path) -> float:
    """A scenario run while a preview keeps its zygote (started and settled before)."""
    kept = KeptZygote(project)
    try:
        kept.current()
        time.sleep(5)  # its imports are done, as in a preview that has been open a while
        return scenario_run(project, scratch, "scenario-beside-preview")
    finally:
        kept.stop()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="book-bench-") as folder:
        scratch = Path(folder)
        project = scratch / "project"
        copy_sources(PROJECT, project)
        rows = []

        clean, executed, _ = book_build(project)
        rows.append(("1. clean build", clean, executed))
        per_chapter = chapter_seconds(project)

        noop, executed, _ = book_build(project)
        rows.append(("2. no-op rebuild", noop, executed))

        parameters = project / "parameters" / "children.yaml"
        with parameters.open("a", encoding="utf-8") as file:
            file.write("target_year: 2026\n")
        one, executed, _ = book_build(project)
        rows.append(("3. one chapter's parameter changed", one, executed))

        observations = project / "data" / "observations.csv"
        text = observations.read_text(encoding="utf-8")
        observations.write_text(
            text.replace("cumulative since 2021", "cumulative since 2021 (noted)", 1), "utf-8"
        )
        data, executed, _ = book_build(project)
        rows.append(("4. one data file changed", data, executed))

        plain = plain_jupyter_book(project, scratch)
        rows.append(("5. plain jupyter-book, execute force", plain, len(CHAPTERS)))

        scenario = scenario_run(project, scratch)
        rows.append(("6. scenario run of one chapter", scenario, 1))

        beside = scenario_beside_preview(project, scratch)
        rows.append(("7. the same, a preview open", beside, 1))

    print(f"{'case':<40} {'seconds':>8} {'chapters executed':>18}")
    for name, seconds, executed in rows:
        print(f"{name:<40} {seconds:>8.1f} {executed:>18}")
    print()
    print("targets:")
    print(f"  (1) <= 0.30 x (5): {clean / plain:.2f} x")
    share = one / clean
    print(f"  (3) exactly one chapter and <= 10 % of (1): {rows[2][2]} executed, {share:.1%}")
    print(f"  (2) <= 3 % of (1) and executes nothing: {noop / clean:.1%}, {rows[1][2]} executed")
    print(f"  (6) <= 3 s: {scenario:.1f} s ({beside:.1f} s with a preview open, (7))")
    print()
    print(f"clean build, time per chapter (papermill, in parallel on {os.cpu_count()} cores):")
    for name, seconds in sorted(per_chapter.items(), key=lambda item: -item[1]):
        print(f"  {name:<24} {seconds:5.1f} s")
    print(f"  sum {sum(per_chapter.values()):.1f} s")
    print()
    print(
        f"ratios: clean/plain={clean / plain:.2f} param/clean={one / clean:.2f} "
        f"noop/clean={noop / clean:.2f} scenario_s={scenario:.1f}"
    )


if __name__ == "__main__":
    main()
