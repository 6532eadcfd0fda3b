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
        "series_id,target_year,comparator,value,source,source_zh\nnope,1999,=>,abc,,\n",
        encoding="utf-8",
    )
    _, _, problems = validate(minimal_project)
    columns = {problem.column for problem in problems if problem.file == "data/targets.csv"}
    assert columns == {"series_id", "target_year", "comparator", "value", "source", "source_zh"}


OUTSIDE_ROW = (
    "dibao_standard_rural,2015,183.33,,,,一.1,rural 2200 -> 7500 元/人·年,"
    '"《宿州市“十四五”民政事业发展规划》, 宿民发〔2022〕86号, 宿州市民政局, issued 2022-12-12",'
    "{source_zh},outside figure; converted 2200 元/人·年 / 12 = 183.33 元/人·月\n"
)


def test_an_outside_figure_without_its_chinese_citation_is_one_clear_problem(
    minimal_project: Path,
) -> None:
    path = minimal_project / "data" / "observations.csv"
    lines = len(path.read_text(encoding="utf-8").splitlines())
    with path.open("a", encoding="utf-8") as handle:
        handle.write(OUTSIDE_ROW.format(source_zh=""))
    _, _, problems = validate(minimal_project)
    assert len(problems) == 1, problems
    text = str(problems[0])
    assert text.startswith(f"data/observations.csv:{lines + 1}: column 'source_zh': is empty;")
    assert "citation in Chinese" in text


def test_an_outside_figure_with_its_chinese_citation_loads(minimal_project: Path) -> None:
    path = minimal_project / "data" / "observations.csv"
    citation = (
        "《宿州市“十四五”民政事业发展规划》（宿民发〔2022〕86号），宿州市民政局，2022年12月12日印发"
    )
    with path.open("a", encoding="utf-8") as handle:
        handle.write(OUTSIDE_ROW.format(source_zh=citation))
    observations = load_dataset(minimal_project).observations
    assert observations["source_zh"].iloc[-1] == citation
    assert set(observations.loc[observations["source"] == "report", "source_zh"]) == {""}


def test_a_figure_of_the_report_has_no_chinese_citation(minimal_project: Path) -> None:
    path = minimal_project / "data" / "observations.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",report,,", ",report,评估报告,", 1), encoding="utf-8")
    _, _, problems = validate(minimal_project)
    assert [(p.file, p.line, p.column) for p in problems] == [
        ("data/observations.csv", 2, "source_zh")
    ]


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
