"""Bad input, end to end: a clear message, nothing lost.

Each folder of tests/bad_inputs/ is one mistake an analyst can make, written as the change it
makes to a copy of a built project (see `place_case`): a file that replaces the project's file
of the same path, `X.edit` (lines of X replaced), `X.gbk` (X saved in GBK) or `X.missing` (X
removed); a folder where a file was stands in for an unreadable file, since tests run as root
and chmod 000 stops nothing. Its expected.txt says:

    line 1  the exit code
    line 2  a fragment of the message (on stderr; on stdout for a run that must succeed)
    line 3  the location prefix "file:line: column 'key'" of that message, or empty; {line}
            stands for the line an edit file changed
    line 4  the command, optional (default `build`); {root} is the project copy, {tmp} a
            scratch folder; `--root <copy>` is put in front unless the command gives --root

The real command runs on the copy. A failed run must leave the published site (its link and
every byte of it), results/indicators.csv and every input file as they were, with no traceback
and no half-made folder. A run that must succeed (a byte-order mark, blank lines) must not change
an input file either, and, the data being the same, must give the same results.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import run_cli

from analysis.runner.build import RESULTS_FILE, SITE_LINK

BAD_INPUTS = Path(__file__).parent / "bad_inputs"
CASES = sorted(path.name for path in BAD_INPUTS.iterdir() if path.is_dir())
INPUT_FOLDERS = ("data", "parameters", "chapters")
MISSING = ".missing"
EDIT = ".edit"
GBK = ".gbk"
# Half-made things a build may create: none may be left after any run.
LEFTOVER = re.compile(r"\.partial-\d+$|^stage-\d+$|^site\.new-\d+$|^html\.new-\d+$|\.old-\d+$")
# Valid inputs the book cannot take yet; the test turns into a failure once it is fixed.
KNOWN_BUGS: dict[str, str] = {}  # case -> why it fails today (a strict xfail)

pytestmark = pytest.mark.book


@dataclass(frozen=True)
class Expected:
    code: int
    fragment: str
    location: str
    command: str


def read_expected(case: str) -> Expected:
    lines = (BAD_INPUTS / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    lines += [""] * (4 - len(lines))
    return Expected(int(lines[0]), lines[1], lines[2], lines[3] or "build")


def case_files(case: str) -> list[Path]:
    """The files of a case, relative to its folder (expected.txt aside)."""
    folder = BAD_INPUTS / case
    return sorted(
        path.relative_to(folder)
        for path in folder.rglob("*")
        if path.is_file() and path.relative_to(folder) != Path("expected.txt")
    )


def place_case(case: str, project: Path) -> int | None:
    """Make the case's change to the project copy. A file replaces the project's file of the
    same path; `X.missing` removes X; `X.edit` replaces lines of X (a "- " line, then the
    "+ " lines that stand instead); `X.gbk` saves X in GBK. Returns the line of the first
    edit (for `{line}` in expected.txt), or None."""
    first_line = None
    for relative in case_files(case):
        source = BAD_INPUTS / case / relative
        if relative.suffix in (MISSING, EDIT, GBK):
            target = project / relative.with_suffix("")
            assert target.is_file(), f"{case}: {target} is not there to change"
            if relative.suffix == MISSING:
                target.unlink()
            elif relative.suffix == GBK:
                target.write_bytes(target.read_text(encoding="utf-8").encode("gbk"))
            else:
                line = apply_edit(source, target)
                first_line = line if first_line is None else min(first_line, line)
            continue
        target = project / relative
        for folder in reversed(target.parents):  # a folder in place of a file
            if folder.is_file():
                folder.unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return first_line


def apply_edit(edit: Path, target: Path) -> int:
    """Replace the lines an edit file names; each must occur exactly once in the target."""
    lines = target.read_text(encoding="utf-8").split("\n")
    blocks: list[tuple[str, list[str]]] = []
    for raw in edit.read_text(encoding="utf-8").splitlines():
        if raw.startswith("- "):
            blocks.append((raw[2:], []))
        elif raw.startswith("+ ") or raw == "+":
            blocks[-1][1].append(raw[2:])
        else:
            assert raw.startswith("#") or not raw.strip(), f"{edit}: unreadable line {raw!r}"
    first = len(lines)
    for old, new in blocks:
        where = [i for i, line in enumerate(lines) if line == old]
        assert len(where) == 1, f"{edit}: the line to replace is not once in {target.name}: {old}"
        lines[where[0] : where[0] + 1] = new
        first = min(first, where[0])
    target.write_text("\n".join(lines), encoding="utf-8")
    return first + 1


def input_checksums(project: Path) -> dict[str, str]:
    """sha256 of every file under data/, parameters/ and chapters/."""
    return {
        str(path.relative_to(project)): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in INPUT_FOLDERS
        for path in sorted((project / folder).rglob("*"))
        if path.is_file()
    }


@dataclass(frozen=True)
class Site:
    """The published site: where the link points and the sha256 of every file it holds."""

    target: str
    files: dict[str, str]


def site_state(project: Path) -> Site:
    link = project / SITE_LINK
    root = link.resolve()
    return Site(
        os.readlink(link),
        {
            str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*"))
            if path.is_file()
        },
    )


def assert_site_unchanged(project: Path, before: Site) -> None:
    after = site_state(project)
    assert after.target == before.target, "the _build/html link was replaced"
    for page in ("index.html", "chapters/overview.html", "searchindex.js"):
        assert after.files[page] == before.files[page], f"{page} changed"
    assert after.files == before.files, "a file of the published site changed"


def assert_site_complete(project: Path) -> None:
    site = project / SITE_LINK
    assert site.is_symlink(), "_build/html is not a link"
    for page in ("index.html", "chapters/overview.html", "searchindex.js"):
        assert (site / page).is_file(), f"the published site lacks {page}"


def leftovers(project: Path) -> list[str]:
    """Half-made folders or files of a build: partial chapters, stages, new sites or links."""
    build = project / "_build"
    places = [build, build / "cache", build / "sites"]
    return sorted(
        str(path.relative_to(project))
        for place in places
        if place.is_dir()
        for path in place.iterdir()
        if LEFTOVER.search(path.name)
    )


def results_bytes(project: Path) -> bytes:
    return (project / RESULTS_FILE).read_bytes()


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project (the site link is relative, so it stays valid)."""
    copy = tmp_path / "project"
    shutil.copytree(built, copy, symlinks=True)
    return copy


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 25
    for case in CASES:
        expected = read_expected(case)
        assert expected.code in (0, 1, 2, 3), case
        assert expected.fragment, f"{case}: no message fragment"


