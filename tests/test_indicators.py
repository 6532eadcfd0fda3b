"""The result table of `assess` and the relation checks, on small synthetic frames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from analysis.core.dates import fractional_year
from analysis.inputs.parameters import Parameters
from analysis.methods.assessment import RESULT_COLUMNS, assess, relation_checks

NAN = float("nan")


def observations(*rows):
    """Rows (series_id, date, value[, low, high]) in the loader's format."""
    records = []
    for row in rows:
        sid, date, value, *rest = row
        low, high = rest if rest else (NAN, NAN)
        records.append(
            {
                "series_id": sid,
                "date": date,
                "t": fractional_year(date),
                "value": value,
                "value_low": low,
                "value_high": high,
                "qualifier": "",
                "section": "二.(一)",
                "quote": "",
                "source": "report",
            }
        )
    return pd.DataFrame(records)


def series(*rows):
    """Rows (series_id, kind, direction[, bound]) with the other columns filled in."""
    records = []
    for i, row in enumerate(rows):
        sid, kind, direction, *rest = row
        records.append(
            {
                "series_id": sid,
                "domain": "social_assistance",
                "headline": i + 1,
                "name_zh": f"指标{i}",
                "name_en": sid,
                "unit": "%" if rest else "元/人·月",
                "direction": direction,
                "bound": rest[0] if rest else NAN,
                "kind": kind,
                "report_verdict": "达到预期目标",
            }
        )
    frame = pd.DataFrame(records)
    frame["headline"] = frame["headline"].astype("Int64")
    return frame


def targets(*rows):
    columns = ["series_id", "target_year", "comparator", "value", "source"]
    return pd.DataFrame(list(rows), columns=columns)


NO_TARGETS = targets()


def by_id(result):
    return result.set_index("series_id")


@pytest.fixture
def allowances():
    obs = observations(
        ("dibao_rural", "2020", 625),
        ("dibao_rural", "2023", 690),
        ("dibao_urban", "2020", 625),
        ("dibao_urban", "2023", 707),
        ("care_self", "2020", 0),
        ("care_self", "2023", 43),
        ("care_beds", "2023", 77.18),
    )
    ser = series(
        ("dibao_rural", "standard", "up"),
        ("dibao_urban", "standard", "up"),
        ("care_self", "standard", "up"),
        ("care_beds", "rate", "up", 100),
    )
    tgt = targets(("care_beds", 2025, ">=", 55, "national 14th FYP"))
    return obs, ser, tgt


def test_one_row_per_series_with_the_contract_columns(allowances):
    result = assess(*allowances)
    assert list(result.columns) == list(RESULT_COLUMNS)
    assert list(result["series_id"]) == ["dibao_rural", "dibao_urban", "care_self", "care_beds"]
    assert str(result["headline"].dtype) == "Int64"


def test_allowances_by_hand(allowances):
    result = by_id(assess(*allowances))
    rural, urban = result.loc["dibao_rural"], result.loc["dibao_urban"]
    # (690/625)**(1/3) - 1 = 0.0335298504727 and (707/625)**(1/3) - 1 = 0.0419490079096.
    assert rural["cagr"] == pytest.approx(0.0335298504727, rel=1e-9)
    assert urban["cagr"] == pytest.approx(0.0419490079096, rel=1e-9)
    assert rural["cagr_reason"] == ""
    # 65 and 82 in total, 65/3 and 82/3 a year.
    assert rural["total_change"] == 65
    assert urban["annual_change"] == pytest.approx(82 / 3)
    # Standards project compound: 690 * 1.104**(2/3) = 737.046926755.
    assert rural["method"] == "cagr"
    assert rural["projected_value"] == pytest.approx(737.046926755, rel=1e-9)
    # No target: d * CAGR = 3.35 % >= 1.5 % -> substantial progress; UNSD classes the growth
    # itself (3.35 % >= 2 % -> on track), with no ratio; no mid-term label.
    assert rural["category"] == "substantial_progress"
    assert rural["unsd_category"] == "growth_on_track"
    assert math.isnan(rural["unsd_ratio"])
    assert pd.isna(rural["midterm_label"])
    assert "mid-term: no target, no label" in rural["flags"]
    assert rural["time_share"] == pytest.approx(0.6)
    assert pd.isna(rural["target_value"]) and pd.isna(rural["target_year"])
    assert rural["n_points"] == 2
    assert (rural["base_date"], rural["latest_date"]) == ("2020", "2023")
    assert rural["report_verdict"] == "达到预期目标"


