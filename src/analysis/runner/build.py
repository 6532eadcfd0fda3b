"""Execute the chapters and build the website, incrementally, in parallel, published atomically.

- A chapter is re-executed only when one of its inputs changed (its notebook, its parameter
  file, the data, the library's source, the lock file); `_build/cache/<chapter>/` keeps the
  executed notebook, its CSVs and the hash of the inputs it was made from.
- Chapters execute in parallel worker processes, each running papermill. Their kernels are
  warm: forked from one process that imported the libraries once for the build
  (`analysis.runner.warm`); `cold=True` (and `verify`, always) starts each kernel anew.
- A chapter that runs longer than its time limit, or whose kernel dies, stops the build.
- The site is assembled in `_build/stage` (kept between builds, so Sphinx rebuilds only the
  pages that changed), copied aside and swapped in by replacing the `_build/html` link in one
  step; a failed or interrupted build leaves the previous site as it was (and an unfinished
  stage is discarded by the next build), and `results/indicators.csv` is only rewritten by a
  build that published. When nothing changed, nothing is executed or rebuilt.
- With `pdf`, each edition is also printed to one PDF (`analysis.runner.pdf`) from the site
  aside, before the swap: the PDFs are published with the pages they were printed from, and
  those pages link to them; a site built without `pdf` has neither. The PDFs print the
  site's own charts (drawn with twice their pixels), so printing executes nothing again.
- One build at a time: a lock file makes a second build refuse with a message.
"""

from __future__ import annotations

import contextlib
import filecmp
import html
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import partial
from pathlib import Path
from typing import IO

import pandas as pd
import yaml

from analysis.book.downloads import write_workbooks
from analysis.book.parameter_words import (
    PARAMETER_NAMES,
    parameter_reference,
    parameter_value,
    setting_words,
)
from analysis.core.language import EDITIONS, LANGUAGES, Edition, Language, Text
from analysis.core.problems import InputError, Problem
from analysis.inputs.chapters import CHAPTERS, DOMAIN_CHAPTERS, Chapter, chapter_named
from analysis.inputs.dataset import Dataset, load_dataset, series_names
from analysis.inputs.locations import OUTPUT_DIR_VARIABLE, PROJECT_ROOT_VARIABLE
from analysis.inputs.parameters import (
    Parameters,
    check_series_names,
    key_lines,
    load_parameters,
)
from analysis.methods.results import RESULTS_FLOAT_FORMAT, compare_results
from analysis.runner.editions import (
    UntranslatedCaption,
    edition_config,
    edition_notebook_bytes,
    edition_toc,
    prose_problems,
)
from analysis.runner.lean import leave_out_unused_imports
from analysis.runner.pdf import (
    EditionPdf,
    PdfFailure,
    chromium_problem,
    print_site,
    published_pdfs,
)
from analysis.runner.sources import (
    all_inputs,
    input_hashes,
    package_versions,
    site_downloads,
    site_files,
)
from analysis.runner.sphinx_server import SphinxServer
from analysis.runner.state import (  # noqa: F401 (the runner's names, read by others)
    BUILD_DIR,
    CACHE_DIR,
    CHAPTER_TIMEOUT,
    LOCK_FILE,
    RESULTS_FILE,
    SITE_KEY_FILE,
    SITE_LINK,
    SITES_DIR,
    STAGE_DIR,
    BuildBusy,
    BuildFailure,
    BuildReport,
    ChapterRun,
    build_lock,
    cached_digest,
    inputs_hash,
    published_site,
    site_key,
)

STATIC_DIR = "book_static"
KERNEL = "python3"


# Inputs ----------------------------------------------------------------------------------------


def validate_inputs(root: Path) -> tuple[Dataset, dict[str, Parameters]]:
    """Every data and parameter file, checked before anything runs; all problems at once."""
    problems: list[Problem] = []
    try:
        dataset = load_dataset(root)
    except InputError as error:
        dataset = None
        problems += error.problems
    parameters: dict[str, Parameters] = {}
    for chapter in CHAPTERS:
        problems += notebook_problems(root, chapter)
        if not chapter.parameter_file:
            continue
        path = root / chapter.parameter_file
        try:
            parameters[chapter.name] = load_parameters(path, root)
        except InputError as error:
            problems += error.problems
            continue
        if dataset is not None:
            text = path.read_text(encoding="utf-8-sig")
            shown = str(chapter.parameter_file)
            problems += chapter_series_problems(
                shown, text, chapter, parameters[chapter.name], dataset
            )
    if problems:
        raise InputError(problems)
    assert dataset is not None
    return dataset, parameters


