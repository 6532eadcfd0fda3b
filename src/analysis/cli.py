"""Command line: `python -m analysis check`.

Exit codes: 0 success, 1 a failure while working, 2 a usage or input error (bad data or
parameters). Mistakes in input are printed as one line per problem, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.data import Dataset, coverage_table, load_dataset
from analysis.problems import InputError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INPUT_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="project folder (default: current folder)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate the data files and print what they cover")
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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check":
            print(report_check(load_dataset(args.root)))
    except InputError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found; nothing was changed.", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except KeyboardInterrupt:
        print("interrupted; nothing was changed.", file=sys.stderr)
        return 130
    return EXIT_OK