def test_zero_base_care_standard(allowances):
    row = by_id(assess(*allowances)).loc["care_self"]
    assert math.isnan(row["cagr"])
    assert row["cagr_reason"] == "undefined: base is zero"
    # Midpoint fallback: (43/3)/21.5 = 0.667 >= 1.5 % -> substantial progress, flagged.
    assert row["category"] == "substantial_progress"
    assert "midpoint" in row["flags"]
    # Compound projection impossible: linear 43 + 2 * 43/3 = 71.667, flagged.
    assert row["method"] == "linear"
    assert row["projected_value"] == pytest.approx(43 + 2 * 43 / 3)
    assert "compound rate undefined" in row["flags"]


def test_zero_base_with_a_target_uses_the_absolute_change_ratio(allowances):
    obs, ser, _ = allowances
    # Hypothetical target 60: R = (43/3)/(60/5) = 1.19444 -> on track; task 43/60 = 0.7167 vs
    # time 0.6 -> ahead; UNSD (linear fallback 71.667 - 0)/60 = 1.194 -> on track or met.
    row = by_id(assess(obs, ser, targets(("care_self", 2025, ">=", 60, "test")))).loc["care_self"]
    assert row["ratio"] == pytest.approx(43 / 3 / 12)
    assert row["category"] == "on_track"
    assert math.isnan(row["required_cagr"])
    assert row["required_annual_change"] == pytest.approx(12)
    assert row["task_share"] == pytest.approx(43 / 60)
    assert row["midterm_label"] == "ahead"
    assert row["unsd_ratio"] == pytest.approx((43 + 2 * 43 / 3) / 60)
    assert row["unsd_category"] == "on_track_or_met"
    assert "ratio from average annual change (undefined: base is zero)" in row["flags"]


def test_target_already_met_with_one_observation(allowances):
    row = by_id(assess(*allowances)).loc["care_beds"]
    # 77.18 >= 55: target achieved whatever the trend; one point, so no growth and no projection.
    assert row["category"] == "target_achieved"
    assert row["unsd_category"] == "on_track_or_met"
    assert row["midterm_label"] == "achieved_early"
    assert row["cagr_reason"] == "undefined: one observation"
    assert (row["target_comparator"], row["target_value"], row["target_year"]) == (">=", 55, 2025)
    assert row["target_source"] == "national 14th FYP"
    assert math.isnan(row["projected_value"])
    assert row["interval_kind"] == "none"
    assert "later than the base year" in row["flags"]


def test_one_observation_without_target_is_insufficient_data():
    obs = observations(("x", "2023", 5.0))
    row = assess(obs, series(("x", "count", "up")), NO_TARGETS).iloc[0]
    assert row["category"] == "insufficient_data"
    assert row["unsd_category"] == "no_target"
    assert row["cagr_reason"] == "undefined: one observation"
    assert row["n_points"] == 1


