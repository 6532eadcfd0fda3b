"""Chapter parameters: the schema, its messages, and agreement with the notebooks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from analysis.core.problems import InputError
from analysis.inputs.chapters import CHAPTERS
from analysis.inputs.parameters import Parameters, parse_parameters

PROJECT = Path(__file__).resolve().parents[1]


def problems_of(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_parameters(text, "parameters/x.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_empty_file_means_defaults() -> None:
    assert parse_parameters("", "p.yaml") == Parameters()


def test_unknown_key_names_line_and_suggests() -> None:
    (message,) = problems_of("base_year: 2020\ntarget_yaer: 2027\n")
    assert message.startswith("parameters/x.yaml:2: column 'target_yaer'")
    assert "did you mean 'target_year'?" in message


def test_unknown_nested_key_suggests_the_threshold() -> None:
    (message,) = problems_of("thresholds:\n  on_trak: 0.9\n")
    assert "parameters/x.yaml:2: column 'thresholds.on_trak'" in message
    assert "did you mean 'on_track'?" in message


def test_wrong_type_names_the_value() -> None:
    (message,) = problems_of("target_year: '2025'\n")
    assert "parameters/x.yaml:1: column 'target_year'" in message
    assert "'2025'" in message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("base_year: 2020\ntarget_year: 2019\n", "target_year (2019) must come after base_year"),
        ("as_of: 2026\n", "as_of (2026) must lie between base_year (2020) and target_year"),
        ("as_of: 2023-13\n", "month 13 does not exist"),
        ("target_year: 2200\n", "target_year 2200 is outside"),
        ("thresholds:\n  on_track: 0.5\n", "on_track (0.5) must be above acceleration_needed"),
        ("projection_method: holt\n", "'holt'"),
        ("range_rule: middle\n", "'middle'"),
        ("midterm_tolerance: 1.5\n", "midterm_tolerance must be at least 0 and below 1"),
    ],
)
def test_impossible_values_are_rejected(text: str, fragment: str) -> None:
    messages = problems_of(text)
    assert any(fragment in message for message in messages), messages


def test_invalid_yaml_names_its_line() -> None:
    (message,) = problems_of("base_year: 2020\ntarget_year: [2025\n")
    assert message.startswith("parameters/x.yaml:")
    assert "is not valid YAML" in message


def test_a_list_instead_of_a_mapping() -> None:
    (message,) = problems_of("- 2020\n- 2025\n")
    assert "must be a mapping" in message


def test_the_file_s_choices_reach_the_library_as_written() -> None:
    parameters = parse_parameters(
        "target_year: 2027\nprojection_method: linear\nseries_methods: {a: ols}\n"
        "target_overrides: {a: 700}\nthresholds: {on_track: 0.9}\n",
        "p.yaml",
    )
    assert parameters.target_year == 2027
    assert parameters.method_by_kind == dict.fromkeys(
        ("count", "level", "rate", "standard"), "linear"
    )
    assert dict(parameters.series_methods) == {"a": "ols"}
    assert dict(parameters.target_overrides) == {"a": 700.0}
    assert parameters.thresholds.on_track == 0.9
    assert parameters.thresholds.acceleration_needed == 0.60  # the published default stays


def test_a_method_per_kind_keeps_auto_for_the_other_kinds() -> None:
    parameters = parse_parameters("projection_method: {level: ols}\n", "p.yaml")
    assert parameters.method_by_kind == {
        "count": "linear",
        "level": "ols",
        "rate": "linear",
        "standard": "cagr",
    }


def parameters_cell(notebook: Path) -> dict:
    """The variables the notebook's `parameters` cell defines."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    (cell,) = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    namespace: dict = {}
    exec("".join(cell["source"]), namespace)
    return {key: value for key, value in namespace.items() if not key.startswith("__")}


@pytest.mark.parametrize(
    "chapter", [c for c in CHAPTERS if c.is_parameterized], ids=lambda c: c.name
)
def test_defaults_are_written_in_the_model_only(chapter) -> None:
    """The notebook's parameters cell holds only the one variable papermill fills; the
    committed parameter file holds no value (an empty mapping: every default)."""
    assert parameters_cell(PROJECT / chapter.notebook) == {"parameters": None}
    text = (PROJECT / chapter.parameter_file).read_text(encoding="utf-8")
    assert yaml.safe_load(text) is None
    assert "Reproducing and rerunning" in text  # where the keys are explained