def notebook_problems(root: Path, chapter: Chapter) -> list[Problem]:
    """The chapter's notebook must exist and be a readable notebook."""
    leave_out_unused_imports()
    import nbformat

    path = root / chapter.notebook
    if not path.is_file():
        return [Problem(chapter.notebook, "notebook is missing; restore it (git checkout)")]
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:  # nbformat raises several kinds for a damaged file
        reason = str(error).splitlines()[0][:120]
        return [
            Problem(
                chapter.notebook,
                f"is not a valid notebook ({type(error).__name__}: {reason}); "
                "restore it (git checkout) or repair the JSON",
            )
        ]
    return [Problem(chapter.notebook, message) for message in prose_problems(notebook)]


def chapter_series_problems(
    shown: str, text: str, chapter: Chapter, parameters: Parameters, dataset: Dataset
) -> list[Problem]:
    """Series named in a chapter's parameters must exist (and belong to a domain chapter)."""
    known = set(dataset.series["series_id"])
    owned = known
    if chapter.kind == "domain":
        owned = set(dataset.series.loc[dataset.series["domain"] == chapter.name, "series_id"])
    return check_series_names(parameters, known, owned, shown, key_lines(text))


# Execution -------------------------------------------------------------------------------------


def execute_chapter(
    root: str,
    chapter_name: str,
    parameters: dict,
    destination: str,
    zygote: str | None = None,
    timeout: float | None = CHAPTER_TIMEOUT,
) -> float:
    """Run one notebook with papermill into `destination` (a fresh folder): notebook.ipynb and
    downloads/. Runs in a worker process; the environment tells the notebook where things are.
    With `zygote` (its socket), the kernel is forked from it (warm); without, started anew.
    `timeout`: the seconds a cell may run."""
    leave_out_unused_imports()
    import papermill

    engine: dict = {}
    if zygote is not None:
        from analysis.runner.kernels import warm_kernel_manager

        engine["kernel_manager_class"] = warm_kernel_manager(zygote)

    started = time.perf_counter()
    chapter = chapter_named(chapter_name)
    os.environ[PROJECT_ROOT_VARIABLE] = root
    os.environ[OUTPUT_DIR_VARIABLE] = destination
    # The kernel inherits this worker's stderr; its log (start-up notices, the interrupt at
    # shutdown) goes to a file beside the notebook instead of the user's terminal.
    with open(Path(destination) / "kernel.log", "w") as log:
        os.dup2(log.fileno(), sys.stderr.fileno())
    papermill.execute_notebook(
        str(Path(root) / chapter.notebook),
        str(Path(destination) / "notebook.ipynb"),
        parameters={"parameters": parameters} if chapter.parameter_file else {},
        kernel_name=KERNEL,
        progress_bar=False,
        cwd=destination,
        execution_timeout=timeout,
        # Written once, when it has run: papermill would otherwise write the whole notebook
        # before and after every cell (0.2-0.5 s a chapter), for readers of a half-run notebook
        # that the build never publishes.
        request_save_on_cell_execute=False,
        **engine,
    )
    hide_injected_parameters(Path(destination) / "notebook.ipynb")
    write_workbooks(Path(destination) / "downloads" / "chapters" / chapter.name, chapter.name)
    return time.perf_counter() - started


def hide_injected_parameters(notebook: Path) -> None:
    """Pages show no code: the cell papermill injects is kept in the executed notebook and
    left off the page, where `show_parameters_in_force` says in words which parameters differ
    from the defaults (the notebook's own defaults cell is tagged remove-cell in the source)."""
    import nbformat

    executed = nbformat.read(notebook, as_version=4)
    for cell in executed.cells:
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags and "remove-input" not in tags:
            cell.metadata["tags"] = [*tags, "remove-input"]
    nbformat.write(executed, notebook)