def test_lower_is_better_series():
    # 20 -> 15 towards <= 10 by 2025: R = 0.706374 (see test_progress), task 0.5 -> behind.
    obs = observations(("poverty", "2020", 20.0), ("poverty", "2023", 15.0))
    ser = series(("poverty", "level", "down"))
    row = assess(obs, ser, targets(("poverty", 2025, "<=", 10, "t"))).iloc[0]
    assert row["ratio"] == pytest.approx(0.706373900978, rel=1e-9)
    assert row["category"] == "acceleration_needed"
    assert row["midterm_label"] == "behind"
    # Linear projection 15 - 5/3 * 2 = 11.667; P = (11.667 - 20)/(10 - 20) = 0.8333 with the
    # level-series projection; UNSD by default projects compound: 15 * 0.75**(2/3) = 12.382,
    # P = (12.382 - 20)/(-10) = 0.7618 -> fair progress.
    assert row["projected_value"] == pytest.approx(15 - 2 * 5 / 3)
    assert row["unsd_ratio"] == pytest.approx((20 - 15 * 0.75 ** (2 / 3)) / 10)
    assert row["unsd_category"] == "fair_progress"
    method_based = assess(
        obs, ser, targets(("poverty", 2025, "<=", 10, "t")), {"unsd_projection": "method"}
    )
    assert method_based.iloc[0]["unsd_ratio"] == pytest.approx((20 - (15 - 2 * 5 / 3)) / 10)


def test_negative_values():
    # A balance -10 -> -5 (up is better), no target: no compound rate from a negative base; the
    # midpoint growth (5/3)/7.5 = 0.2222 -> substantial progress. Open SDG mode: s * d * CAGR =
    # (-1)(+1)(0.5**(1/3) - 1) = 0.2063 -> substantial progress too.
    obs = observations(("balance", "2020", -10.0), ("balance", "2023", -5.0))
    ser = series(("balance", "level", "up"))
    row = assess(obs, ser, NO_TARGETS).iloc[0]
    assert math.isnan(row["cagr"])
    assert row["cagr_reason"].startswith("undefined: base is negative")
    assert row["category"] == "substantial_progress"
    assert row["total_change"] == 5
    assert row["projected_value"] == pytest.approx(-5 + 2 * 5 / 3)
    sdg = assess(obs, ser, NO_TARGETS, {"negative_base": "open_sdg"}).iloc[0]
    assert sdg["cagr"] == pytest.approx(0.5 ** (1 / 3) - 1)
    assert sdg["category"] == "substantial_progress"


def test_repeated_and_conflicting_dates():
    obs = observations(
        ("a", "2020", 625),
        ("a", "2023", 690),
        ("a", "2023", 690),
        ("b", "2020", 625),
        ("b", "2023", 700),
        ("b", "2023", 690),
    )
    result = by_id(
        assess(obs, series(("a", "standard", "up"), ("b", "standard", "up")), NO_TARGETS)
    )
    # The same figure twice is one point, without a flag.
    assert result.loc["a", "n_points"] == 2
    assert "conflicting" not in result.loc["a", "flags"]
    # A contradiction keeps the first row (700) and says so; nothing is averaged.
    assert result.loc["b", "latest_value"] == 700
    assert "conflicting values at 2023: 700 vs 690" in result.loc["b", "flags"]


@pytest.mark.parametrize(("rule", "base"), [("low", 10.0), ("high", 20.0), ("mid", 15.0)])
def test_ranges_follow_the_range_rule(rule, base):
    obs = observations(("r", "2020", NAN, 10.0, 20.0), ("r", "2023", 30.0))
    row = assess(obs, series(("r", "count", "up")), NO_TARGETS, {"range_rule": rule}).iloc[0]
    assert row["base_value"] == base
    # Annual change (30 - base)/3 for each rule.
    assert row["annual_change"] == pytest.approx((30 - base) / 3)
    assert f"range at 2020: {rule} of 10-20 used" in row["flags"]


def test_default_range_rule_is_mid():
    assert Parameters().range_rule == "mid"


