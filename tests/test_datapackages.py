"""The Frictionless Data Packages: data/datapackage.json and results/datapackage.json.

`frictionless validate` (its Python API) checks every file against its package: types,
required cells, enums, patterns, primary and foreign keys, the report's hash. These tests add
what validation alone does not: that every file is in a package and every column in a schema,
that the schemas say what the loader enforces (so the two cannot drift apart), that the source
is the report as `analysis.core.report` cites it, and that validation catches a broken file.
"""

from __future__ import annotations

import csv
import json
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
from frictionless import validate

from analysis.core import report
from analysis.inputs import dataset
from analysis.methods.assessment import RESULT_COLUMNS
from analysis.methods.progress import LABELS

PROJECT = Path(__file__).resolve().parents[1]
PACKAGES = ("data", "results")
NOT_DESCRIBED = {
    "README.md",
    "README.zh.md",
    "LICENSE.md",
    "datapackage.json",
}  # about the files, not data
LOADER_COLUMNS = {
    "series": dataset.SERIES_COLUMNS,
    "observations": dataset.OBSERVATION_COLUMNS,
    "targets": dataset.TARGET_COLUMNS,
    "relations": dataset.RELATION_COLUMNS,
    "repairs": dataset.REPAIR_COLUMNS,
}


def package(folder: str) -> dict[str, Any]:
    return json.loads((PROJECT / folder / "datapackage.json").read_text(encoding="utf-8"))


def resources(folder: str) -> dict[str, dict[str, Any]]:
    return {resource["path"]: resource for resource in package(folder)["resources"]}


def fields(folder: str, path: str) -> dict[str, dict[str, Any]]:
    return {field["name"]: field for field in resources(folder)[path]["schema"]["fields"]}


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def errors(result: Any) -> list[str]:
    """One line per error of a frictionless report: resource, row, field, type, message."""
    return [
        f"{task.name}: row {getattr(error, 'row_number', '-')}, "
        f"field {getattr(error, 'field_name', '-')}: {error.type}: {error.message}"
        for task in result.tasks
        for error in task.errors
    ] + [f"package: {error.type}: {error.message}" for error in result.errors]


@pytest.mark.parametrize("folder", PACKAGES)
def test_frictionless_validate_passes(folder: str) -> None:
    result = validate(PROJECT / folder / "datapackage.json")
    assert result.valid, "\n".join(errors(result))
    described = {resource["name"] for resource in package(folder)["resources"]}
    assert {task.name for task in result.tasks} == described  # every resource was checked


@pytest.mark.parametrize("folder", PACKAGES)
def test_every_data_file_is_a_resource(folder: str) -> None:
    files = {
        path.relative_to(PROJECT / folder).as_posix()
        for path in (PROJECT / folder).rglob("*")
        if path.is_file() and path.name not in NOT_DESCRIBED
    }
    assert any(name.endswith(".csv") for name in files)
    assert files == set(resources(folder))


@pytest.mark.parametrize("folder", PACKAGES)
def test_every_column_of_every_csv_is_in_its_schema(folder: str) -> None:
    for path in sorted((PROJECT / folder).rglob("*.csv")):
        relative = path.relative_to(PROJECT / folder).as_posix()
        described = list(fields(folder, relative))
        columns = header(path)
        assert not set(columns) - set(described), f"{relative}: columns without a description"
        assert columns == described, relative  # and in the file's order, none left over


@pytest.mark.parametrize("folder", PACKAGES)
def test_every_field_is_described_with_a_type(folder: str) -> None:
    for path, resource in resources(folder).items():
        for field in resource.get("schema", {}).get("fields", []):
            assert field.get("type") in {"string", "number", "integer"}, (path, field["name"])
            assert len(field.get("description", "")) > 10, (path, field["name"])


@pytest.mark.parametrize("folder", PACKAGES)
def test_the_source_is_the_report_and_the_licence_is_stated(folder: str) -> None:
    described = package(folder)
    for entry in [described, *described["resources"]]:
        sources = entry.get("sources", [])
        assert any(
            report.TITLE in source["title"]
            and report.PUBLISHER in source["title"]
            and report.PUBLISHED in source["title"]
            and source["path"] == report.URL
            for source in sources
        ), entry.get("name")
    assert [licence["name"] for licence in described["licenses"]] == ["CC-BY-4.0"]
    assert "CC BY 4.0" in (PROJECT / "data" / "LICENSE.md").read_text(encoding="utf-8")
    pyproject = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    assert described["version"] == pyproject["project"]["version"]


