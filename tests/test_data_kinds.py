"""Facts that are not indicators (kind "fact") are marked as such and never given a status."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.inputs.dataset import load_dataset, validate
from analysis.inputs.parameters import Parameters
from analysis.methods.progress import NOT_ASSESSED
from analysis.methods.results import all_series_assessment, domain_assessment

PROJECT = Path(__file__).resolve().parents[1]

# A minimum age, two frequencies, the 2004 map of one community, the report's own counts of
# its indicators, the shape of a pay scale or of a service model, and a national count.
FACTS = (
    "key_indicators_total",
    "key_indicators_met",
    "key_indicators_completed_early",
    "old_age_allowance_min_age",
    "jian_hospital_rounds_per_month",
    "offline_data_matching_per_month",
    "chengxi_grid_zones",
    "chengxi_streets_mapped",
    "chengxi_consultation_member_types",
    "community_worker_pay_posts",
    "community_worker_pay_grades",
    "county_hub_elderly_stations",
    "national_rural_place_name_pilot_counties",
)


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(PROJECT)


def test_facts_are_marked_in_series_csv() -> None:
    with (PROJECT / "data" / "series.csv").open(encoding="utf-8", newline="") as handle:
        kinds = {row["series_id"]: row for row in csv.DictReader(handle)}
    for series_id in FACTS:
        assert kinds[series_id]["kind"] == "fact", series_id
        assert kinds[series_id]["direction"] == "none", series_id


def test_a_fact_gets_no_progress_status(dataset) -> None:
    params = Parameters()
    frames = [
        domain_assessment(dataset, domain, params) for domain in dataset.series["domain"].unique()
    ]
    frames.append(all_series_assessment(dataset, params))
    for result in frames:
        facts = result[result["series_id"].isin(FACTS)]
        assert not facts.empty or result is not frames[-1]
        assert (facts["category"] == NOT_ASSESSED).all(), facts[["series_id", "category"]]
        assert (facts["unsd_category"] == NOT_ASSESSED).all()
        assert facts["midterm_label"].isna().all()
        assert facts[["ratio", "unsd_ratio", "task_share", "projected_value"]].isna().all().all()
        assert facts["flags"].str.contains("kind is fact").all()
        # the stated figure itself is kept
        assert facts["latest_value"].notna().all()


def test_a_fact_with_a_direction_is_refused(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT / "data", project / "data")
    path = project / "data" / "series.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = frame.index[frame["series_id"] == "old_age_allowance_min_age"][0]
    frame.loc[row, "direction"] = "up"
    frame.to_csv(path, index=False)
    _, _, problems = validate(project)
    messages = [str(problem) for problem in problems]
    assert any("column 'direction'" in m and "a fact" in m for m in messages), messages


# Provincial and national figures from outside the report, for comparison: their own series.
REFERENCES = {
    "anhui_dibao_standard_urban_rural": {"2020": 640},
    "anhui_dibao_standard_urban": {"2025-12": 842},
    "anhui_dibao_standard_rural": {"2025-12": 748},
    "anhui_tekun_basic_standard_urban": {"2020": 1167, "2025-12": 1251},
    "anhui_tekun_basic_standard_rural": {"2020": 851, "2025-12": 991},
    "anhui_orphan_allowance_institutional": {"2025-12": 1654},
    "anhui_orphan_allowance_dispersed": {"2025-12": 1213},
    "anhui_nursing_bed_share": {"2025-12": 71},
    "national_nursing_bed_share_target": {"2025": 55, "2030": 73},
}


def test_outside_references_are_their_own_series(dataset) -> None:
    series = dataset.series.set_index("series_id")
    observations = dataset.observations
    for series_id, values in REFERENCES.items():
        assert series.loc[series_id, "kind"] == "reference", series_id
        assert pd.isna(series.loc[series_id, "headline"])
        rows = observations[observations["series_id"] == series_id]
        assert dict(zip(rows["date"], rows["value"], strict=True)) == values, series_id
        assert (rows["source"] != "report").all()
        assert rows["source"].str.contains("20").all()  # a dated citation
        assert rows["note"].str.contains("outside figure").all()
    # no Suzhou series holds a provincial or national figure
    suzhou = observations[~observations["series_id"].isin(REFERENCES)]
    outside = suzhou[suzhou["source"] != "report"]
    assert outside["source"].str.contains("宿州").all(), outside["source"].tolist()


def test_a_reference_gets_no_progress_status(dataset) -> None:
    result = all_series_assessment(dataset, Parameters())
    references = result[result["series_id"].isin(REFERENCES)]
    assert len(references) == len(REFERENCES)
    assert (references["category"] == NOT_ASSESSED).all()
    assert references["flags"].str.contains("kind is reference").all()
    assert references[["ratio", "task_share", "projected_value"]].isna().all().all()
    # its own change is described, not judged: 1167 -> 1251 is +84
    tekun = references.set_index("series_id").loc["anhui_tekun_basic_standard_urban"]
    assert tekun["total_change"] == 84


def test_a_reference_quoting_the_report_is_refused(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT / "data", project / "data")
    path = project / "data" / "observations.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = frame.index[frame["series_id"] == "anhui_nursing_bed_share"][0]
    frame.loc[row, "source"] = "report"
    frame.to_csv(path, index=False)
    _, _, problems = validate(project)
    messages = [str(problem) for problem in problems]
    assert any("column 'source'" in m and "outside reference" in m for m in messages), messages