def test_month_dates():
    # 2023-06 is the end of June 2023, 2.5 years after the end of 2020; CAGR 625 -> 690 is
    # 1.104 ** (1 / 2.5) - 1 = 0.0403695422672 (by hand), time share 2.5 / 5 = 0.5.
    obs = observations(("m", "2020", 625), ("m", "2023-06", 690))
    row = assess(obs, series(("m", "standard", "up")), NO_TARGETS).iloc[0]
    assert row["latest_date"] == "2023-06"
    assert row["cagr"] == pytest.approx(0.0403695422672, rel=1e-9)
    assert row["time_share"] == pytest.approx(0.5)


def test_as_of_leaves_later_points_out():
    obs = observations(("a", "2020", 625), ("a", "2023", 690), ("a", "2024", 720))
    ser = series(("a", "standard", "up"))
    assert assess(obs, ser, NO_TARGETS).iloc[0]["latest_value"] == 720
    row = assess(obs, ser, NO_TARGETS, {"as_of": "2023"}).iloc[0]
    assert row["latest_value"] == 690
    assert row["n_points"] == 2
    # A date covers its whole period: as_of "2023" keeps 2023-06, "2023-05" does not.
    obs = observations(("a", "2020", 625), ("a", "2023-06", 690))
    assert assess(obs, ser, NO_TARGETS, {"as_of": "2023"}).iloc[0]["latest_date"] == "2023-06"
    assert assess(obs, ser, NO_TARGETS, {"as_of": "2023-05"}).iloc[0]["n_points"] == 1
    assert assess(obs, ser, NO_TARGETS, {"as_of": "2023-06"}).iloc[0]["n_points"] == 2


def test_milestones_and_empty_series_are_not_assessed():
    obs = observations(("plan", "2022", NAN), ("a", "2020", 1.0), ("a", "2023", 2.0))
    ser = series(("plan", "date", "none"), ("a", "count", "up"), ("nothing", "count", "up"))
    result = by_id(assess(obs, ser, NO_TARGETS))
    assert result.loc["plan", "category"] == "not_assessed"
    assert "milestone" in result.loc["plan", "flags"]
    assert result.loc["nothing", "category"] == "not_assessed"
    assert "no numeric observations" in result.loc["nothing", "flags"]
    assert result.loc["nothing", "n_points"] == 0
    assert result.loc["a", "category"] == "substantial_progress"


def test_bounded_projection_is_capped_in_the_table():
    obs = observations(("cover", "2020", 80.0), ("cover", "2023", 95.0))
    ser = series(("cover", "rate", "up", 100))
    logit = assess(obs, ser, NO_TARGETS).iloc[0]
    # Logit-scale linear projection 98.171467809 (see test_projection), below the bound.
    assert logit["projected_value"] == pytest.approx(98.171467809, rel=1e-9)
    capped = assess(obs, ser, NO_TARGETS, {"bounded_transform": "cap"}).iloc[0]
    assert capped["projected_value"] == 100
    assert capped["projected_high"] <= 100
    assert "capped at the bound" in capped["flags"]


def test_two_points_have_no_interval_and_the_note_says_why(allowances):
    row = by_id(assess(*allowances)).loc["dibao_rural"]
    assert row["interval_kind"] == "scenario"
    assert "zero residual degrees of freedom" in row["interval_note"]


def test_ols_method_with_four_points_equals_statsmodels():
    t_dates = ["2020", "2021", "2022", "2023"]
    values = [625.0, 650.0, 668.0, 690.0]
    obs = observations(*[("a", d, v) for d, v in zip(t_dates, values, strict=True)])
    row = assess(
        obs, series(("a", "standard", "up")), NO_TARGETS, {"series_methods": {"a": "ols"}}
    ).iloc[0]
    fit = sm.OLS(np.array(values), sm.add_constant(np.array([2020.0, 2021, 2022, 2023]))).fit()
    frame = fit.get_prediction(np.array([[1.0, 2025.0]])).summary_frame(alpha=0.05)
    expected = frame[["mean", "obs_ci_lower", "obs_ci_upper"]].iloc[0].to_numpy()
    got = row[["projected_value", "projected_low", "projected_high"]].to_numpy(float)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)
    assert row["interval_kind"] == "prediction_interval"
    assert row["method"] == "ols"