def failure_message(chapter: str, error: BaseException) -> str:
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(error, PapermillExecutionError):
        return (
            f"chapter '{chapter}' failed in cell {error.exec_count or error.cell_index}: "
            f"{error.ename}: {error.evalue}"
        )
    if isinstance(error, CellTimeoutError):
        return (
            f"chapter '{chapter}' stopped at its time limit: {str(error).splitlines()[0]} "
            "(build --timeout sets the limit)"
        )
    if isinstance(error, DeadKernelError):
        return f"chapter '{chapter}' failed: its kernel died ({error})"
    return f"chapter '{chapter}' failed: {type(error).__name__}: {error}"


def raw_parameters(root: Path, chapter: Chapter) -> dict:
    """The parameter file's values as written (papermill injects these as one mapping, the
    notebook's `parameters`), defaults omitted; the file was validated before."""
    if not chapter.parameter_file:
        return {}
    loaded = yaml.safe_load((root / chapter.parameter_file).read_text(encoding="utf-8-sig"))
    return loaded or {}


def execute_changed(
    root: Path,
    chapters: list[Chapter],
    jobs: int,
    force: bool,
    cold: bool = False,
    timeout: float | None = CHAPTER_TIMEOUT,
    zygote: str | None = None,
) -> tuple[ChapterRun, ...]:
    """Execute every chapter whose inputs changed (all with `force`), in parallel, on kernels
    forked from one zygote (started anew with `cold`; `zygote`: the address of one kept between
    builds)."""
    cache = root / CACHE_DIR
    cache.mkdir(parents=True, exist_ok=True)
    runs: dict[str, ChapterRun] = {}
    pending: dict[str, tuple[str, Path]] = {}
    for chapter in chapters:
        digest = inputs_hash(root, chapter)
        done = cache / chapter.name
        if not force and cached_digest(done) == digest:
            runs[chapter.name] = ChapterRun(chapter.name, False, 0.0)
            continue
        work = cache / f"{chapter.name}.partial-{os.getpid()}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        pending[chapter.name] = (digest, work)
    if not pending:
        return tuple(runs[chapter.name] for chapter in chapters)
    from analysis.runner.warm import warm_zygote

    with warm_zygote(root, cold, zygote) as address:
        execute_pending(root, pending, runs, jobs, address, timeout)
    return tuple(runs[chapter.name] for chapter in chapters)


def import_for_workers() -> None:
    """What every chapter's worker imports (papermill, and openpyxl for the workbooks), imported
    once here, while the zygote imports the kernels' libraries: the workers, forked from this
    process, have them already."""
    leave_out_unused_imports()
    import openpyxl  # noqa: F401
    import papermill  # noqa: F401


def execute_pending(
    root: Path,
    pending: dict[str, tuple[str, Path]],
    runs: dict[str, ChapterRun],
    jobs: int,
    zygote: str | None,
    timeout: float | None,
) -> None:
    cache = root / CACHE_DIR
    import_for_workers()
    pool = ProcessPoolExecutor(
        max_workers=max(1, min(jobs, len(pending))), mp_context=multiprocessing.get_context("fork")
    )
    try:
        futures = {
            pool.submit(
                execute_chapter,
                str(root),
                name,
                raw_parameters(root, chapter_named(name)),
                str(work),
                zygote,
                timeout,
            ): name
            for name, (_, work) in pending.items()
        }
        for future in as_completed(futures):
            name = futures[future]
            digest, work = pending[name]
            try:
                seconds = future.result()
            except Exception as error:  # the first failure stops the build
                raise BuildFailure(failure_message(name, error)) from None
            (work / "inputs.sha256").write_text(digest + "\n")
            replace_folder(work, cache / name)
            runs[name] = ChapterRun(name, True, seconds)
    finally:
        # On failure or interruption: start nothing more, let running chapters end, and
        # leave no partial folder behind (finished chapters stay cached).
        pool.shutdown(wait=True, cancel_futures=True)
        for _, work in pending.values():
            shutil.rmtree(work, ignore_errors=True)


