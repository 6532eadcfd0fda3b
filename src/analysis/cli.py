"""Command line: `python -m analysis check | build [--pdf] | run | verify | preview`.

Exit codes: 0 success, 1 a failure while working (a chapter or the site build failed; nothing
was published), 2 a usage or input error (bad data or parameters), 3 another build is running.
A sweep (`run` with several parameter files) exits with 2 when a file was bad and 1 when a
chapter failed, after running and comparing the others.
Mistakes in input are printed as one line per problem, never as a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.core.problems import InputError, Problem
from analysis.inputs.chapters import CHAPTER_BY_NAME
from analysis.runner.state import (
    CHAPTER_TIMEOUT,
    RESULTS_FILE,
    SITE_LINK,
    BuildBusy,
    BuildFailure,
    unchanged_build,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from analysis.inputs.dataset import Dataset
    from analysis.inputs.parameters import Parameters
    from analysis.runner.scenarios import SweepReport

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INPUT_ERROR = 2
EXIT_BUSY = 3


def positive_int(text: str) -> int:
    """--jobs: a whole number of at least 1 (0 or a negative number used to pass unseen)."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{number} is below 1; give at least 1")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="project folder (default: current folder)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate the data and parameter files, print coverage")
    build = commands.add_parser("build", help="execute the chapters and build the website")
    build.add_argument(
        "--jobs", type=positive_int, default=None, help="parallel chapters (default: cores)"
    )
    build.add_argument("--force", action="store_true", help="execute every chapter again")
    build.add_argument(
        "--pdf",
        action="store_true",
        help="also print each edition to one PDF (headless Chromium), linked from every page",
    )
    build.add_argument(
        "--cold",
        action="store_true",
        help="start each chapter's kernel anew instead of forking it from a warm process",
    )
    build.add_argument(
        "--timeout",
        type=positive_int,
        default=CHAPTER_TIMEOUT,
        help=f"seconds a chapter's cell may run before the build stops (default {CHAPTER_TIMEOUT})",
    )
    run = commands.add_parser(
        "run",
        help="run one chapter with other parameter files, leaving the book alone; with "
        "several files, side by side, and compare them",
    )
    run.add_argument("chapter", help="chapter name, e.g. social_assistance")
    run.add_argument(
        "--params",
        type=Path,
        nargs="+",
        required=True,
        help="a parameter file (YAML); several: a sweep, each into a folder named after its "
        "file, compared in comparison.html and comparison.csv",
    )
    run.add_argument("--out", type=Path, required=True, help="folder for the results")
    run.add_argument("--cold", action="store_true", help="start the chapter's kernel anew")
    run.add_argument(
        "--jobs", type=positive_int, default=None, help="scenarios side by side (default: cores)"
    )
    verify = commands.add_parser(
        "verify",
        help="re-execute everything from scratch in a temporary folder and compare with "
        "results/indicators.csv",
    )
    verify.add_argument("--jobs", type=positive_int, default=None, help="parallel chapters")
    preview = commands.add_parser(
        "preview",
        help="serve the site on 127.0.0.1 and rebuild it (and reload the page) on every save",
    )
    preview.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any)")
    preview.add_argument("--jobs", type=positive_int, default=None, help="parallel chapters")
    return parser


def report_parameters(parameters: Mapping[str, Parameters], latest_year: int) -> list[str]:
    """What `check` says of the parameter files: that they are valid, what each changes, and
    a target year before `latest_year` (the data's latest figures): a series observed by then
    shows its latest value, not a projection."""
    from analysis.inputs.parameters import Parameters, changed_settings

    defaults = Parameters()
    lines = [f"parameters: OK, {len(parameters)} files (parameters/<chapter>.yaml)"]
    changes = {name: changed_settings(p) for name, p in parameters.items()}
    changed = {name: settings for name, settings in changes.items() if settings}
    if not changed:
        return [
            *lines,
            f"  every chapter uses the defaults: target year {defaults.target_year}, base year "
            f"{defaults.base_year}, every observation (no as_of)",
        ]
    lines.append("  changed from the defaults:")
    for name, settings in changed.items():
        shown = "; ".join(f"{key}: {value}" for key, value in settings.items())
        lines.append(f"    {name}: {shown}")
        year = parameters[name].target_year
        if year < latest_year:
            lines.append(
                f"      note: target year {year} is before the data's latest figures "
                f"({latest_year}): a series observed by {year} shows its latest value, not a "
                "projection"
            )
    return lines


def latest_city_year(dataset: Dataset) -> int:
    """The year of the latest figure of a Suzhou series (outside references, such as the
    national 2030 aims, are not projected)."""
    kinds = dataset.series.set_index("series_id")["kind"]
    observations = dataset.observations
    city = observations[observations["series_id"].map(kinds) != "reference"]
    return int(city["date"].str[:4].astype(int).max())