def test_target_overrides_and_several_targets():
    obs = observations(("a", "2020", 625), ("a", "2023", 690), ("b", "2020", 1), ("b", "2023", 2))
    ser = series(("a", "standard", "up"), ("b", "count", "down"))
    tgt = targets(("a", 2030, ">=", 1000, "long"), ("a", 2025, ">=", 800, "plan"))
    result = by_id(assess(obs, ser, tgt))
    # The 2025 row wins over the 2030 one.
    assert result.loc["a", "target_value"] == 800
    assert "several targets: used the one for 2025" in result.loc["a", "flags"]
    overridden = by_id(assess(obs, ser, tgt, {"target_overrides": {"a": 700, "b": 1}}))
    # 690 < 700, (690/625)**(1/3)-1 over (700/625)**(1/5)-1 = 0.0335299/0.0229296 = 1.4623.
    assert overridden.loc["a", "target_value"] == 700
    assert overridden.loc["a", "target_source"] == (
        "the chapter's parameter file (a target set in place of the published one)"
    )
    assert overridden.loc["a", "target_source_zh"] == "本章参数文件设定的替代目标值"
    assert overridden.loc["a", "ratio"] == pytest.approx(
        (1.104 ** (1 / 3) - 1) / (1.12**0.2 - 1), rel=1e-12
    )
    assert overridden.loc["a", "category"] == "on_track"
    # b had no target: the override creates one, comparator from the direction (down -> <=).
    assert overridden.loc["b", "target_comparator"] == "<="
    assert overridden.loc["b", "target_year"] == 2025


def test_each_projection_says_the_year_it_is_for():
    """The target's year where there is a target (2030 for a, the only one), the parameter
    target_year otherwise (2027 for b); none where nothing is projected (c, one figure)."""
    obs = observations(
        ("a", "2020", 625), ("a", "2023", 690), ("b", "2020", 1), ("b", "2023", 2), ("c", "2023", 5)
    )
    ser = series(("a", "standard", "up"), ("b", "count", "up"), ("c", "count", "up"))
    tgt = targets(("a", 2030, ">=", 1000, "long"))
    result = by_id(assess(obs, ser, tgt, {"target_year": 2027}))
    assert result.loc["a", "projection_year"] == 2030
    assert result.loc["b", "projection_year"] == 2027
    assert pd.isna(result.loc["b", "target_year"])
    assert pd.isna(result.loc["c", "projected_value"]) and pd.isna(
        result.loc["c", "projection_year"]
    )


def test_two_figures_less_than_a_year_apart_have_no_pace():
    """86 -> 94 from the end of 2024 to June 2025 (half a year) would annualise one step into
    (94/86)**2 - 1 = +19.5 % a year: no rate, no projection, insufficient data. A year apart
    (2024 -> 2025) is a pace: 94/86 - 1. A short span that meets its target stays met."""
    obs = observations(
        ("short", "2024", 86), ("short", "2025-06", 94),
        ("year", "2024", 86), ("year", "2025", 94),
        ("met", "2024", 86), ("met", "2025-06", 94),
    )  # fmt: skip
    ser = series(("short", "standard", "up"), ("year", "standard", "up"), ("met", "standard", "up"))
    result = by_id(assess(obs, ser, targets(("met", 2025, ">=", 90, "plan"))))
    short = result.loc["short"]
    assert pd.isna(short["cagr"]) and pd.isna(short["annual_change"])
    assert short["cagr_reason"] == (
        "undefined: base and latest less than a year apart: no pace, no projection"
    )
    assert pd.isna(short["projected_value"]) and short["category"] == "insufficient_data"
    assert short["total_change"] == 8  # the observed change stands
    assert result.loc["year", "cagr"] == pytest.approx(94 / 86 - 1)
    assert result.loc["year", "category"] != "insufficient_data"
    assert result.loc["met", "category"] == "target_achieved"


