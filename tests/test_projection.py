"""Projection to the target year; expected values by hand, OLS checked against statsmodels."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm

from analysis.methods import projection
from analysis.methods.projection import ols_predict, ols_predict_many, project_many, project_one


def statsmodels_prediction(t, y, x0, alpha=0.05):
    """mean, obs_ci_lower, obs_ci_upper from statsmodels for one series."""
    fit = sm.OLS(np.asarray(y, float), sm.add_constant(np.asarray(t, float))).fit()
    frame = fit.get_prediction(np.array([[1.0, x0]])).summary_frame(alpha=alpha)
    return frame[["mean", "obs_ci_lower", "obs_ci_upper"]].iloc[0].to_numpy()


def test_linear_projection_of_the_rural_allowance():
    # 690 + (65/3) * (2025 - 2023) = 690 + 43.333 = 733.333 (by hand).
    row = project_one([2020, 2023], [625, 690], 2025, "linear")
    assert row["projected_value"] == pytest.approx(690 + 2 * 65 / 3)
    assert row["method"] == "linear"


def test_compound_projection_of_the_urban_allowance():
    # 707 * (707/625)**(2/3) = 707 * 1.1312**(2/3) = 767.560018704 (by hand).
    row = project_one([2020, 2023], [625, 707], 2025, "cagr")
    assert row["projected_value"] == pytest.approx(767.560018704, rel=1e-9)


def test_zero_base_compound_falls_back_to_linear():
    # 0 -> 43: no compound rate; linear 43 + (43/3)*2 = 71.667.
    row = project_one([2020, 2023], [0, 43], 2025, "cagr")
    assert row["method"] == "linear"
    assert row["projected_value"] == pytest.approx(43 + 2 * 43 / 3)
    assert "compound rate undefined, linear used" in row["flags"]


def test_two_points_give_no_interval_but_a_scenario_band():
    # Target 800 not yet met: band from the current compound pace (737.047) to the target (800).
    row = project_one([2020, 2023], [625, 690], 2025, "cagr", target_value=800)
    assert row["interval_kind"] == "scenario"
    assert "zero residual degrees of freedom" in row["interval_note"]
    assert "required pace" in row["interval_note"]
    assert row["projected_low"] == pytest.approx(690 * 1.104 ** (2 / 3))
    assert row["projected_high"] == 800
    # Without a target: linear (733.333) vs compound (737.047).
    row = project_one([2020, 2023], [625, 690], 2025, "linear")
    assert row["interval_kind"] == "scenario"
    assert row["projected_low"] == pytest.approx(690 + 2 * 65 / 3)
    assert row["projected_high"] == pytest.approx(690 * 1.104 ** (2 / 3))
    assert "linear vs compound" in row["interval_note"]


def test_two_point_ols_really_has_no_interval_in_statsmodels():
    # The reason the note gives: statsmodels returns NaN bounds with zero residual df.
    with np.errstate(all="ignore"):
        mean, lower, upper = statsmodels_prediction([2020, 2023], [625, 690], 2025)
    assert math.isnan(lower) and math.isnan(upper)
    ours = ols_predict([2020, 2023], [625, 690], 2025)
    assert ours.mean == pytest.approx(mean)
    assert math.isnan(ours.obs_ci_lower)
    # Two-point OLS is the straight line through both points: 733.333.
    assert ours.mean == pytest.approx(690 + 2 * 65 / 3)


def test_three_points_give_no_interval_and_say_why():
    row = project_one([2020, 2021, 2023], [60, 70, 95], 2025, "ols")
    assert row["interval_kind"] != "prediction_interval"
    assert "1 residual degree of freedom" in row["interval_note"]
    assert "12.7" in row["interval_note"]


def test_four_or_more_points_give_the_statsmodels_prediction_interval():
    cases = [
        ([2020, 2021, 2022, 2023], [625, 650, 668, 690]),
        ([2019, 2020, 2021, 2022, 2023.5], [12.0, 15.5, 15.1, 19.0, 22.4]),
        ([2018, 2019 + 3 / 12, 2020, 2021, 2022, 2023 + 5 / 12], [3, 5, 4, 8, 7, 11]),
    ]
    for t, y in cases:
        expected = statsmodels_prediction(t, y, 2025)
        row = project_one(t, y, 2025, "ols")
        assert row["interval_kind"] == "prediction_interval"
        got = [row["projected_value"], row["projected_low"], row["projected_high"]]
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)
        assert "illustrative 95 % prediction interval" in row["interval_note"]


def test_vectorised_ols_equals_statsmodels_series_by_series():
    rng = np.random.default_rng(7)
    groups, ts, ys, series = [], [], [], []
    for g, n in enumerate([4, 5, 6, 4, 6]):
        t = np.sort(rng.choice(np.arange(2015, 2025), size=n, replace=False)).astype(float)
        t += rng.integers(0, 12, size=n) / 12
        y = 100 + 8 * (t - 2015) + rng.normal(0, 5, size=n)
        groups.append(np.full(n, g))
        ts.append(t)
        ys.append(y)
        series.append((t, y))
    x0 = np.array([2025.0, 2026.0, 2025.0, 2030.0, 2025.0])
    for alpha in (0.05, 0.1):
        result = ols_predict_many(
            np.concatenate(groups), np.concatenate(ts), np.concatenate(ys), x0, alpha=alpha
        )
        for g, (t, y) in enumerate(series):
            expected = statsmodels_prediction(t, y, x0[g], alpha)
            got = [result.mean[g], result.obs_ci_lower[g], result.obs_ci_upper[g]]
            np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)


def test_three_point_interval_would_use_t_with_one_df():
    # What min_points_for_interval=4 avoids: with 3 points the multiplier is t(0.975, 1) = 12.706.
    t, y = [2020, 2021, 2023], [60.0, 70.0, 95.0]
    result = ols_predict(t, y, 2025)
    expected = statsmodels_prediction(t, y, 2025)
    np.testing.assert_allclose(
        [result.mean, result.obs_ci_lower, result.obs_ci_upper], expected, rtol=0, atol=1e-9
    )
    assert result.df_resid == 1


def test_bounded_rate_is_projected_on_the_logit_scale():
    # 80 -> 95 % (2020 -> 2023): logit(80) = ln 4 = 1.386294, logit(95) = ln 19 = 2.944439;
    # slope (2.944439 - 1.386294)/3 = 0.519382 a year; z(2025) = 2.944439 + 2 * 0.519382
    # = 3.983202; 100/(1 + e**-3.983202) = 98.171467809 (by hand). A level line would reach 105.
    row = project_one([2020, 2023], [80, 95], 2025, "linear", bound=100)
    assert row["scale"] == "logit"
    assert row["projected_value"] == pytest.approx(98.171467809, rel=1e-9)
    assert row["projected_value"] < 100


def test_bounded_rate_is_capped_when_asked_or_when_the_logit_fails():
    # Level line 95 + 5 * 2 = 105 -> capped at 100, and flagged.
    row = project_one([2020, 2023], [80, 95], 2025, "linear", bound=100, bounded_transform="cap")
    assert row["projected_value"] == 100
    assert "capped at the bound" in row["flags"]
    # Already at 100: no logit; projected on the level scale and capped.
    row = project_one([2020, 2023], [90, 100], 2025, "linear", bound=100)
    assert row["projected_value"] == 100
    assert row["scale"] == "level"
    assert "no logit" in row["flags"]
    # Compound on a bounded series is capped: 90 * (90/50)**(2/3) = 133 -> 100.
    row = project_one([2020, 2023], [50, 90], 2025, "cagr", bound=100)
    assert row["projected_value"] == 100
    assert row["projected_high"] <= 100


def test_ols_on_the_logit_scale_matches_statsmodels_on_logits():
    t = [2019, 2020, 2021, 2022, 2023]
    y = np.array([55.0, 61.0, 70.0, 74.0, 83.0])
    z = np.log(y / (100 - y))
    mean, lower, upper = statsmodels_prediction(t, z, 2025)
    row = project_one(t, y, 2025, "ols", bound=100)
    back = 100 / (1 + np.exp(-np.array([mean, lower, upper])))
    np.testing.assert_allclose(
        [row["projected_value"], row["projected_low"], row["projected_high"]], back, atol=1e-9
    )
    assert row["projected_high"] < 100


def test_declining_count_is_floored_at_zero():
    # 100 -> 30 in 3 years: 30 - (70/3) * 2 = -16.7 -> 0, flagged.
    row = project_one([2020, 2023], [100, 30], 2025, "linear", floor_zero=True)
    assert row["projected_value"] == 0
    assert "floored at 0" in row["flags"]
    # Without the floor (a level that may be negative) the line goes on.
    row = project_one([2020, 2023], [100, 30], 2025, "linear", floor_zero=False)
    assert row["projected_value"] == pytest.approx(30 - 2 * 70 / 3)


def test_extreme_extrapolations_are_flagged():
    # A care standard 100 -> 501: compound projection of a series that grew 5x.
    row = project_one([2020, 2023], [100, 501], 2025, "cagr")
    assert projection.EXTREME in row["flags"]
    assert "grew more than 2x" in row["flags"]
    # Linear 10 -> 30 in one year, two more years: 70, i.e. 2.33 x the latest value.
    row = project_one([2022, 2023], [10, 30], 2025, "linear")
    assert row["projected_value"] == pytest.approx(70)
    assert "projected / latest outside [0.5, 2]" in row["flags"]
    # A modest series is not flagged.
    row = project_one([2020, 2023], [625, 690], 2025, "cagr")
    assert row["flags"] == ""
    # The limits are parameters.
    row = project_one([2022, 2023], [10, 30], 2025, "linear", max_projection_multiple=3)
    assert projection.EXTREME not in row["flags"]


def test_one_observation_is_not_projected():
    row = project_one([2023], [77.18], 2025, "linear", bound=100)
    assert math.isnan(row["projected_value"])
    assert row["interval_kind"] == "none"
    assert "no projection" in row["interval_note"]


def test_points_before_the_base_count_for_ols_only():
    # 2015 point of the 低保 series (625 in 2020 from 13th-plan progress; 430 in 2015 here).
    t, y = [2015, 2020, 2023], [430, 625, 690]
    linear = project_one(t, y, 2025, "linear", base_year=2020)
    assert linear["projected_value"] == pytest.approx(690 + 2 * 65 / 3)
    ols = project_one(t, y, 2025, "ols", base_year=2020)
    assert ols["projected_value"] == pytest.approx(statsmodels_prediction(t, y, 2025)[0])


def test_many_series_at_once_and_unknown_methods():
    group = np.array([0, 0, 1, 1])
    t = np.array([2020.0, 2023.0, 2020.0, 2023.0])
    y = np.array([625.0, 690.0, 625.0, 707.0])
    frame = project_many(
        group,
        t,
        y,
        base_index=np.array([0, 2]),
        latest_index=np.array([1, 3]),
        method=np.array(["linear", "cagr"], dtype=object),
        target_year=2025,
    )
    assert list(frame["projected_value"]) == pytest.approx(
        [690 + 2 * 65 / 3, 707 * 1.1312 ** (2 / 3)]
    )
    with pytest.raises(ValueError, match="unknown projection method"):
        project_many(
            group,
            t,
            y,
            base_index=np.array([0, 2]),
            latest_index=np.array([1, 3]),
            method="holt",
            target_year=2025,
        )