def report_check(dataset: Dataset, parameters: Mapping[str, Parameters]) -> str:
    """The data, parameters, coverage and audit summary printed by `check`."""
    from analysis.inputs.dataset import coverage_table
    from analysis.methods.audit import run_audit

    coverage = coverage_table(dataset)
    audit = run_audit(dataset.observations, dataset.series, dataset.relations, dataset.targets)
    failed = audit[audit["passed"].eq(False).fillna(False)]
    unverifiable = audit[audit["passed"].isna()]
    lines = [
        "data: OK",
        f"series: {len(dataset.series)}, observations: {len(dataset.observations)}, "
        f"targets: {len(dataset.targets)}, relations: {len(dataset.relations)}, "
        f"repairs: {len(dataset.repairs)}",
        *report_parameters(parameters, latest_city_year(dataset)),
        "",
        coverage.to_string(index=False),
        "",
        f"audit: {len(audit)} checks: {int(audit['passed'].sum())} passed, {len(failed)} failed, "
        f"{len(unverifiable)} cannot be verified (the report lacks a figure they need, or its "
        "words leave the answer open); "
        "failures are findings about the report, shown in the book",
    ]
    lines += [f"  FAILED {row.check_id}: {row.description}" for row in failed.itertuples()]
    lines += [f"  CANNOT VERIFY {row.check_id}: {row.note}" for row in unverifiable.itertuples()]
    return "\n".join(lines)


class StopOnSignal:
    """SIGINT and SIGTERM end a build through the same clean-up (a KeyboardInterrupt).

    Only the first signal interrupts: the clean-up it starts (waiting for the running chapters,
    removing partial folders) must not be cut short by a second Ctrl-C, which used to leave
    partial folders behind and hang the process on exit."""

    def __init__(self) -> None:
        self.stopping = False

    def __call__(self, signum: int, frame: object) -> None:
        if self.stopping:
            os.write(
                sys.stderr.fileno(),
                b"still stopping: waiting for the running chapters to end, then cleaning up\n",
            )
            return
        self.stopping = True
        raise KeyboardInterrupt


