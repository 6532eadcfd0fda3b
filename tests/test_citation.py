"""CITATION.cff: a Citation File Format 1.2.0 file that agrees with the project's own metadata.

The checks are one function, `citation_problems`, so that the same rules are shown to catch a
broken citation (a key removed, the version not bumped with pyproject.toml, the report cited
differently from `analysis.core.report`).
"""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from analysis.core import report

PROJECT = Path(__file__).resolve().parents[1]
REQUIRED = ("cff-version", "message", "title", "authors")  # the CFF 1.2.0 schema's "required"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def project_metadata() -> tuple[dict[str, Any], dict[str, Any]]:
    pyproject = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    return pyproject["project"], read_yaml(PROJECT / "_config.yml")


def citation_problems(citation: Any, project: dict[str, Any], config: dict[str, Any]) -> list[str]:
    """Everything wrong with a parsed CITATION.cff; empty when it is right."""
    if not isinstance(citation, dict):
        return ["CITATION.cff is not a YAML mapping"]
    problems = [f"lacks the required key {key!r}" for key in REQUIRED if key not in citation]
    if citation.get("cff-version") != "1.2.0":
        problems.append(f"cff-version is {citation.get('cff-version')!r}, not '1.2.0'")
    for key in ("message", "title"):
        if key in citation and not (isinstance(citation[key], str) and citation[key].strip()):
            problems.append(f"{key} is not a non-empty string")
    authors = citation.get("authors")
    if "authors" in citation and not (
        isinstance(authors, list)
        and authors
        and all(isinstance(a, dict) and ("name" in a or "family-names" in a) for a in authors)
    ):
        problems.append("authors is not a list of persons or entities with a name")
    if citation.get("version") != project["version"]:
        problems.append(
            f"version {citation.get('version')!r} differs from pyproject.toml's "
            f"{project['version']!r}"
        )
    if citation.get("title") != config["title"]:
        problems.append(f"title differs from _config.yml's {config['title']!r}")
    licenses = citation.get("license")
    licenses = [licenses] if isinstance(licenses, str) else licenses or []
    for expected in ("MIT", "CC-BY-4.0"):  # LICENSE (code) and data/LICENSE.md (data)
        if expected not in licenses:
            problems.append(f"license does not list {expected}")
    released = citation.get("date-released")
    if released is not None and not (isinstance(released, str) and DATE.match(released)):
        problems.append("date-released is not a quoted YYYY-MM-DD string")
    reports = [r for r in citation.get("references") or [] if r.get("type") == "report"]
    if len(reports) != 1:
        problems.append("references do not hold exactly one report (the evaluation analysed)")
    else:
        problems += report_problems(reports[0])
    return problems


def report_problems(reference: dict[str, Any]) -> list[str]:
    """The report is cited as analysis.core.report cites it everywhere else."""
    expected = {
        "title": report.TITLE,
        "date-published": report.PUBLISHED,
        "url": report.URL,
        "authors": [{"name": report.PUBLISHER}],
    }
    return [
        f"the report's {key} is {reference.get(key)!r}, not {value!r} (analysis.core.report)"
        for key, value in expected.items()
        if reference.get(key) != value
    ]


@pytest.fixture(scope="module")
def citation() -> Any:
    return read_yaml(PROJECT / "CITATION.cff")


def test_citation_file_is_complete_and_agrees_with_the_project(citation: Any) -> None:
    assert citation_problems(citation, *project_metadata()) == []


def without(key: str):
    def change(citation: dict[str, Any]) -> None:
        del citation[key]

    return change


def setting(key: str, value: Any):
    def change(citation: dict[str, Any]) -> None:
        citation[key] = value

    return change


def citing_the_report(key: str, value: Any):
    def change(citation: dict[str, Any]) -> None:
        next(r for r in citation["references"] if r["type"] == "report")[key] = value

    return change


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (without("authors"), "lacks the required key 'authors'"),
        (without("message"), "lacks the required key 'message'"),
        (setting("cff-version", "1.1.0"), "cff-version is '1.1.0'"),
        (setting("version", "0.0.9"), "differs from pyproject.toml's"),
        (setting("title", "Another book"), "title differs from _config.yml's"),
        (setting("authors", ["someone"]), "authors is not a list"),
        (setting("license", "MIT"), "license does not list CC-BY-4.0"),
        (citing_the_report("date-published", "2024-04-30"), "the report's date-published"),
        (citing_the_report("title", "中期评估报告"), "the report's title"),
        (setting("date-released", "2026"), "date-released is not a quoted YYYY-MM-DD"),
    ],
)
def test_a_broken_citation_is_caught(citation: Any, change, problem: str) -> None:
    broken = copy.deepcopy(citation)
    change(broken)
    problems = citation_problems(broken, *project_metadata())
    assert any(problem in line for line in problems), problems


def test_version_must_follow_pyproject(citation: Any) -> None:
    project, config = project_metadata()
    bumped = {**project, "version": "0.2.0"}
    assert any("0.2.0" in line for line in citation_problems(citation, bumped, config))