def test_base_year_missing_uses_the_next_observation():
    obs = observations(("a", "2019", 600), ("a", "2021", 640), ("a", "2023", 690))
    row = assess(obs, series(("a", "standard", "up")), NO_TARGETS).iloc[0]
    assert row["base_date"] == "2021"
    assert "base is 2021, later than the base year 2020" in row["flags"]
    # CAGR 640 -> 690 over 2 years: (690/640)**0.5 - 1.
    assert row["cagr"] == pytest.approx((690 / 640) ** 0.5 - 1)
    assert row["n_points"] == 3


def test_params_from_a_mapping_and_bad_params():
    p = Parameters.coerce({"thresholds": {"on_track": 0.9}, "projection_method": {"level": "ols"}})
    assert p.thresholds.on_track == 0.9
    assert p.thresholds.acceleration_needed == 0.60
    assert p.method_by_kind["level"] == "ols"
    assert p.method_by_kind["standard"] == "cagr"
    with pytest.raises(ValueError, match="treshold"):
        Parameters.coerce({"treshold": 1})
    with pytest.raises(ValueError, match="range_rule"):
        Parameters.coerce({"range_rule": "median"})
    with pytest.raises(ValueError, match="series_methods"):
        Parameters.coerce({"series_methods": {"a": "holt"}})


def test_relation_checks_now_and_projected():
    obs = observations(
        ("tekun_urban", "2020", 813),
        ("tekun_urban", "2023", 920),
        ("dibao_urban", "2020", 625),
        ("dibao_urban", "2023", 707),
        ("dibao_urban", "2024", 720),
    )
    rel = pd.DataFrame(
        {
            "relation_id": ["r1", "r2"],
            "left_series_id": ["tekun_urban", "tekun_urban"],
            "comparator": [">=", ">="],
            "factor": [1.3, 0.6],
            "right_series_id": ["dibao_urban", "consumption"],
            "section": ["二.(一).3", "二.(一).3"],
            "quote": ["", ""],
            "source": ["report", "report"],
        }
    )
    ser = series(("tekun_urban", "standard", "up"), ("dibao_urban", "standard", "up"))
    result = relation_checks(obs, rel, Parameters(), series=ser).set_index("relation_id")
    # Latest common date 2023 (2024 has no 特困 figure): 920 vs 1.3 * 707 = 919.1 -> holds by 0.9.
    assert result.loc["r1", "date"] == "2023"
    assert result.loc["r1", "factor_right"] == pytest.approx(919.1)
    assert result.loc["r1", "margin"] == pytest.approx(0.9)
    assert result.loc["r1", "holds"] is True
    # Projected compound to 2025: 920 * (920/813)**(2/3); 720 * (720/625)**(1/4), the 2020 ->
    # 2024 rate carried one more year.
    left = 920 * (920 / 813) ** (2 / 3)
    right = 720 * (720 / 625) ** (1 / 4)
    assert result.loc["r1", "projected_left"] == pytest.approx(left)
    assert result.loc["r1", "projected_right"] == pytest.approx(right)
    assert result.loc["r1", "projected_margin"] == pytest.approx(left - 1.3 * right)
    # The consumption series has no data.
    assert result.loc["r2", "holds"] is None
    assert result.loc["r2", "reason"] == "no data"
    assert result.loc["r2", "projected_holds"] is None


def test_a_series_observed_after_the_target_year_is_not_projected_backwards():
    # 86 (2024) -> 94 (2026-06): the latest point lies after the end of 2025, so a projection
    # to 2025 would run backwards (below 94). The observed 94 is reported instead, with a flag.
    obs = observations(("s", "2024", 86.0), ("s", "2026-06", 94.0))
    row = assess(obs, series(("s", "standard", "up")), NO_TARGETS).iloc[0]
    assert (row["projected_value"], row["projected_low"], row["projected_high"]) == (94, 94, 94)
    assert row["interval_kind"] == "none"
    assert "observed in or after the target year" in row["flags"]
    assert "extreme_extrapolation" not in row["flags"]