def command_line_problems(args: argparse.Namespace) -> list[Problem]:
    """Arguments that name something that is not there, found before any work starts."""
    root: Path = args.root
    if not root.is_dir():
        what = "is not a folder" if root.exists() else "does not exist"
        return [Problem("command line", f"{root} {what}; give the project folder", None, "--root")]
    if not any((root / name).is_dir() for name in ("data", "parameters", "chapters")):
        return [
            Problem(
                "command line",
                f"{root} is not a project folder (it has no data/, parameters/ or chapters/); "
                "give the folder that holds them",
                None,
                "--root",
            )
        ]
    if args.command != "run":
        return []
    problems = []
    if args.chapter not in CHAPTER_BY_NAME:
        # only the chapters with parameters can be run with other ones
        runnable = [name for name, chapter in CHAPTER_BY_NAME.items() if chapter.parameter_file]
        close = difflib.get_close_matches(args.chapter, runnable, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        problems.append(
            Problem(
                "command line",
                f"unknown chapter '{args.chapter}'; {hint}chapters with parameters: "
                f"{', '.join(runnable)}",
                None,
                "CHAPTER",
            )
        )
    if len(args.params) > 1:
        return problems + out_problems(args.out)  # a sweep reports each bad file and goes on
    params: Path = args.params[0]
    if not params.exists():
        problems.append(
            Problem(
                "command line",
                f"{params} does not exist; give a parameter file (YAML), e.g. a copy of "
                f"parameters/{args.chapter if args.chapter in CHAPTER_BY_NAME else '<chapter>'}"
                ".yaml",
                None,
                "--params",
            )
        )
    elif not params.is_file():
        problems.append(
            Problem(
                "command line",
                f"{params} is a folder; give a parameter file (YAML)",
                None,
                "--params",
            )
        )
    return problems + out_problems(args.out)


def out_problems(out: Path) -> list[Problem]:
    existing = next((folder for folder in (out, *out.parents) if folder.exists()), None)
    if existing is not None and not existing.is_dir():
        where = "is a file" if existing == out else f"is inside {existing}, which is a file"
        return [
            Problem("command line", f"{out} {where}; give a folder for the results", None, "--out")
        ]
    return []


def report_sweep(sweep: SweepReport, count: int, out: Path) -> int:
    """One line per scenario that did not run, then what ran and where the comparison is.
    Exit code: 2 when a file was bad, 1 when a chapter failed, 0 when every scenario ran."""
    for scenario in sweep.bad_files:
        for problem in scenario.problems:
            print(f"error: scenario '{scenario.name}': {problem}", file=sys.stderr)
    for name, reason in sweep.failed.items():
        print(f"error: scenario '{name}': {reason}", file=sys.stderr)
    ran = ", ".join(scenario.name for scenario in sweep.ran) or "none"
    print(f"{len(sweep.ran)} of {count} scenarios ran ({ran}), each in {out}/<scenario>/")
    if sweep.pages:
        print("comparison: " + ", ".join(str(out / page.name) for page in sweep.pages))
    if sweep.earlier:
        print(
            f"note: {out} also holds {', '.join(sweep.earlier)} from an earlier run, "
            "not part of this comparison"
        )
    not_run = len(sweep.bad_files) + len(sweep.failed)
    if not_run:
        print(f"{not_run} scenario(s) did not run; see the errors above.", file=sys.stderr)
    if sweep.bad_files:
        return EXIT_INPUT_ERROR
    return EXIT_FAILURE if sweep.failed else EXIT_OK


def report_input_error(problems: list[Problem]) -> int:
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    print(f"{len(problems)} problem(s) found; nothing was changed.", file=sys.stderr)
    return EXIT_INPUT_ERROR


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    stop = StopOnSignal()
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    problems = command_line_problems(args)
    if problems:
        return report_input_error(problems)
    try:
        if args.command == "build":
            # Nothing changed since the published site: answered without loading the library
            # (a build asked for its PDFs goes on, to print them if the site has none).
            report = None if args.force or args.pdf else unchanged_build(args.root)
            if report is None:
                from analysis.runner.sphinx_server import SphinxServer
                from analysis.runner.warm import warm_zygote

                # The zygote and the site server import their libraries while this process
                # imports its own and checks the inputs.
                root = args.root.resolve()
                with warm_zygote(root, args.cold) as zygote, SphinxServer(root) as sphinx:
                    from analysis.runner.build import build

                    report = build(
                        root,
                        jobs=args.jobs,
                        force=args.force,
                        cold=args.cold,
                        timeout=args.timeout,
                        pdf=args.pdf,
                        zygote=zygote,
                        sphinx=sphinx,
                    )
            site = "rebuilt" if report.site_built else "unchanged (nothing changed)"
            print(
                f"built {len(report.runs)} chapters ({len(report.executed)} executed: "
                f"{', '.join(report.executed) or 'none'}) in {report.seconds:.1f} s; "
                f"site {site}: {SITE_LINK}/index.html; results: {RESULTS_FILE}"
            )
            for made in report.pdfs:
                print(
                    f"PDF ({made.language}): {SITE_LINK}/{made.path}, {made.pages} pages, "
                    f"printed in {made.seconds:.0f} s"
                )
                for wide in made.wide:
                    print(f"  wider than the page: {wide}", file=sys.stderr)
        elif args.command == "check":
            from analysis.runner.build import validate_inputs

            dataset, parameters = validate_inputs(args.root)
            print(report_check(dataset, parameters))
        elif args.command == "verify":
            from analysis.runner.build import verify

            differences, count = verify(args.root, jobs=args.jobs)
            if not differences.empty:
                print(differences.to_string(index=False))
                print(
                    f"NOT reproduced: {len(differences)} difference(s) between "
                    f"{RESULTS_FILE} and a fresh build",
                    file=sys.stderr,
                )
                return EXIT_FAILURE
            print(f"reproduced: all {count} series of {RESULTS_FILE} equal a fresh build")
        elif args.command == "preview":
            from analysis.runner.build import build
            from analysis.runner.preview import serve
            from analysis.runner.sphinx_server import KeptSphinxServer
            from analysis.runner.warm import KeptZygote

            # One zygote and one site server for every rebuild: a save pays for the chapter it
            # changed and the pages it changed, not for importing the libraries again (new
            # ones when the library itself changed).
            zygote = KeptZygote(args.root.resolve())
            sphinx = KeptSphinxServer(args.root.resolve())
            try:
                zygote.current()  # they import while the first build checks the inputs
                sphinx.current()

                def rebuild(root: Path) -> object:
                    return unchanged_build(root) or build(
                        root, jobs=args.jobs, zygote=zygote.current(), sphinx=sphinx.current()
                    )

                serve(args.root, args.port, rebuild)
            except KeyboardInterrupt:
                print("preview stopped; the site is as last built.", file=sys.stderr)
            finally:
                sphinx.stop()
                zygote.stop()
        elif args.command == "run":
            from analysis.runner.warm import scenario_zygote

            # The zygote imports the chapters' libraries while this process imports its own.
            with scenario_zygote(args.root.resolve(), args.cold) as zygote:
                from analysis.runner.scenarios import run_scenario, run_sweep

                if len(args.params) > 1:
                    sweep = run_sweep(
                        args.root, args.chapter, args.params, args.out, zygote, args.jobs
                    )
                    return report_sweep(sweep, len(args.params), args.out)
                notebook = run_scenario(args.root, args.chapter, args.params[0], args.out, zygote)
            print(f"scenario written: {notebook} (and its CSVs under {args.out}/downloads)")
    except BuildBusy as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BUSY
    except BuildFailure as error:
        print(f"error: {error}", file=sys.stderr)
        print("nothing was published; the previous site is unchanged.", file=sys.stderr)
        return EXIT_FAILURE
    except InputError as error:
        return report_input_error(error.problems)
    except KeyboardInterrupt:
        print(
            "interrupted: nothing was published; the previous site and results are unchanged.",
            file=sys.stderr,
        )
        return 130
    except OSError as error:  # a disk, a permission or a path problem: one line, no traceback
        place = f"{error.filename}: " if error.filename else ""
        print(f"error: {place}{error.strerror or error}", file=sys.stderr)
        print(
            "stopped: fix the path, the permission or the free space, then run again.",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    return EXIT_OK
