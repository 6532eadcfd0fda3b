"""Scenario sweeps: `python -m analysis run CHAPTER --params a.yaml b.yaml ... --out DIR`.

The comparison's pieces are tested on small tables made here; one real sweep of the social
assistance chapter (five scenario files and one bad one) is checked against values worked out
by hand from the report's figures, and its scenarios dated "as of" earlier dates are checked to
show nothing later. A single file still runs as one scenario, into the folder itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import PROJECT, run_cli

from analysis.book.scenarios import (
    DIFFERS,
    comparison_page,
    comparison_table,
    parameters_table,
    quantity_table,
    summary_text,
)
from analysis.core.dates import fractional_year
from analysis.core.problems import InputError
from analysis.inputs.parameters import Parameters
from analysis.runner.scenarios import output_folder

CHAPTER = "social_assistance"


def status(**columns: list) -> pd.DataFrame:
    base = {
        "series_id": ["a", "b"],
        "headline": [1, None],
        "name_zh": ["甲", "乙"],
        "name_en": ["A", "B"],
        "unit": ["元", "%"],
        "interval_kind": ["none", "none"],
        "projected_low": [None, None],
        "projected_high": [None, None],
        "flags": ["", ""],
        "target_value": [None, None],
        "category": ["substantial_progress", "not_assessed"],
        "required_cagr": [None, None],
    }
    return pd.DataFrame({**base, **columns})


def test_the_comparison_has_a_row_per_series_and_scenario_in_the_order_given() -> None:
    statuses = {
        "z-first": status(projected_value=[100.0, None]),
        "a-second": status(projected_value=[120.0, None]),
    }
    comparison = comparison_table(statuses)
    assert list(zip(comparison["series_id"], comparison["scenario"], strict=True)) == [
        ("a", "z-first"),
        ("a", "a-second"),
        ("b", "z-first"),
        ("b", "a-second"),
    ]
    # a: 100 against 120 differs; b: no projection in either, same status: the same
    assert list(comparison[DIFFERS]) == [True, True, False, False]


def test_a_series_differs_by_its_status_or_required_growth_alone() -> None:
    statuses = {
        "one": status(projected_value=[100.0, None]),
        "two": status(
            projected_value=[100.0 * (1 + 1e-12), None],  # equal within the tolerance
            category=["substantial_progress", "insufficient_data"],
        ),
        "three": status(projected_value=[100.0, None], required_cagr=[0.05, None]),
    }
    comparison = comparison_table(statuses)
    differs = comparison.drop_duplicates("series_id").set_index("series_id")[DIFFERS]
    assert differs.to_dict() == {"a": True, "b": True}
    same = comparison_table({"one": statuses["one"], "copy": statuses["one"]})
    assert not same[DIFFERS].any()


def test_the_parameters_table_names_only_what_differs_in_words() -> None:
    table = parameters_table(
        {
            "base": Parameters(),
            "late": Parameters(target_year=2027),
            "override": Parameters(target_overrides={"a": 800.0}),
        },
        "zh",
        {"a": "城市最低生活保障标准"},
    )
    assert list(table.columns) == ["参数", "base", "late", "override"]
    assert table.to_dict(orient="records") == [
        {"参数": "目标年份", "base": "2025", "late": "2027", "override": "2025"},
        {
            "参数": "替代的目标值",
            "base": "无",
            "late": "无",
            "override": "城市最低生活保障标准：800",
        },
    ]
    same = parameters_table({"x": Parameters(), "y": Parameters()}, "en", {})
    assert same.empty


def test_the_page_escapes_text_from_data_and_counts_what_changes() -> None:
    names = {"name_zh": ["<script>甲</script>", "乙&"], "name_en": ["A*", "B|"]}
    comparison = comparison_table(
        {
            "one": status(**names, projected_value=[100.0, None]),
            "t<wo>": status(**names, projected_value=[150.0, None]),
        }
    )
    page = comparison_page(
        comparison,
        parameters_table({"one": Parameters(), "t<wo>": Parameters(as_of="2022")}, "zh", {}),
        {"bad": "bad.yaml:1: column 'target_year': <not a year>"},
        ("comparison.zh.png", (528, 300)),
        {"csv": "comparison.csv", "zh_csv": "comparison.zh.csv", "other": "comparison.en.html"},
        "社会救助",
        "资料来源：<报告>",
        "zh",
    )
    assert "<script>" not in page
    assert "&lt;script&gt;甲&lt;/script&gt;" in page
    assert "t&lt;wo&gt;" in page and "&lt;not a year&gt;" in page
    assert '<html lang="zh-CN">' in page
    # one series with a projection or a status (b is not assessed and has none): it differs
    assert summary_text(comparison, "zh") == (
        "本章1个有预测或进展状态的数据系列中，1个的预测值、进展状态或所需增速因情景而异："
        "<script>甲</script>。另有1个数据系列只有单一数值或不评估进展，在各情景下相同，"
        "未列出（见CSV）。"
    )
    assert summary_text(comparison, "en") == (
        "Of the chapter's 1 series with a projection or a status, 1 change their projection, "
        "status or required growth from one scenario to another: A*. 1 more series, stated "
        "once or not assessed, read the same in every scenario and are left out here (they "
        "are in the CSV)."
    )
    projection = quantity_table(comparison, "projection", "en")
    assert projection.to_dict(orient="records") == [
        {"Indicator": "A* (<script>甲</script>) ◆", "one": "100 yuan", "t<wo>": "150 yuan"},
        {"Indicator": "B| (乙&)", "one": "–", "t<wo>": "–"},
    ]


def test_the_chart_draws_each_scenario_s_projection_from_zero_with_its_target() -> None:
    from analysis.book.charts import SOURCE_GID, scenario_bars

    comparison = comparison_table(
        {
            "one": status(projected_value=[100.0, None], target_value=[150.0, None]),
            "two": status(projected_value=[-20.0, None], target_value=[None, None]),
        }
    )
    figure = scenario_bars(comparison, "标题", "资料来源：测试", "zh")
    (ax,) = [ax for ax in figure.axes if ax.get_gid() == "series:a"]
    bars = [patch.get_width() for patch in ax.patches]
    assert bars == [100.0, -20.0]
    left, right = ax.get_xlim()
    assert left <= -20 and left < 0 < 150 < right  # zero, the negative bar and the target shown
    assert ax.get_xlabel() == "预测值（元）"
    assert [label.get_text() for label in ax.get_yticklabels()] == ["one", "two"]
    assert any(text.get_gid() == SOURCE_GID for text in figure.texts)


def fake_execution(root: str, chapter: str, parameters: str, folder: str, zygote: object) -> None:
    """Stands in for a scenario's execution in the worker: 'boom' fails as a chapter can."""
    if Path(folder).name == "boom":
        raise RuntimeError("a cell raised")
    Path(folder).mkdir(parents=True)