def constraint(folder: str, path: str, name: str, key: str) -> Any:
    return fields(folder, path)[name].get("constraints", {}).get(key)


def test_data_schemas_say_what_the_loader_checks() -> None:
    for name, columns in LOADER_COLUMNS.items():
        assert tuple(fields("data", f"{name}.csv")) == columns, name
    enums = {
        ("series.csv", "domain"): dataset.DOMAINS,
        ("series.csv", "direction"): dataset.DIRECTIONS,
        ("series.csv", "kind"): dataset.KINDS,
        ("series.csv", "unit"): dataset.KNOWN_UNITS,
        ("series.csv", "report_verdict"): dataset.VERDICTS,
        ("observations.csv", "qualifier"): dataset.QUALIFIERS,
        ("targets.csv", "comparator"): dataset.COMPARATORS,
        ("relations.csv", "comparator"): dataset.COMPARATORS,
    }
    for (path, name), allowed in enums.items():
        assert constraint("data", path, name, "enum") == list(allowed), (path, name)
    for path in ("observations.csv", "relations.csv"):
        assert constraint("data", path, "section", "pattern") == dataset.SECTION_PATTERN.pattern
    assert constraint("data", "series.csv", "series_id", "pattern") == (
        dataset.SERIES_ID_PATTERN.pattern
    )
    assert constraint("data", "series.csv", "headline", "maximum") == dataset.HEADLINE_COUNT
    observations = resources("data")["observations.csv"]["schema"]
    assert observations["foreignKeys"][0]["reference"] == {
        "resource": "series",
        "fields": "series_id",
    }


def test_results_schema_says_what_the_assessment_writes() -> None:
    assert tuple(fields("results", "indicators.csv")) == ("chapter", *RESULT_COLUMNS)
    for name in ("category", "unsd_category", "midterm_label"):
        codes = constraint("results", "indicators.csv", name, "enum")
        assert codes and set(codes) <= set(LABELS), name
    assert constraint("results", "indicators.csv", "unit", "enum") == list(dataset.KNOWN_UNITS)


CONSTRAINT, FOREIGN_KEY = "constraint-error", "foreign-key"
BROKEN = {  # what an edit by hand can get wrong -> the error frictionless reports
    "unknown series": ("data/observations.csv", "\nkey_indicators_met,", "\nkeymet,", FOREIGN_KEY),
    "unknown domain": ("data/series.csv", ",social_assistance,1,", ",social,1,", CONSTRAINT),
    "unknown unit": ("data/series.csv", ",元/人·月,,up,", ",元/人月,,up,", CONSTRAINT),
    "date in Chinese": ("data/observations.csv", ",2023,19,,", ",2023年,19,,", CONSTRAINT),
    "percent sign": ("data/observations.csv", ",2023,19,,", ",2023,19%,,", "type-error"),
    "repeated key": ("data/repairs.csv", "\n20236月,", "\n20235月,", "primary-key"),
    "edited report": ("data/source/report.txt", "宿州", "宿洲", "hash-count"),
    "new column": ("data/targets.csv", ",source_zh\n", ",source_zh,unit\n", "extra-label"),
    "unknown category": ("results/indicators.csv", ",substantial_progress,", ",great,", CONSTRAINT),
    "no series_id": ("results/indicators.csv", ",dibao_standard_urban,", ",,", CONSTRAINT),
}  # fmt: skip


@pytest.mark.parametrize("case", BROKEN)
def test_validation_catches_a_broken_file(tmp_path: Path, case: str) -> None:
    relative, old, new, error = BROKEN[case]
    folder = relative.split("/")[0]
    copy = tmp_path / folder
    shutil.copytree(PROJECT / folder, copy)
    path = tmp_path / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = validate(copy / "datapackage.json")
    assert not result.valid
    assert any(f": {error}:" in line for line in errors(result)), errors(result)
