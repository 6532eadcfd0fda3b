"""Progress categories; expected values worked out by hand from the published formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.methods import progress
from analysis.methods.progress import Thresholds


def one(frame):
    """The single row of a one-series result."""
    assert len(frame) == 1
    return frame.iloc[0]


# Open SDG / Statistics Canada, with a target ------------------------------------------------


def test_ratio_for_the_rural_allowance_against_a_target():
    # Hypothetical target 800 by 2025. CAGR_obs = 1.104**(1/3) - 1 = 0.0335298504727,
    # CAGR_req = 1.28**0.2 - 1 = 0.0506111217615, R = 0.03352985/0.05061112 = 0.662499650388
    # (by hand): 0.60 <= R < 0.95 -> acceleration needed.
    row = one(progress.open_sdg_status(625, 690, 2020, 2023, "up", 800, 2025, ">="))
    assert row["ratio"] == pytest.approx(0.662499650388, rel=1e-9)
    assert row["category"] == "acceleration_needed"
    assert row["basis"] == "cagr"


def test_target_already_met_comes_first():
    # Care-bed share 77.18 % against the national target >= 55 %: met, whatever the trend, and
    # even with a single observation.
    row = one(progress.open_sdg_status(77.18, 77.18, 2023, 2023, "up", 55, 2025, ">=", n_points=1))
    assert row["category"] == "target_achieved"
    # A falling share that is still above 55 % is also "target achieved".
    row = one(progress.open_sdg_status(80, 77.18, 2020, 2023, "up", 55, 2025, ">=", bound=100))
    assert row["category"] == "target_achieved"


def test_zero_base_falls_back_to_absolute_change():
    # Care standard 0 -> 43 (2020 -> 2023), hypothetical target 60 by 2025. No compound rate from
    # zero, so R = observed annual change / required annual change = (43/3)/(60/5)
    # = 14.333/12 = 1.194444 (by hand) -> on track, and the note says why.
    row = one(progress.open_sdg_status(0, 43, 2020, 2023, "up", 60, 2025, ">="))
    assert row["ratio"] == pytest.approx(43 / 3 / 12)
    assert row["category"] == "on_track"
    assert row["basis"] == "absolute_change"
    assert "undefined: base is zero" in row["note"]


def test_zero_base_without_target_uses_the_midpoint_growth_fallback():
    # No target: midpoint growth (43/3)/((0 + 43)/2) = 0.6667 >= 1.5 % -> substantial progress.
    row = one(progress.open_sdg_status(0, 43, 2020, 2023, "up"))
    assert row["growth"] == pytest.approx(2 / 3)
    assert row["basis"] == "midpoint_growth"
    assert row["category"] == "substantial_progress"
    assert "fallback" in row["note"]


def test_lower_is_better_with_target():
    # A down series 20 -> 15 (2020 -> 2023), target <= 10 by 2025.
    # CAGR_obs = 0.75**(1/3) - 1 = -0.0914397035839; CAGR_req = 0.5**0.2 - 1 = -0.129449436704;
    # R = (-1)(-0.09143970)/0.12944944 = 0.706373900978 (by hand) -> acceleration needed.
    row = one(progress.open_sdg_status(20, 15, 2020, 2023, "down", 10, 2025, "<="))
    assert row["ratio"] == pytest.approx(0.706373900978, rel=1e-9)
    assert row["category"] == "acceleration_needed"
    # Met from below: 9 <= 10.
    row = one(progress.open_sdg_status(20, 9, 2020, 2023, "down", 10, 2025, "<="))
    assert row["category"] == "target_achieved"


def test_lower_is_better_without_target_rising_is_the_wrong_way():
    # d * CAGR = -1 * (1.2**(1/3) - 1) = -0.0626585 < 0 -> the wrong direction (Open SDG's
    # deterioration, without a target).
    row = one(progress.open_sdg_status(50, 60, 2020, 2023, "down"))
    assert row["growth"] == pytest.approx(-(1.2 ** (1 / 3) - 1))
    assert row["category"] == "wrong_direction"


def test_no_target_thresholds_for_the_allowances():
    # 0.0335 and 0.0419 per year, both >= 1.5 % -> substantial progress.
    frame = progress.open_sdg_status([625, 625], [690, 707], 2020, 2023, "up")
    assert list(frame["category"]) == ["substantial_progress", "substantial_progress"]
    assert frame["ratio"].isna().all()
    # 625 -> 630 in 3 years: 1.008**(1/3) - 1 = 0.002660 -> slow growth (0 <= g < 0.5 %; Open
    # SDG's limited progress, without a target); 625 -> 645: 1.032**(1/3) - 1 = 0.010555 ->
    # moderate progress (0.5 % <= g < 1.5 %).
    frame = progress.open_sdg_status([625, 625], [630, 645], 2020, 2023, "up")
    assert list(frame["category"]) == ["slow_growth", "moderate_progress"]


def test_bound_scaling_near_100_percent():
    # C = 1 - (80/100)**4.44 = 0.628704622670 and 1 - 0.95**4.44 = 0.203670494438 (by hand;
    # the methodology quotes ~0.63 and ~0.20).
    assert progress.bound_coefficient(80, 100) == pytest.approx(0.628704622670, rel=1e-9)
    assert progress.bound_coefficient(95, 100) == pytest.approx(0.203670494438, rel=1e-9)
    assert progress.bound_coefficient(80, float("nan")) == 1.0
    assert progress.bound_coefficient(80, 100, direction="down") == 1.0
    # 80 -> 83 %: g = (83/80)**(1/3) - 1 = 0.0123469 < 1.5 % (moderate unscaled) but
    # >= 1.5 % * 0.6287 = 0.00943 -> substantial progress once scaled.
    unscaled = one(progress.open_sdg_status(80, 83, 2020, 2023, "up"))
    scaled = one(progress.open_sdg_status(80, 83, 2020, 2023, "up", bound=100))
    assert unscaled["category"] == "moderate_progress"
    assert scaled["category"] == "substantial_progress"
    assert scaled["coefficient"] == pytest.approx(0.628704622670, rel=1e-9)
    assert "C = 0.63" in scaled["note"]


def test_insufficient_data_and_no_direction():
    row = one(progress.open_sdg_status(625, 625, 2023, 2023, "up", n_points=1))
    assert row["category"] == "insufficient_data"
    row = one(progress.open_sdg_status(625, 690, 2020, 2023, "up", 800, 2025, ">=", n_points=1))
    assert row["category"] == "insufficient_data"
    row = one(progress.open_sdg_status(625, 690, 2020, 2023, "none"))
    assert row["category"] == "not_assessed"
    assert "no direction" in row["note"]


def test_negative_base_falls_back_or_follows_open_sdg():
    # -10 -> -5, up, target -2 by 2025. Default: absolute change (5/3)/(8/5) = 1.041667 -> on
    # track. Open SDG: s = -1, CAGR_obs = 0.5**(1/3) - 1 = -0.2063, CAGR_req = 0.2**0.2 - 1
    # = exp(0.2 ln 0.2) - 1 = -0.275220; R = (-1)(+1)(-0.206299)/0.275220 = 0.749579 ->
    # acceleration needed (by hand).
    default = one(progress.open_sdg_status(-10, -5, 2020, 2023, "up", -2, 2025, ">="))
    assert default["ratio"] == pytest.approx((5 / 3) / (8 / 5))
    assert default["category"] == "on_track"
    assert default["basis"] == "absolute_change"
    sdg = one(
        progress.open_sdg_status(
            -10, -5, 2020, 2023, "up", -2, 2025, ">=", negative_base="open_sdg"
        )
    )
    assert sdg["ratio"] == pytest.approx(0.749579, rel=1e-5)
    assert sdg["category"] == "acceleration_needed"


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (0.95, "on_track"),
        (0.9499999, "acceleration_needed"),
        (0.60, "acceleration_needed"),
        (0.5999999, "limited_progress"),
        (0.0, "limited_progress"),
        (-1e-9, "deterioration"),
    ],
)
def test_ratio_thresholds_at_their_edges(ratio, expected):
    assert progress.classify_ratio(ratio)[0] == expected


def test_thresholds_are_parameters():
    strict = Thresholds(on_track=1.0)
    assert progress.classify_ratio(0.97, strict)[0] == "acceleration_needed"
    assert progress.classify_ratio(0.97)[0] == "on_track"


# UNSD projected-value ratio -------------------------------------------------------------------


def test_unsd_ratio_by_hand():
    # Compound projection 690 * 1.104**(2/3) = 737.046926755; P = (737.0469 - 625)/(800 - 625)
    # = 0.640268152883 (by hand): 0.10 <= P < 0.95 -> fair progress.
    projected = 690 * 1.104 ** (2 / 3)
    row = one(progress.unsd_status(625, 690, projected, 800, ">=", "up"))
    assert row["ratio"] == pytest.approx(0.640268152883, rel=1e-9)
    assert row["category"] == "fair_progress"
    # P = (640 - 625)/175 = 0.0857 < 0.10 -> stagnation or regression; (800-625)*0.95+625 = 791.25.
    assert one(progress.unsd_status(625, 630, 640, 800))["category"] == "stagnation_or_regression"
    assert one(progress.unsd_status(625, 700, 791.25, 800))["category"] == "on_track_or_met"


def test_unsd_within_one_point_of_100_percent_counts_as_met():
    row = one(progress.unsd_status(90, 99.2, 99.5, 100, ">=", "up", bound=100))
    assert row["category"] == "on_track_or_met"
    assert "within 1 point" in row["note"]
    # 97 now, 98.5 projected: 1.5 points short; P = (98.5 - 90)/10 = 0.85 -> fair progress.
    row = one(progress.unsd_status(90, 97, 98.5, 100, ">=", "up", bound=100))
    assert row["ratio"] == pytest.approx(0.85)
    assert row["category"] == "fair_progress"
    # The rule is about percentages: an unbounded series 99.5 vs 100 is not met.
    row = one(progress.unsd_status(90, 99.5, 99.5, 100, ">=", "up"))
    assert row["category"] == "on_track_or_met"  # P = 0.95 exactly
    row = one(progress.unsd_status(90, 99.2, 99.2, 100, ">=", "up"))
    assert row["category"] == "fair_progress"  # P = 0.92


def test_unsd_no_target_and_target_met():
    assert one(progress.unsd_status(625, 690, 737, float("nan")))["category"] == "no_target"
    assert one(progress.unsd_status(70, 77.18, 80, 55, ">=", "up"))["category"] == "on_track_or_met"


# Mid-term benchmark 时间过半、任务过半 ------------------------------------------------------------


def test_midterm_shares_and_labels_by_hand():
    # Time share (2023 - 2020)/(2025 - 2020) = 0.6 in every case.
    frame = progress.midterm_status(
        [625, 0, 625, 70],
        [690, 43, 733.5, 77.18],
        2020,
        2023,
        [800, 60, 800, 55],
        2025,
        ">=",
        plan_start=2020,
    )
    assert list(frame["time_share"]) == pytest.approx([0.6] * 4)
    # Rural allowance: 65/175 = 0.3714 < 0.6 - 0.05 -> 滞后 (behind).
    # Care standard: 43/60 = 0.7167 >= 0.6 + 0.05 -> 快于预期 (ahead).
    # 108.5/175 = 0.62, within 0.6 +- 0.05 -> 基本符合预期 (on schedule).
    # Care beds 77.18 >= 55 -> 提前实现 (achieved early).
    assert frame["task_share"][0] == pytest.approx(65 / 175)
    assert frame["task_share"][1] == pytest.approx(43 / 60)
    assert frame["task_share"][2] == pytest.approx(0.62)
    assert list(frame["label"]) == ["behind", "ahead", "on_schedule", "achieved_early"]
    assert progress.label("behind", "zh") == "滞后"
    assert progress.label("ahead", "zh") == "快于预期"
    assert progress.label("on_schedule", "zh") == "基本符合预期"
    assert progress.label("achieved_early", "zh") == "提前实现"


def test_midterm_tolerance_is_a_parameter():
    # 43/60 = 0.7167: ahead with the default 0.05, on schedule with 0.15 (0.7167 < 0.75).
    wide = one(
        progress.midterm_status(0, 43, 2020, 2023, 60, 2025, ">=", plan_start=2020, tolerance=0.15)
    )
    assert wide["label"] == "on_schedule"


def test_midterm_without_target_gives_no_label_and_says_why():
    row = one(progress.midterm_status(625, 690, 2020, 2023, float("nan"), 2025, plan_start=2020))
    assert row["label"] is None
    assert math.isnan(row["task_share"])
    assert row["time_share"] == pytest.approx(0.6)
    assert row["note"] == "mid-term: no target, no label"


def test_midterm_lower_is_better():
    # 20 -> 15 towards <= 10: task (15 - 20)/(10 - 20) = 0.5 -> within 0.6 +- 0.05? No: 0.5 <
    # 0.55 -> behind. 20 -> 13.5: 0.65 -> ahead.
    frame = progress.midterm_status(
        [20, 20], [15, 13.5], 2020, 2023, 10, 2025, "<=", "down", plan_start=2020
    )
    assert list(frame["task_share"]) == pytest.approx([0.5, 0.65])
    assert list(frame["label"]) == ["behind", "ahead"]


# Relations and labels --------------------------------------------------------------------------


def test_relation_check_by_hand():
    # 特困 standard 900 vs 1.3 * 707 = 919.1: fails by 19.1. 1000 vs 919.1: holds by 80.9.
    frame = progress.check_relation([900, 1000, 900], [707, 707, np.nan], ">=", 1.3)
    assert list(frame["factor_right"][:2]) == pytest.approx([919.1, 919.1])
    assert list(frame["margin"][:2]) == pytest.approx([-19.1, 80.9])
    assert list(frame["holds"]) == [False, True, None]
    assert list(frame["reason"]) == ["", "", "no data"]


def test_every_code_has_an_english_and_a_chinese_label():
    codes = [
        value for name, value in vars(progress).items() if name.isupper() and isinstance(value, str)
    ]
    for code in codes:
        assert set(progress.LABELS[code]) == {"en", "zh"}
        assert progress.label(code, "en") and progress.label(code, "zh")
    assert progress.label(None) == ""
    assert len({entry["zh"] for entry in progress.LABELS.values()}) == len(progress.LABELS)


def test_growth_without_a_target_is_named_as_growth_not_as_progress() -> None:
    """Against the default thresholds (1.5 %, 0.5 % and 0 a year): 2 % is fast, 1 % moderate,
    0.1 % slow, -1 % the wrong way; none of them is called progress towards a target."""
    codes = progress.classify_growth([0.02, 0.01, 0.001, -0.01])
    assert list(codes) == [
        progress.SUBSTANTIAL_PROGRESS,
        progress.MODERATE_PROGRESS,
        progress.SLOW_GROWTH,
        progress.WRONG_DIRECTION,
    ]
    labels = [progress.label(code, "zh") for code in codes]
    assert all(text.startswith("无目标·") for text in labels)
    assert set(codes).isdisjoint(progress.TARGET_CATEGORY_ORDER)


def test_unsd_growth_without_a_target_is_named_as_growth_in_both_languages() -> None:
    """The same three categories in both editions, each named for the growth it measures:
    'on track' or 倒退 would claim a target or a fall that is not there."""
    codes = progress.UNSD_GROWTH_ORDER
    chinese = [progress.label(code, "zh") for code in codes]
    english = [progress.label(code, "en") for code in codes]
    assert chinese == ["无目标·增速缓慢或下降", "无目标·增速一般", "无目标·增速较快"]
    assert english == [
        "No target: slow growth or a fall",
        "No target: moderate growth",
        "No target: fast growth",
    ]
