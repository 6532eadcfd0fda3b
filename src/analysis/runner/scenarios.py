"""Scenarios: a chapter run with other parameter files, leaving the book alone.

`run_scenario` runs one file into a folder (the notebook and its CSVs); `run_sweep` runs several
side by side, each into a folder of its own named after its file, and writes their comparison
beside them (`comparison.csv` and its Chinese twin, `comparison.html` in Chinese and
`comparison.en.html`, each with a chart). A bad file, or a scenario whose chapter fails, is
reported in one line and left out; the others still run and are compared.

Every scenario's kernel is forked from one zygote (`analysis.runner.warm.scenario_zygote`; None:
each kernel started anew), and runs in a worker process of its own, so that a kernel's output
never reaches the user's terminal.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from analysis.core.language import LANGUAGES, Language
from analysis.core.problems import InputError, Problem
from analysis.inputs.chapters import Chapter, chapter_named
from analysis.inputs.dataset import Dataset, series_names
from analysis.inputs.parameters import Parameters, load_parameters
from analysis.runner.build import (
    chapter_series_problems,
    execute_chapter,
    failure_message,
    import_for_workers,
    read_results,
    replace_folder,
    validate_inputs,
)
from analysis.runner.state import (
    BUILD_DIR,
    CACHE_DIR,
    CHAPTER_TIMEOUT,
    SITE_LINK,
    SITES_DIR,
    STAGE_DIR,
    BuildFailure,
)

COMPARISON = "comparison"  # comparison.csv, comparison.zh.csv, comparison.html, ...


@dataclass(frozen=True)
class Scenario:
    """One parameter file of a run: its name (the file's stem, made unique) and, once checked,
    its parameters or the problems that keep it from running."""

    name: str
    parameter_file: Path
    parameters: Parameters | None = None
    problems: tuple[Problem, ...] = ()

    @property
    def valid(self) -> bool:
        return self.parameters is not None


@dataclass(frozen=True)
class SweepReport:
    ran: tuple[Scenario, ...]
    bad_files: tuple[Scenario, ...]  # input errors: the file is wrong
    failed: dict[str, str]  # scenario name -> why its chapter failed while running
    pages: tuple[Path, ...]  # the comparison's files, empty when no scenario ran
    earlier: tuple[str, ...] = ()  # scenario folders of an earlier run, left in `out`


def scenario_chapter(chapter_name: str) -> Chapter:
    try:
        chapter = chapter_named(chapter_name)
    except KeyError as error:
        raise InputError([Problem("command line", str(error.args[0]), column="CHAPTER")]) from None
    if not chapter.parameter_file:
        raise InputError(
            [Problem("command line", f"chapter '{chapter_name}' has no parameters to vary")]
        )
    return chapter


# Folders the build writes and replaces: a scenario put there would be published with the
# site, or lost at the next build.
BUILD_OWNED = (SITE_LINK, SITES_DIR, CACHE_DIR, STAGE_DIR)


def output_folder(root: Path, out: Path) -> Path:
    """`out`, created: outside the project, or a folder of its own under _build/, so that a
    run never writes into the book's inputs, nor into the site or the build's own folders."""
    given = Path(os.path.abspath(out))  # _build/html is a link into _build/sites
    out = out.resolve()
    owned = [root / folder for folder in BUILD_OWNED]
    in_build_output = any(
        path == folder or folder in path.parents for path in (given, out) for folder in owned
    )
    outside_build = root in out.parents and not out.is_relative_to(root / BUILD_DIR)
    if out in (root, root / BUILD_DIR) or outside_build or in_build_output:
        raise InputError(
            [
                Problem(
                    str(given),
                    "--out must be outside the project, or a folder of its own under _build/ "
                    "(not _build/html, _build/sites, _build/cache or _build/stage, which the "
                    "build writes and replaces)",
                    column="--out",
                )
            ]
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        problem = Problem("command line", f"cannot create {out}: {error.strerror}", column="--out")
        raise InputError([problem]) from None
    return out


def earlier_scenarios(out: Path, names: Sequence[str]) -> tuple[str, ...]:
    """The scenario folders in `out` (those with a scenario.json) that this run does not write:
    left by an earlier run, and not part of this comparison."""
    return tuple(
        sorted(
            folder.name
            for folder in out.iterdir()
            if (folder / "scenario.json").is_file() and folder.name not in names
        )
    )


def scenario_names(files: Sequence[Path]) -> list[str]:
    """Each file's stem; a stem taken already gets -2, -3, ..."""
    names: list[str] = []
    for path in files:
        name, n = path.stem, 1
        while name in names:
            n += 1
            name = f"{path.stem}-{n}"
        names.append(name)
    return names


def checked(name: str, path: Path, chapter: Chapter, dataset: Dataset) -> Scenario:
    """The scenario with its parameters, or with the problems of its file."""
    if not path.is_file():
        what = "is a folder" if path.is_dir() else "does not exist"
        problem = Problem(str(path), f"{what}; give a parameter file (YAML)")
        return Scenario(name, path, problems=(problem,))
    try:
        parameters = load_parameters(path)
    except InputError as error:
        return Scenario(name, path, problems=tuple(error.problems))
    text = path.read_text(encoding="utf-8-sig")
    problems = chapter_series_problems(str(path), text, chapter, parameters, dataset)
    if problems:
        return Scenario(name, path, problems=tuple(problems))
    return Scenario(name, path, parameters)


def execute_scenario(
    root: str, chapter_name: str, parameter_file: str, folder: str, zygote: str | None
) -> None:
    """Run in a worker: the chapter with the file's values into `folder`: `<chapter>.ipynb`,
    `downloads/` and `scenario.json`, each replaced only when the run succeeds; anything else
    in the folder is left alone."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    work = target / f".partial-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    raw = yaml.safe_load(Path(parameter_file).read_text(encoding="utf-8-sig")) or {}
    try:
        execute_chapter(root, chapter_name, raw, str(work), zygote, CHAPTER_TIMEOUT)
        os.replace(work / "notebook.ipynb", target / f"{chapter_name}.ipynb")
        replace_folder(work / "downloads", target / "downloads")
        summary = {"chapter": chapter_name, "parameters": parameter_file}
        (target / "scenario.json").write_text(json.dumps(summary, indent=2) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def execute_scenarios(
    root: Path,
    chapter: Chapter,
    scenarios: Mapping[str, tuple[Path, Path]],
    zygote: str | None,
    jobs: int,
) -> dict[str, str]:
    """Each scenario (name -> (parameter file, folder)) in a worker process, side by side;
    returns why each that failed did."""
    import_for_workers()
    pool = ProcessPoolExecutor(
        max_workers=max(1, min(jobs, len(scenarios))),
        mp_context=multiprocessing.get_context("fork"),
    )
    failures: dict[str, str] = {}
    try:
        futures = {
            name: pool.submit(
                execute_scenario, str(root), chapter.name, str(path), str(folder), zygote
            )
            for name, (path, folder) in scenarios.items()
        }
        for name, future in futures.items():
            try:
                future.result()
            except Exception as error:  # the chapter failed: reported, the others go on
                failures[name] = failure_message(chapter.name, error)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return failures


def run_scenario(
    root: Path, chapter_name: str, parameter_file: Path, out: Path, zygote: str | None
) -> Path:
    """Execute one chapter with another parameter file into `out`, leaving the book alone
    (on a kernel forked from the zygote at `zygote`; None: started anew). Returns the executed
    notebook."""
    root = root.resolve()
    chapter = scenario_chapter(chapter_name)
    dataset, _ = validate_inputs(root)
    scenario = checked(parameter_file.stem, parameter_file, chapter, dataset)
    if not scenario.valid:
        raise InputError(list(scenario.problems))
    out = output_folder(root, out)
    failures = execute_scenarios(root, chapter, {"": (parameter_file, out)}, zygote, 1)
    if failures:
        raise BuildFailure(failures[""])
    return out / f"{chapter.name}.ipynb"


def run_sweep(
    root: Path,
    chapter_name: str,
    parameter_files: Sequence[Path],
    out: Path,
    zygote: str | None,
    jobs: int | None = None,
) -> SweepReport:
    """Run the chapter once per parameter file, side by side, each into `out/<name>/` (on
    kernels forked from the zygote at `zygote`; None: started anew), and write the comparison
    of those that ran into `out`."""
    root = root.resolve()
    chapter = scenario_chapter(chapter_name)
    dataset, _ = validate_inputs(root)
    out = output_folder(root, out)
    names = scenario_names(parameter_files)
    scenarios = [
        checked(name, path, chapter, dataset)
        for name, path in zip(names, parameter_files, strict=True)
    ]
    valid = {s.name: (s.parameter_file, out / s.name) for s in scenarios if s.valid}
    failed = (
        execute_scenarios(root, chapter, valid, zygote, jobs or os.cpu_count() or 1)
        if valid
        else {}
    )
    ran = tuple(s for s in scenarios if s.valid and s.name not in failed)
    bad = tuple(s for s in scenarios if not s.valid)
    not_run = {s.name: "; ".join(map(str, s.problems)) for s in bad} | failed
    pages = write_comparison(root, chapter, ran, not_run, out, dataset) if ran else ()
    return SweepReport(ran, bad, failed, pages, earlier_scenarios(out, names))


def status_of(folder: Path, chapter: Chapter) -> pd.DataFrame:
    return read_results(folder / "downloads" / "chapters" / chapter.name / "status.csv")


def write_comparison(
    root: Path,
    chapter: Chapter,
    ran: Sequence[Scenario],
    not_run: Mapping[str, str],
    out: Path,
    dataset: Dataset,
) -> tuple[Path, ...]:
    """comparison.csv (codes as headers) and comparison.zh.csv, and a page with its chart in
    each language; `not_run`: why each scenario that did not run did not."""
    from analysis.book import scenarios as compare
    from analysis.book.charts import save_png, scenario_bars, source_text
    from analysis.book.downloads import write_chinese_csv

    comparison = compare.comparison_table({s.name: status_of(out / s.name, chapter) for s in ran})
    csv = out / f"{COMPARISON}.csv"
    comparison.to_csv(csv, index=False)
    # read back from CSV, a unit is text again: the series' Unit knows its English
    units = dataset.series.set_index("series_id")["unit"]
    comparison["unit"] = comparison["series_id"].map(units).fillna(comparison["unit"])
    zh_csv = write_chinese_csv(comparison, csv)
    written = [csv, zh_csv]
    drawn = compare.chart_rows(comparison)
    parameters = {s.name: s.parameters for s in ran if s.parameters is not None}
    for language in LANGUAGES:
        page = out / page_name(language)
        other = page_name(next(other for other in LANGUAGES if other != language))
        chapter_title = chapter.title(language)
        names = series_names(dataset.series, language)
        source = source_text(
            dataset.observations, comparison["series_id"], compare.SOURCE_NOTE, language
        )
        chart = None
        if len(drawn):
            chart_file = f"{COMPARISON}.{language}.png"
            title = compare.chart_title(drawn, language)
            chart_source = source_text(
                dataset.observations, drawn["series_id"], compare.SOURCE_NOTE, language
            )
            figure = scenario_bars(drawn, title, chart_source, language)
            chart = (chart_file, save_png(figure, out / chart_file))
            written.append(out / chart_file)
        text = compare.comparison_page(
            comparison,
            compare.parameters_table(parameters, language, names),
            not_run,
            chart,
            {"csv": csv.name, "zh_csv": zh_csv.name, "other": other},
            chapter_title,
            source,
            language,
        )
        page.write_text(text, encoding="utf-8")
        written.append(page)
    return tuple(written)


def page_name(language: Language) -> str:
    return f"{COMPARISON}.html" if language == "zh" else f"{COMPARISON}.en.html"
