"""Command line: `python -m analysis check | build | run | verify`.

Exit codes: 0 success, 1 a failure while working (a chapter or the site build failed; nothing
was published), 2 a usage or input error (bad data or parameters), 3 another build is running.
Mistakes in input are printed as one line per problem, never as a traceback.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from analysis.build import (
    RESULTS_FILE,
    SITE_LINK,
    BuildBusy,
    BuildFailure,
    build,
    run_scenario,
    validate_inputs,
    verify,
)
from analysis.data import Dataset, coverage_table, load_dataset
from analysis.problems import InputError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INPUT_ERROR = 2
EXIT_BUSY = 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="project folder (default: current folder)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate the data and parameter files, print coverage")
    build = commands.add_parser("build", help="execute the chapters and build the website")
    build.add_argument("--jobs", type=int, default=None, help="parallel chapters (default: cores)")
    build.add_argument("--force", action="store_true", help="execute every chapter again")
    run = commands.add_parser(
        "run", help="run one chapter with another parameter file, leaving the book alone"
    )
    run.add_argument("chapter", help="chapter name, e.g. social_assistance")
    run.add_argument("--params", type=Path, required=True, help="a parameter file (YAML)")
    run.add_argument("--out", type=Path, required=True, help="folder for the results")
    verify = commands.add_parser(
        "verify",
        help="re-execute everything from scratch in a temporary folder and compare with "
        "results/indicators.csv",
    )
    verify.add_argument("--jobs", type=int, default=None, help="parallel chapters")
    return parser


def report_check(dataset: Dataset) -> str:
    """The coverage and audit summary printed by `check`."""
    from analysis.audit import run_audit

    coverage = coverage_table(dataset)
    audit = run_audit(dataset.observations, dataset.series, dataset.relations)
    failed = audit[audit["passed"].eq(False).fillna(False)]
    unverifiable = audit[audit["passed"].isna()]
    lines = [
        "data: OK",
        f"series: {len(dataset.series)}, observations: {len(dataset.observations)}, "
        f"targets: {len(dataset.targets)}, relations: {len(dataset.relations)}, "
        f"repairs: {len(dataset.repairs)}",
        "",
        coverage.to_string(index=False),
        "",
        f"audit: {len(audit)} checks: {int(audit['passed'].sum())} passed, {len(failed)} failed, "
        f"{len(unverifiable)} cannot be verified (the report lacks a figure they need); "
        "failures are findings about the report, shown in the book",
    ]
    lines += [f"  FAILED {row.check_id}: {row.description}" for row in failed.itertuples()]
    lines += [f"  NO DATA {row.check_id}: {row.note}" for row in unverifiable.itertuples()]
    return "\n".join(lines)


def stop_on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM ends a build like Ctrl-C does: through the same clean-up."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    try:
        if args.command == "check":
            validate_inputs(args.root)
            print(report_check(load_dataset(args.root)))
        elif args.command == "build":
            report = build(args.root, jobs=args.jobs, force=args.force)
            site = "rebuilt" if report.site_built else "unchanged (nothing changed)"
            print(
                f"built {len(report.runs)} chapters ({len(report.executed)} executed: "
                f"{', '.join(report.executed) or 'none'}) in {report.seconds:.1f} s; "
                f"site {site}: {SITE_LINK}/index.html; results: {RESULTS_FILE}"
            )
        elif args.command == "verify":
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
        elif args.command == "run":
            notebook = run_scenario(args.root, args.chapter, args.params, args.out)
            print(f"scenario written: {notebook} (and its CSVs under {args.out}/downloads)")
    except BuildBusy as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BUSY
    except BuildFailure as error:
        print(f"error: {error}", file=sys.stderr)
        print("nothing was published; the previous site is unchanged.", file=sys.stderr)
        return EXIT_FAILURE
    except InputError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found; nothing was changed.", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except KeyboardInterrupt:
        print(
            "interrupted: nothing was published; the previous site and results are unchanged.",
            file=sys.stderr,
        )
        return 130
    return EXIT_OK
