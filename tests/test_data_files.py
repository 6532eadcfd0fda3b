"""The committed data files: valid, verbatim, complete. These read the CSVs directly (not
through analysis.inputs.dataset) so that they check the loader's rules independently."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest

from analysis.inputs.dataset import load_dataset

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT / "data"
REPORT = (DATA / "source" / "report.txt").read_text(encoding="utf-8")


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_report_hash_matches_data_readme() -> None:
    digest = hashlib.sha256((DATA / "source" / "report.txt").read_bytes()).hexdigest()
    assert digest in (DATA / "README.md").read_text(encoding="utf-8")


def readme_outline(text: str) -> tuple[list[int], set[str], list[int]]:
    """A README's heading levels, its codes (the backticked tokens) and the rows of each of its
    tables: what its two language versions must share."""
    lines = text.splitlines()
    levels = [len(line) - len(line.lstrip("#")) for line in lines if re.match(r"#+ ", line)]
    codes = set(re.findall(r"`([^`]+)`", text))
    tables, rows = [], 0
    for line in [*lines, ""]:
        if line.startswith("|"):
            rows += 1
        elif rows:
            tables.append(rows)
            rows = 0
    return levels, codes, tables


def test_the_chinese_data_readme_says_what_the_english_one_says() -> None:
    english = (DATA / "README.md").read_text(encoding="utf-8")
    chinese = (DATA / "README.zh.md").read_text(encoding="utf-8")
    assert readme_outline(chinese) == readme_outline(english)
    digest = hashlib.sha256((DATA / "source" / "report.txt").read_bytes()).hexdigest()
    assert digest in chinese
    assert len(re.findall(r"[\u4e00-\u9fff]", chinese)) > 3 * len(
        re.findall(r"[\u4e00-\u9fff]", english)
    )


def test_data_files_load_without_problems() -> None:
    load_dataset(PROJECT)


@pytest.mark.parametrize("name", ["observations.csv", "relations.csv"])
def test_every_report_quote_is_verbatim(name: str) -> None:
    for number, row in enumerate(rows(name), start=2):
        if row["source"] == "report":
            assert row["quote"] in REPORT, f"{name}:{number}: {row['quote']}"


def test_every_damaged_text_is_in_the_report() -> None:
    for row in rows("repairs.csv"):
        assert row["damaged"] in REPORT, row["damaged"]


CHINESE_NUMERALS = {
    "一": 1.0,
    "二": 2.0,
    "三": 3.0,
    "七": 7.0,
    "十": 10.0,
    "百": 100.0,
    "千": 1000.0,
}


def quoted_numbers(text: str) -> set[float]:
    """Numbers as written, and times 10^4 / 10^8 where 万 / 亿 follows."""
    found: set[float] = set()
    for digits, unit in re.findall(r"([0-9]+(?:\.[0-9]+)?)(?:多|余)?(万|亿)?", text):
        found.add(round(float(digits), 6))
        if unit:
            found.add(round(float(digits) * {"万": 1e4, "亿": 1e8}[unit], 6))
    return found


def test_every_value_is_in_its_quote_or_explained_by_a_repair() -> None:
    repairs = rows("repairs.csv")
    unexplained = []
    for number, row in enumerate(rows("observations.csv"), start=2):
        if row["source"] != "report":
            continue
        allowed = quoted_numbers(row["quote"])
        for repair in repairs:
            if repair["damaged"] in row["quote"]:
                allowed |= quoted_numbers(repair["reading"])
        # numbers written as single Chinese numerals: 千余名 (over a thousand), 七名, 一次
        allowed |= {value for char, value in CHINESE_NUMERALS.items() if char in row["quote"]}
        for column in ("value", "value_low", "value_high"):
            if row[column] and round(float(row[column]), 6) not in allowed:
                unexplained.append(f"observations.csv:{number} {column}={row[column]}")
    assert unexplained == []


def test_coverage_of_the_report() -> None:
    series = rows("series.csv")
    observations = rows("observations.csv")
    assert len(observations) > 100
    headlines = {int(row["headline"]) for row in series if row["headline"]}
    assert headlines == set(range(1, 20))
    domains = {row["domain"] for row in series}
    assert len(domains) == 8
    observed = {row["series_id"] for row in observations}
    sections = {row["section"].split(".")[0] for row in observations}
    assert {"一", "二", "三", "四"} <= sections
    # every series but the declared placeholders (no figure in the report) has an observation
    empty = [row["series_id"] for row in series if row["series_id"] not in observed]
    assert empty, "the consumption-expenditure series of the 特困 rule has no figure in the report"
    assert all("no observation" in row["note"] for row in series if row["series_id"] in empty)


# A rule's limit (an age limit, a minimum share) stated with 以上 or 不低于 is the limit's value:
# "80周岁以上" is an age threshold of 80, not "at least 80" of something measured.
THRESHOLDS = {
    ("old_age_allowance_min_age", "二.(三).1"): 80.0,
    ("new_community_service_area_share_min", "三.(四).2"): 12.0,
}


@pytest.mark.parametrize(("key", "value"), THRESHOLDS.items())
def test_a_threshold_is_its_value_without_a_qualifier(key: tuple[str, str], value: float) -> None:
    series_id, _ = key
    (row,) = [r for r in rows("observations.csv") if (r["series_id"], r["section"]) == key]
    assert float(row["value"]) == value
    assert row["qualifier"] == "", f"{series_id}: a threshold's value is not 'at least' it"


def test_adapted_homes_are_counted_in_households() -> None:
    # 完成2384困难老年人居家适老化改造: the measure word is lost; homes are adapted, so 户.
    (series,) = [r for r in rows("series.csv") if r["series_id"] == "elderly_home_adaptations"]
    assert series["unit"] == "户"
    (repair,) = [r for r in rows("repairs.csv") if r["damaged"] == "完成2384困难老年人"]
    assert "2384户" in repair["reading"]


def test_community_space_carries_the_public_service_plan_target() -> None:
    # 《“十四五”公共服务规划》 (2022-01): 每百户居民拥有社区综合服务设施面积 > 30 平方米 by 2025,
    # the measure of key indicator 10 (the whole city, not the urban communities alone).
    (target,) = [
        r
        for r in rows("targets.csv")
        if r["series_id"] == "community_service_area_per_100_households"
    ]
    assert (target["target_year"], target["comparator"], target["value"]) == ("2025", ">=", "30")
    assert "公共服务规划" in target["source"] and "2022-01" in target["source"]
    assert "> 30" in target["source"]  # the plan's strict wording is kept in the source