def test_reference_chapters_take_no_parameters() -> None:
    for chapter in CHAPTERS:
        if not chapter.is_parameterized:
            assert not (PROJECT / "parameters" / f"{chapter.name}.yaml").exists()
            cells = json.loads((PROJECT / chapter.notebook).read_text(encoding="utf-8"))["cells"]
            assert not any("parameters" in c["metadata"].get("tags", []) for c in cells)


def test_toc_lists_every_chapter_in_order() -> None:
    toc = yaml.safe_load((PROJECT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    notebooks = [f for f in files if f != "chapters/build_record"]
    assert notebooks == [f"chapters/{chapter.name}" for chapter in CHAPTERS]


def test_check_says_what_each_parameter_file_changes(tmp_path: Path) -> None:
    """`check` validates the parameter files (the header of each file says to run it) and
    names every setting that differs from the defaults, by chapter."""
    from conftest import PROJECT, run_cli

    project = tmp_path / "project"
    for folder in ("data", "parameters", "chapters"):
        shutil.copytree(PROJECT / folder, project / folder)
    for name in ("_toc.yml", "_config.yml"):
        shutil.copy(PROJECT / name, project / name)
    result = run_cli("--root", str(project), "check")
    assert result.returncode == 0, result.stderr
    files = sum(1 for chapter in CHAPTERS if chapter.parameter_file)
    assert f"parameters: OK, {files} files" in result.stdout
    assert "every chapter uses the defaults: target year 2025, base year 2020" in result.stdout

    with (project / "parameters" / "children.yaml").open("a", encoding="utf-8") as file:
        file.write("target_year: 2027\nthresholds:\n  on_track: 0.9\n")
    result = run_cli("--root", str(project), "check")
    assert result.returncode == 0, result.stderr
    assert "    children: target_year: 2027; thresholds.on_track: 0.9" in result.stdout
    assert "social_assistance:" not in result.stdout
    assert "note: target year" not in result.stdout

    # the report's latest figures are of 2023, and an outside figure of a Suzhou standard is of
    # 2025-06 (二.(七).1, the raise to 94 元): a target year of 2022 comes before them
    (project / "parameters" / "children.yaml").write_text("target_year: 2022\n", encoding="utf-8")
    result = run_cli("--root", str(project), "check")
    assert result.returncode == 0, result.stderr
    assert "note: target year 2022 is before the data's latest figures (2025)" in result.stdout


def test_a_page_says_nothing_of_parameters_when_every_setting_is_the_default() -> None:
    from analysis.book.parameter_words import parameters_in_force

    assert parameters_in_force(Parameters(), "zh") == ""
    assert parameters_in_force(Parameters(), "en") == ""


def test_a_page_names_each_setting_that_differs_with_its_default() -> None:
    """Written out from the model's defaults (target year 2025, on-track ratio 0.95, UNSD fair
    ratio 0.1, no as-of date) and the words of each parameter."""
    from analysis.book.parameter_words import parameters_in_force

    changed = Parameters.coerce(
        {"target_year": 2027, "as_of": "2022", "thresholds": {"on_track": 0.9, "unsd_fair": 0.4}}
    )
    assert parameters_in_force(changed, "zh") == (
        "本章的计算参数与本书默认值不同：评估截止日期为2022（默认：全部数据）；"
        "目标年份为2027（默认：2025）；进展比：按进度推进为0.9（默认：0.95）；"
        "联合国统计司比率：进展尚可为0.4（默认：0.1）。"
    )
    assert parameters_in_force(changed, "en") == (
        "This chapter is computed with parameters other than the book's defaults: as-of date "
        "2022 (default: every figure); target year 2027 (default: 2025); ratio for on track 0.9 "
        "(default: 0.95); UNSD ratio for fair progress 0.4 (default: 0.1)."
    )


def test_an_empty_setting_reads_as_what_it_means_wherever_it_is_shown() -> None:
    """The page's sentence, the scenario comparison and the build record put a value into words
    with one function: an empty as-of date is every figure, an empty series list every series of
    the chapter, an empty override none; a value is its words."""
    from analysis.book.parameter_words import setting_words

    assert setting_words("as_of", None, "zh") == "全部数据"
    assert setting_words("series", [], "en") == "every series of the chapter"
    assert setting_words("target_overrides", {}, "zh") == "无"
    assert setting_words("target_overrides", {"a": 800.0}, "zh", {"a": "城市低保标准"}) == (
        "城市低保标准：800"
    )


def test_a_series_setting_names_the_series_in_words() -> None:
    from analysis.book.parameter_words import parameters_in_force

    shown = Parameters.coerce({"series": ["a_series"]})
    names = {"a_series": "某项指标"}
    assert parameters_in_force(shown, "zh", names).endswith(
        "显示的指标为某项指标（默认：本章全部指标）。"
    )