def replace_folder(source: Path, target: Path) -> None:
    """Put `source` where `target` is, never leaving a half-written `target`."""
    old = target.with_name(f"{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    source.rename(target)
    shutil.rmtree(old, ignore_errors=True)


# Results and the site --------------------------------------------------------------------------


def read_results(source: Path | IO[str]) -> pd.DataFrame:
    """A result table as written to CSV (results/indicators.csv, a chapter's status.csv)."""
    return pd.read_csv(
        source,
        dtype={"headline": "Int64", "target_year": "Int64", "base_date": str, "latest_date": str},
        keep_default_na=False,
        na_values=[""],
    )


def chapter_downloads(root: Path, chapter: Chapter) -> Path:
    return root / CACHE_DIR / chapter.name / "downloads" / "chapters" / chapter.name


def collect_results(root: Path) -> pd.DataFrame:
    """results/indicators.csv: the domain chapters' result tables, in chapter order."""
    frames = [
        read_results(chapter_downloads(root, chapter) / "status.csv") for chapter in DOMAIN_CHAPTERS
    ]
    return pd.concat(frames, ignore_index=True)


RECORD_WORDS = {
    "title": Text("构建记录", "Build record"),
    "intro": Text(
        "本版所依据的全部输入。审阅者可用 `python -m analysis verify` 重新构建并比对"
        "（见“复现与重新运行”一章）。",
        "What this edition of the book was built from. A reviewer can rebuild it with "
        "`python -m analysis verify` and compare (chapter *Reproducing and rerunning*).",
    ),
    "inputs": Text("输入文件", "Inputs"),
    "inputs_count": Text(
        "本版依据 {count} 个输入文件。每个文件的路径及其 SHA-256 值见 {link}。",
        "This edition was built from {count} input files. The path of each and its SHA-256: "
        "{link}.",
    ),
    "inputs_link": Text("inputs.csv（下载）", "inputs.csv (download)"),
    "group": Text("类别", "Kind of input"),
    "files": Text("文件数", "Files"),
    "packages": Text("软件包", "Packages"),
    "package": Text("软件包", "Package"),
    "version": Text("版本", "Version"),
    "parameters": Text("所用参数", "Parameters in force"),
    "parameter": Text("参数", "Parameter"),
    "value": Text("所用值", "Value"),
    "parameter_files": Text(
        "各章参数文件中的取值（未写明的即为默认值，见“复现与重新运行”一章）。",
        "The values of the chapters' parameter files (a key not written takes its default: "
        "chapter *Reproducing and rerunning*).",
    ),
    "this_build": Text("本次构建", "This build"),
    "built": Text(
        "构建于 {when}；共 {total} 章，本次执行 {executed} 章，{reused} 章未变、沿用上次的"
        "执行结果；执行用时 {seconds:.1f} 秒。",
        "Built {when}; of {total} chapters, {executed} were executed and {reused} were "
        "unchanged and reused from the last build; execution time {seconds:.1f} s.",
    ),
}

# The kinds of input, by the folder a file is in (the last: every other file).
INPUT_GROUPS: tuple[tuple[str, Text], ...] = (
    ("data/", Text("数据与报告原文", "Data and the report's text")),
    ("chapters/", Text("章节笔记本", "Chapter notebooks")),
    ("parameters/", Text("参数文件", "Parameter files")),
    ("src/", Text("分析程序", "Analysis library")),
    ("book_static/", Text("网站样式", "Style of the site")),
    ("", Text("配置、依赖与结果说明", "Configuration, dependencies and the results' description")),
)
INPUTS_FILE = "inputs.csv"
RECORD_DOWNLOADS = "build_record"  # the record's downloads, in chapters/ beside its page


def input_table(root: Path) -> pd.DataFrame:
    """Every input file with its SHA-256: the record's download."""
    hashes = input_hashes(root)
    return pd.DataFrame({"file": list(hashes), "sha256": list(hashes.values())})


def input_group(path: str) -> Text:
    return next(words for prefix, words in INPUT_GROUPS if path.startswith(prefix))


def markdown_cell(text: str) -> str:
    return html.escape(text).replace("|", "\\|")


def parameter_tables(root: Path, language: Language) -> list[str]:
    """The parameters in force, in words: one column per set of values that chapters share."""
    series = pd.read_csv(root / "data" / "series.csv", dtype=str)
    names = series_names(series, language)
    groups: dict[str, tuple[dict, list[str]]] = {}
    for chapter in CHAPTERS:
        if chapter.parameter_file:
            values = load_parameters(root / chapter.parameter_file, root).model_dump()
            title = chapter.title(language)
            groups.setdefault(json.dumps(values, sort_keys=True), (values, []))[1].append(title)
    reference = parameter_reference()
    separator = "、" if language == "zh" else ", "
    value = RECORD_WORDS["value"][language]
    headers = [
        f"{value}：{separator.join(titles)}"
        if language == "zh"
        else f"{value}: {separator.join(titles)}"
        for _, titles in groups.values()
    ]
    if len(groups) == 1:
        headers = [value]
    lines = [RECORD_WORDS["parameter_files"][language], ""]
    lines += ["| " + " | ".join([RECORD_WORDS["parameter"][language], *headers]) + " |"]
    lines += ["|" + "---|" * (len(headers) + 1)]
    for key in reference["key"]:
        cells = [PARAMETER_NAMES[key][language]]
        for values, _ in groups.values():
            cells.append(setting_words(key, parameter_value(values, key), language, names))
        lines.append("| " + " | ".join(markdown_cell(cell) for cell in cells) + " |")
    return lines


def build_record(
    root: Path, seconds: float, runs: tuple[ChapterRun, ...], language: Language = "en"
) -> str:
    """The build-record page: what the book was built from, in words (the inputs by kind, with
    their hashes in a download; package versions; the parameters in force) and timing."""
    words = {key: text[language] for key, text in RECORD_WORDS.items()}
    inputs = input_table(root)
    link = f'<a href="{RECORD_DOWNLOADS}/{INPUTS_FILE}" download>{words["inputs_link"]}</a>'
    counts = inputs["file"].map(lambda path: input_group(path)[language]).value_counts()
    lines = [
        f"# {words['title']}",
        "",
        words["intro"],
        "",
        f"## {words['inputs']}",
        "",
        words["inputs_count"].format(count=len(inputs), link=link),
        "",
        f"| {words['group']} | {words['files']} |",
        "|---|---|",
    ]
    lines += [
        f"| {group[language]} | {counts[group[language]]} |"
        for _, group in INPUT_GROUPS
        if group[language] in counts
    ]
    lines += ["", f"## {words['packages']}", "", f"| {words['package']} | {words['version']} |"]
    lines += ["|---|---|"]
    lines += [f"| {name} | {version} |" for name, version in package_versions().items()]
    lines += [f"| Python | {sys.version.split()[0]} |"]
    lines += ["", f"## {words['parameters']}", ""]
    lines += parameter_tables(root, language)
    executed = [run for run in runs if run.executed]
    lines += [
        "",
        f"## {words['this_build']}",
        "",
        RECORD_WORDS["built"][language].format(
            when=time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            executed=len(executed),
            reused=len(runs) - len(executed),
            total=len(runs),
            seconds=seconds,
        ),
        "",
    ]
    return "\n".join(lines)


def sync_file(content: bytes, target: Path, wanted: set[Path]) -> None:
    """Write `content` to `target` only if it differs, so Sphinx sees unchanged pages as
    unchanged and rebuilds only what changed."""
    wanted.add(target)
    if target.is_file() and target.read_bytes() == content:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


def assemble_stage(
    root: Path,
    stage: Path,
    results: pd.DataFrame,
    record: dict[Language, str],
    pdf: bool = False,
) -> None:
    """The book's source of each edition as Sphinx reads it, in `stage/<language>`: config,
    the executed notebooks with that edition's cells and outputs, CSVs, record page. The stage
    persists between builds; only files whose bytes changed are rewritten."""
    for language in LANGUAGES:
        assemble_edition(root, stage / language, EDITIONS[language], results, record[language], pdf)


def assemble_edition(
    root: Path,
    stage: Path,
    edition: Edition,
    results: pd.DataFrame,
    record: str,
    pdf: bool = False,
) -> None:
    wanted: set[Path] = set()
    for path in site_files(root):
        content = path.read_bytes()
        relative = path.relative_to(root)
        if relative == Path("_config.yml"):
            content = edition_config(content.decode("utf-8"), edition, pdf).encode()
        elif relative == Path("_toc.yml"):
            try:
                content = edition_toc(content.decode("utf-8"), edition.language).encode()
            except UntranslatedCaption as error:
                raise BuildFailure(str(error)) from None
        sync_file(content, stage / relative, wanted)
    for path in site_downloads(root):
        sync_file(path.read_bytes(), stage / "downloads" / path.relative_to(root), wanted)
    for chapter in CHAPTERS:
        done = root / CACHE_DIR / chapter.name
        notebook = edition_notebook_bytes((done / "notebook.ipynb").read_bytes(), edition.language)
        sync_file(notebook, stage / chapter.notebook, wanted)
        for path in sorted((done / "downloads").rglob("*")):
            if path.is_file():
                relative = path.relative_to(done)
                sync_file(path.read_bytes(), stage / relative, wanted)
    sync_file(
        results.to_csv(index=False, float_format=RESULTS_FLOAT_FORMAT).encode(),
        stage / "downloads" / "results" / "indicators.csv",
        wanted,
    )
    sync_file(record.encode(), stage / "chapters" / "build_record.md", wanted)
    sync_file(
        input_table(root).to_csv(index=False).encode(),
        stage / "downloads" / "chapters" / RECORD_DOWNLOADS / INPUTS_FILE,
        wanted,
    )
    for folder in ("chapters", "downloads", STATIC_DIR):
        for path in (stage / folder).rglob("*"):
            if path.is_file() and path not in wanted:
                path.unlink()  # a file of an earlier build that this one no longer has


def run_sphinx(stages: list[Path], server: SphinxServer) -> None:
    """Build every edition's site, side by side, in processes forked by the site server."""
    failures = []
    for stage, (code, output) in zip(stages, server.build(stages), strict=True):
        if code != 0:
            lines = output.strip().splitlines()
            warnings = [line for line in lines if "WARNING" in line or "ERROR" in line]
            shown = "\n  ".join((warnings or lines)[-15:])
            failures.append(
                f"the {stage.name} edition's site build (jupyter-book) failed:\n  {shown}"
            )
    if failures:
        raise BuildFailure("\n".join(failures))


def combine_editions(stage: Path, built: Path, published: Path | None) -> None:
    """The new site: the primary edition at the root, each other under its path. A file equal
    to the published site's is hard-linked to it, not copied: published sites are never
    written to, and most of a rebuild's files (themes, scripts, unchanged pages and charts)
    are the same."""
    for language, edition in EDITIONS.items():
        target = built / edition.path if edition.path else built
        shutil.copytree(
            stage / language / "_build" / "html",
            target,
            dirs_exist_ok=True,
            copy_function=partial(link_if_published, built=built, published=published),
        )


def link_if_published(source: str, target: str, built: Path, published: Path | None) -> None:
    if published is not None:
        same = published / Path(target).relative_to(built)
        with contextlib.suppress(OSError):
            if filecmp.cmp(source, same, shallow=False):
                os.link(same, target)
                return
    shutil.copy2(source, target)


def publish(root: Path, built: Path) -> Path:
    """Swap the new site in: `_build/html` is a link replaced in one step."""
    sites = root / SITES_DIR
    sites.mkdir(parents=True, exist_ok=True)
    site = sites / f"site-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    built.rename(site)
    link = root / SITE_LINK
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)  # a plain folder from a build of an earlier layout
    temporary = link.with_name(f"html.new-{os.getpid()}")
    temporary.symlink_to(site.relative_to(link.parent))
    os.replace(temporary, link)
    for old in sites.iterdir():
        if old != site:
            shutil.rmtree(old, ignore_errors=True)
    return site