def test_series_without_any_observation_are_not_assessed_and_relations_say_no_data():
    # Regression: a frame with no points at all (every series empty) must not crash.
    empty = observations(("other", "2020", 1.0)).iloc[0:0]
    result = assess(empty, series(("a", "standard", "up")), NO_TARGETS)
    assert result.iloc[0]["category"] == "not_assessed"
    relations = pd.DataFrame(
        [
            {
                "relation_id": "r",
                "left_series_id": "a",
                "comparator": ">=",
                "factor": 1.0,
                "right_series_id": "b",
                "section": "二.(四).4",
                "quote": "",
                "source": "report",
            }
        ]
    )
    checks = relation_checks(empty, relations)
    assert checks.iloc[0]["holds"] is None
    assert checks.iloc[0]["reason"] == "no data"


def test_relation_checks_ignore_choices_for_series_outside_the_relations():
    # Regression: a chapter's override for a series that is in no relation made
    # relation_checks fail with "unknown series".
    obs = observations(("a", "2020", 813.0), ("a", "2023", 897.0), ("b", "2020", 625.0))
    obs = pd.concat([obs, observations(("b", "2023", 690.0), ("c", "2023", 62.0))])
    relations = pd.DataFrame(
        [
            {
                "relation_id": "r",
                "left_series_id": "a",
                "comparator": ">=",
                "factor": 1.3,
                "right_series_id": "b",
                "section": "一.2",
                "quote": "",
                "source": "report",
            }
        ]
    )
    params = {"target_overrides": {"c": 100.0}, "series_methods": {"c": "linear"}}
    checks = relation_checks(obs, relations, params)
    # 897 >= 1.3 x 690 = 897.0 (by hand): holds, with a margin of 0
    assert bool(checks.iloc[0]["holds"])
    assert checks.iloc[0]["margin"] == pytest.approx(0.0, abs=1e-9)


def test_a_projected_breach_within_rounding_is_not_a_breach():
    # 特困 rural 813 -> 897 and 低保 rural 625 -> 690: 897 = 1.3 x 690 exactly in 2023. Each
    # projected on its own to 2025: 897 * (897/813)**(2/3) = 957.69 and 1.3 * 690 *
    # (690/625)**(2/3) = 958.08, a gap of -0.39 yuan, under half the whole yuan the report
    # states them in: not evidence that the rule breaks.
    obs = observations(
        ("tekun", "2020", 813),
        ("tekun", "2023", 897),
        ("dibao", "2020", 625),
        ("dibao", "2023", 690),
    )
    rules = pd.DataFrame(
        [
            {
                "relation_id": "r",
                "left_series_id": "tekun",
                "comparator": ">=",
                "factor": 1.3,
                "right_series_id": "dibao",
                "section": "一.2",
                "quote": "",
                "source": "report",
            }
        ]
    )
    kinds = series(("tekun", "standard", "up"), ("dibao", "standard", "up"))
    row = relation_checks(obs, rules, series=kinds).iloc[0]
    expected = 897 * (897 / 813) ** (2 / 3) - 1.3 * 690 * (690 / 625) ** (2 / 3)
    assert row["projected_margin"] == pytest.approx(expected)
    assert -0.5 < expected < 0
    assert row["holds"] is True or row["holds"] == True  # noqa: E712 (object column)
    assert row["projected_holds"] is None
    assert row["projected_reason"] == "within rounding"
    # A breach of a whole yuan or more is still one.
    obs.loc[obs["series_id"].eq("tekun") & obs["date"].eq("2023"), "value"] = 896
    assert relation_checks(obs, rules, series=kinds).iloc[0]["projected_holds"] is False
