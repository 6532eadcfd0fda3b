"""Each validation rule, shown by a small bad file (tests/bad_data/<case>/) put into a copy of
a valid minimal project, then `python -m analysis check` run on it as a user would."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from conftest import copy_minimal_project, run_cli

from analysis.inputs.dataset import load_dataset, numbers_in_text, validate

BAD_DATA = Path(__file__).parent / "bad_data"
CASES = sorted(path.name for path in BAD_DATA.iterdir() if path.is_dir())


def checksums(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_there_is_a_bad_file_for_each_rule() -> None:
    assert len(CASES) >= 12


def test_the_minimal_project_is_valid(minimal_project: Path) -> None:
    _, _, problems = validate(minimal_project)
    assert problems == []


@pytest.mark.parametrize("case", CASES)
def test_bad_file_is_rejected_with_file_line_and_column(case: str, tmp_path: Path) -> None:
    project = copy_minimal_project(tmp_path / "project")
    shutil.copytree(BAD_DATA / case / "data", project / "data", dirs_exist_ok=True)
    where, fragment = (BAD_DATA / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    before = checksums(project)

    result = run_cli("--root", str(project), "check")

    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    problem_lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert any(where in line and fragment in line for line in problem_lines), result.stderr
    assert checksums(project) == before, "check must never change an input file"


def test_byte_order_mark_and_blank_lines_are_read_correctly(minimal_project: Path) -> None:
    path = minimal_project / "data" / "observations.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes("\ufeff".encode() + text.replace("\n", "\n\n", 2).encode())
    dataset = load_dataset(minimal_project)
    assert list(dataset.observations.columns[:3]) == ["series_id", "date", "t"]
    assert dataset.observations["value"].iloc[0] == 625.0


def test_all_problems_are_reported_at_once(minimal_project: Path) -> None:
    path = minimal_project / "data" / "targets.csv"
    path.write_text(
        "series_id,target_year,comparator,value,source\nnope,1999,=>,abc,\n", encoding="utf-8"
    )
    _, _, problems = validate(minimal_project)
    columns = {problem.column for problem in problems if problem.file == "data/targets.csv"}
    assert columns == {"series_id", "target_year", "comparator", "value", "source"}


def test_missing_file_is_named(minimal_project: Path) -> None:
    (minimal_project / "data" / "relations.csv").unlink()
    result = run_cli("--root", str(minimal_project), "check")
    assert result.returncode == 2
    assert "error: data/relations.csv: file is missing" in result.stderr


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("全市社会组织专职工作人员数量为2.1万人", 21000.0),  # 2.1 x 10^4
        ("累计发放生活补贴救助资金1.55亿元", 155000000.0),  # 1.55 x 10^8
        ("为全市千余名残疾人提供", 1000.0),  # 千 = 1000
        ("覆盖率达到62.5%", 62.5),
    ],
)
def test_numbers_in_text_reads_units_of_ten_thousand(text: str, number: float) -> None:
    assert number in numbers_in_text(text)