def write_results(root: Path, results: pd.DataFrame) -> None:
    target = root / RESULTS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    results.to_csv(temporary, index=False, float_format=RESULTS_FLOAT_FORMAT)
    os.replace(temporary, target)


def build(
    root: Path,
    jobs: int | None = None,
    force: bool = False,
    cold: bool = False,
    timeout: float | None = CHAPTER_TIMEOUT,
    pdf: bool = False,
    zygote: str | None = None,
    sphinx: SphinxServer | None = None,
) -> BuildReport:
    """Validate, execute what changed, build the site aside (with `pdf`, print its PDFs too)
    and publish it. When nothing changed since the published site was built (and it has its
    PDFs, if asked for), nothing is executed or rebuilt. Kernels are forked from a zygote
    unless `cold`, and the sites are built by a site server that imports Sphinx while the
    chapters execute: the caller's (`zygote`, the address of one, and `sphinx`; the command
    starts them before it imports this module, the preview keeps them between builds), else
    the build's own. `timeout`: the seconds a cell may run."""
    started = time.perf_counter()
    root = root.resolve()
    validate_inputs(root)
    problem = chromium_problem() if pdf else None
    if problem:
        raise BuildFailure(f"cannot print the PDFs: {problem}")
    with build_lock(root), contextlib.ExitStack() as stack:
        server = sphinx or stack.enter_context(SphinxServer(root))
        runs = execute_changed(
            root, list(CHAPTERS), jobs or os.cpu_count() or 1, force, cold, timeout, zygote
        )
        key = site_key(root)
        key_file = root / SITE_KEY_FILE
        site = published_site(root)
        current = key_file.is_file() and key_file.read_text().strip() == key
        if site is not None and pdf and not published_pdfs(site):
            current = False  # the same pages, now with their PDFs and the links to them
        if site is not None and current and not force:
            return BuildReport(runs, time.perf_counter() - started, site, site_built=False)
        results = collect_results(root)
        stage = root / STAGE_DIR
        complete = stage / ".complete"
        if force or not complete.is_file():
            shutil.rmtree(stage, ignore_errors=True)  # from scratch, or after an interruption
        stage.mkdir(parents=True, exist_ok=True)
        complete.unlink(missing_ok=True)
        elapsed = time.perf_counter() - started
        record = {language: build_record(root, elapsed, runs, language) for language in LANGUAGES}
        assemble_stage(root, stage, results, record, pdf)
        run_sphinx([stage / language for language in LANGUAGES], server)
        complete.touch()
        built = root / BUILD_DIR / f"site.new-{os.getpid()}"
        pdfs: list[EditionPdf] = []
        try:
            combine_editions(stage, built, site)
            if pdf:
                try:
                    pdfs = print_site(built, (root / "_toc.yml").read_text(encoding="utf-8"))
                except PdfFailure as error:
                    raise BuildFailure(f"printing the PDFs failed: {error}") from None
            site = publish(root, built)
        finally:
            shutil.rmtree(built, ignore_errors=True)
        write_results(root, results)
        key_file.write_text(key + "\n")
    return BuildReport(runs, time.perf_counter() - started, site, pdfs=tuple(pdfs))


def copy_sources(root: Path, destination: Path) -> None:
    """Every input of the build, copied into `destination` (what `verify` rebuilds from)."""
    for path in all_inputs(root):
        target = destination / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def verify(root: Path, jobs: int | None = None) -> tuple[pd.DataFrame, int]:
    """Re-execute the whole book from scratch in a temporary folder, each kernel started cold
    (nothing of the warm machinery), and compare its results with the committed
    results/indicators.csv. Returns the differences and the series count."""
    root = root.resolve()
    published_path = root / RESULTS_FILE
    if not published_path.is_file():
        raise InputError([Problem(RESULTS_FILE, "file is missing: nothing to verify")])
    published = read_results(published_path)
    with tempfile.TemporaryDirectory(prefix="analysis-verify-") as scratch:
        copy = Path(scratch) / "project"
        copy_sources(root, copy)
        build(copy, jobs=jobs, force=True, cold=True)  # as a reader's machine runs it
        recomputed = read_results(copy / RESULTS_FILE)
    return compare_results(published, recomputed), len(published)