def test_known_bugs_are_cases() -> None:
    assert set(KNOWN_BUGS) <= set(CASES)


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(case, marks=pytest.mark.xfail(reason=KNOWN_BUGS[case], strict=True))
        if case in KNOWN_BUGS
        else case
        for case in CASES
    ],
)
def test_bad_input_gives_a_clear_message_and_loses_nothing(
    case: str, project: Path, tmp_path: Path
) -> None:
    expected = read_expected(case)
    site_before = site_state(project)
    results_before = results_bytes(project)
    edited_line = place_case(case, project)
    inputs_before = input_checksums(project)
    command = shlex.split(expected.command.format(root=project, tmp=tmp_path))
    if "--root" not in command:
        command = ["--root", str(project), *command]

    result = run_cli(*command, cwd=tmp_path)

    output = result.stdout + result.stderr
    assert result.returncode == expected.code, output
    assert "Traceback" not in output
    assert input_checksums(project) == inputs_before, "an input file was changed"
    assert leftovers(project) == []
    if expected.code == 0:
        assert expected.fragment in result.stdout, output
        assert_site_complete(project)
        if not any(relative.parts[0] == "parameters" for relative in case_files(case)):
            assert results_bytes(project) == results_before, "the same data gave other results"
        return
    assert expected.fragment in result.stderr, output
    if expected.location:
        location = expected.location.format(root=project, tmp=tmp_path, line=edited_line)
        lines = [line for line in result.stderr.splitlines() if expected.fragment in line]
        assert any(line.startswith(f"error: {location}") for line in lines), result.stderr
    assert_site_unchanged(project, site_before)
    assert results_bytes(project) == results_before, "results/indicators.csv changed"


def test_an_unknown_chapter_is_answered_with_the_chapters_that_can_be_run() -> None:
    """`run` varies a chapter's parameters: the list offered names only chapters that have
    them (methodology, reproducing and data_appendix have none)."""
    import argparse

    from analysis.cli import command_line_problems
    from analysis.inputs.chapters import CHAPTERS

    args = argparse.Namespace(
        root=Path(__file__).resolve().parents[1],
        command="run",
        chapter="social_assistence",
        params=[Path("parameters/social_assistance.yaml")],
        out=Path("/tmp/scenario"),
    )
    (problem,) = command_line_problems(args)
    message = problem.message
    assert "did you mean 'social_assistance'?" in message
    listed = message.split("chapters with parameters: ")[1].split(", ")
    assert listed == [c.name for c in CHAPTERS if c.parameter_file]
    assert "methodology" not in listed and "data_appendix" not in listed
