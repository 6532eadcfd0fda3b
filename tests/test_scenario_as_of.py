"""A scenario as of an earlier date shows nothing dated after it, and its chart draws exactly
the series its table assesses with a trend (the chart used to build its own parameters and
drop `as_of`, drawing ten trends to 2023 beside a table with none)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import PROJECT, run_cli

from analysis.core.dates import fractional_year

pytestmark = pytest.mark.book

CHAPTER = "social_assistance"
# Years a figure could carry; the citation's publication date (2024-04-29) and the target
# year of the projections (2025) are not figures of the data.
FIGURE_YEAR = re.compile(r"(?<![\d-])(20\d\d)(?:-\d\d)?(?![\d-])")
NOT_FIGURES = ("2024-04-29", "2025")


def run_scenario(tmp_path: Path, as_of: str) -> Path:
    parameters = tmp_path / "scenario.yaml"
    parameters.write_text(f'as_of: "{as_of}"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("run", CHAPTER, "--params", str(parameters), "--out", str(out), cwd=PROJECT)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


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


@pytest.mark.parametrize("as_of", ["2022", "2023-03"])
def test_a_scenario_as_of_a_date_shows_nothing_later(tmp_path: Path, as_of: str) -> None:
    out = run_scenario(tmp_path, as_of)
    end = fractional_year(as_of)
    dates = csv_dates(out)
    assert dates, "the scenario wrote no dated rows"
    later = [entry for entry in dates if fractional_year(entry[2]) > end]
    assert later == []
    assert max(shown_years(out / f"{CHAPTER}.ipynb")) <= int(as_of[:4])


@pytest.mark.parametrize("as_of", ["2022", "2023-03", "2023"])
def test_the_chart_draws_exactly_the_table_s_series_with_a_trend(
    tmp_path: Path, as_of: str
) -> None:
    out = run_scenario(tmp_path, as_of)
    downloads = out / "downloads" / "chapters" / CHAPTER
    status = pd.read_csv(downloads / "status.csv", dtype={"base_date": str, "latest_date": str})
    with_trend = status[
        status["base_date"].notna() & (status["base_date"] != status["latest_date"])
    ]
    chart_data = downloads / "trends.csv"
    drawn = set(pd.read_csv(chart_data)["series_id"]) if chart_data.exists() else set()
    assert drawn == set(with_trend["series_id"])