def test_a_scenario_whose_chapter_fails_is_reported_and_the_others_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from analysis.inputs.chapters import chapter_named
    from analysis.runner import scenarios

    monkeypatch.setattr(scenarios, "execute_scenario", fake_execution)
    wanted = {name: (tmp_path / f"{name}.yaml", tmp_path / name) for name in ("a", "boom", "c")}
    failures = scenarios.execute_scenarios(
        PROJECT, chapter_named(CHAPTER), wanted, zygote=None, jobs=2
    )
    assert failures == {
        "boom": f"chapter '{CHAPTER}' failed: RuntimeError: a cell raised",
    }
    assert (tmp_path / "a").is_dir() and (tmp_path / "c").is_dir()


def test_the_exit_code_says_which_kind_of_failure_a_sweep_had(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from analysis.cli import report_sweep
    from analysis.core.problems import Problem
    from analysis.runner.scenarios import Scenario, SweepReport

    good = Scenario("good", Path("good.yaml"), Parameters())
    bad = Scenario("bad", Path("bad.yaml"), problems=(Problem("bad.yaml", "wrong", 1, "as_of"),))
    out = Path("out")
    assert report_sweep(SweepReport((good,), (), {}, ()), 1, out) == 0
    assert report_sweep(SweepReport((good,), (), {"x": "failed"}, ()), 2, out) == 1
    assert report_sweep(SweepReport((good,), (bad,), {"x": "failed"}, ()), 3, out) == 2
    err = capsys.readouterr().err
    assert "error: scenario 'bad': bad.yaml:1: column 'as_of': wrong" in err
    assert "error: scenario 'x': failed" in err


# A real sweep ---------------------------------------------------------------------------------

SCENARIOS = {
    "base": "",
    "late": "target_year: 2027\n",
    "override": "target_overrides:\n  dibao_standard_urban: 800\n",
    "as_of_2022": 'as_of: "2022"\n',
    "as_of_2023-03": 'as_of: "2023-03"\n',
    "bad": "target_year: twenty\n",
}


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("sweep")
    files = []
    for name, text in SCENARIOS.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
        files.append(str(folder / f"{name}.yaml"))
    out = folder / "out"
    result = run_cli("run", CHAPTER, "--params", *files, "--out", str(out), cwd=PROJECT)
    return out, result


@pytest.mark.book
def test_a_bad_file_gets_one_line_and_the_others_still_run(sweep: tuple[Path, object]) -> None:
    out, result = sweep
    assert result.returncode == 2, result.stdout + result.stderr  # a file was bad
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert re.fullmatch(
        r"error: scenario 'bad': .*bad\.yaml:1: column 'target_year': .*'twenty'.*", errors[0]
    )
    assert "5 of 6 scenarios ran (base, late, override, as_of_2022, as_of_2023-03)" in (
        result.stdout
    )
    for name in SCENARIOS:
        assert (out / name / f"{CHAPTER}.ipynb").is_file() == (name != "bad")
    assert not list(out.rglob(".partial-*"))


@pytest.mark.book
def test_the_comparison_shows_each_scenario_s_projection_status_and_required_growth(
    sweep: tuple[Path, object],
) -> None:
    out, _ = sweep
    comparison = pd.read_csv(out / "comparison.csv", dtype={"latest_date": str})
    assert list(dict.fromkeys(comparison["scenario"])) == [n for n in SCENARIOS if n != "bad"]
    urban = comparison[comparison["series_id"] == "dibao_standard_urban"].set_index("scenario")
    # By hand from the report's figures (625 in 2020, 707 in 2023), compound growth projected:
    # to 2025: 707 × (707/625)^(2/3); to 2027: 707 × (707/625)^(4/3).
    assert urban.at["base", "projected_value"] == pytest.approx(707 * (707 / 625) ** (2 / 3))
    assert urban.at["late", "projected_value"] == pytest.approx(707 * (707 / 625) ** (4 / 3))
    # No published target: no required growth; with 800 by 2025, the growth from the base
    # that reaches it: (800/625)^(1/5) - 1, about 5.06 % a year.
    assert pd.isna(urban.at["base", "required_cagr"])
    assert urban.at["override", "required_cagr"] == pytest.approx((800 / 625) ** (1 / 5) - 1)
    assert urban.at["override", "category"] != urban.at["base", "category"]
    assert urban[DIFFERS].all()
    # as of 2022, the latest figure of the city (2020's 625) comes before 2023's 707
    assert urban.at["as_of_2022", "latest_date"] == "2020"
    assert urban.at["as_of_2022", "latest_value"] == 625
    chinese = pd.read_csv(out / "comparison.zh.csv", encoding="utf-8-sig")
    assert {"情景", "指标代码", "预测值", "所需年均增长率"} <= set(chinese.columns)


@pytest.mark.book
def test_the_comparison_page_has_a_chart_in_each_language(sweep: tuple[Path, object]) -> None:
    out, _ = sweep
    chinese = (out / "comparison.html").read_text(encoding="utf-8")
    english = (out / "comparison.en.html").read_text(encoding="utf-8")
    assert "<h1>社会救助：5个情景的比较</h1>" in chinese
    assert "<h1>Social assistance: 5 scenarios compared</h1>" in english
    for page, chart in ((chinese, "comparison.zh.png"), (english, "comparison.en.png")):
        assert f'<img src="{chart}"' in page
        assert (out / chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        # words, not codes, but in the one-line error that names the bad file's key
        words = re.sub(r'<ul class="failed">.*?</ul>', "", page, flags=re.S)
        assert "target_year" not in words and "substantial_progress" not in words
    assert "目标年份" in chinese and "无目标·增长较快" in chinese
    assert "bad.yaml" in chinese  # the scenario that did not run, and why


# A scenario as of an earlier date shows nothing dated after it, and its chart draws exactly
# the series its table assesses with a trend (the chart used to build its own parameters and
# drop `as_of`, drawing ten trends to 2023 beside a table with none).

# Years a figure could carry; the citation's publication date (2024-04-29) and the target
# year of the projections (2025) are not figures of the data.
FIGURE_YEAR = re.compile(r"(?<![\d-])(20\d\d)(?:-\d\d)?(?![\d-])")
# the report's publication date, in each edition's citation, and the plan's end: not figures
NOT_FIGURES = ("2024-04-29", "2024年4月29日", "2025")


def csv_dates(out: Path) -> list[tuple[str, str, str]]:
    """(file, column, date) of every date in the chapter's CSVs."""
    found = []
    for path in sorted((out / "downloads").rglob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in frame.columns:
            if column == "date" or column.endswith("_date"):
                found += [(path.name, column, d) for d in frame[column] if d]
    return found


def shown_years(notebook: Path) -> set[int]:
    """Every year written in the notebook's outputs (tables, text, chart alt text)."""
    years: set[int] = set()
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            text = json.dumps(output.get("data", output.get("text", "")), ensure_ascii=False)
            for word in NOT_FIGURES:
                text = text.replace(word, "")
            years |= {int(match[1]) for match in FIGURE_YEAR.finditer(text)}
    return years


def chart_and_table_agree(downloads: Path) -> None:
    status = pd.read_csv(downloads / "status.csv", dtype={"base_date": str, "latest_date": str})
    with_trend = status[
        status["base_date"].notna() & (status["base_date"] != status["latest_date"])
    ]
    chart_data = downloads / "trends.csv"
    drawn = set(pd.read_csv(chart_data)["series_id"]) if chart_data.exists() else set()
    assert drawn == set(with_trend["series_id"])


@pytest.mark.book
@pytest.mark.parametrize("as_of", ["2022", "2023-03"])
def test_a_scenario_as_of_a_date_shows_nothing_later(
    sweep: tuple[Path, object], as_of: str
) -> None:
    out = sweep[0] / f"as_of_{as_of}"
    end = fractional_year(as_of)
    dates = csv_dates(out)
    assert dates, "the scenario wrote no dated rows"
    later = [entry for entry in dates if fractional_year(entry[2]) > end]
    assert later == []
    assert max(shown_years(out / f"{CHAPTER}.ipynb")) <= int(as_of[:4])
    chart_and_table_agree(out / "downloads" / "chapters" / CHAPTER)


@pytest.mark.book
@pytest.mark.parametrize(
    "out",
    [".", "data", "_build", "_build/html", "_build/html/x", "_build/sites/a", "_build/cache",
     "_build/stage/zh"],
)  # fmt: skip
def test_a_run_never_writes_into_the_inputs_the_site_or_the_build_s_folders(
    tmp_path: Path, out: str
) -> None:
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    (root / "_build" / "sites" / "site-1").mkdir(parents=True)
    (root / "_build" / "html").symlink_to("sites/site-1")
    with pytest.raises(InputError) as raised:
        output_folder(root, root / out)
    assert "--out must be outside the project" in str(raised.value)
    assert list((root / "_build" / "sites" / "site-1").iterdir()) == []


@pytest.mark.parametrize("out", ["_build/scenarios/late", "../elsewhere"])
def test_a_run_may_write_outside_the_project_or_in_a_folder_of_its_own_under_build(
    tmp_path: Path, out: str
) -> None:
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    assert output_folder(root, root / out).is_dir()


def test_one_file_runs_one_scenario_into_the_folder_itself(tmp_path: Path) -> None:
    parameters = tmp_path / "scenario.yaml"
    parameters.write_text('as_of: "2023"\n', encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("an analyst's own file", encoding="utf-8")
    result = run_cli("run", CHAPTER, "--params", str(parameters), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / f"{CHAPTER}.ipynb").is_file()
    assert not (out / "comparison.html").exists()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "an analyst's own file"
    assert not list(out.rglob(".partial-*"))
    chart_and_table_agree(out / "downloads" / "chapters" / CHAPTER)


def test_a_sweep_names_the_scenarios_an_earlier_run_left_in_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second sweep into the same --out writes late/ again; base/ of the first run stays,
    and is not in the comparison: the command says so."""
    from analysis.cli import report_sweep
    from analysis.runner.scenarios import SweepReport, earlier_scenarios

    for name in ("base", "late"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "scenario.json").write_text("{}")
    (tmp_path / "notes").mkdir()  # not a scenario
    earlier = earlier_scenarios(tmp_path, ["late", "early"])
    assert earlier == ("base",)
    report_sweep(SweepReport((), (), {}, (), earlier), 2, tmp_path)
    assert f"note: {tmp_path} also holds base from an earlier run" in capsys.readouterr().out
