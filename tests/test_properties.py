"""Properties that must hold for any data (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from analysis.methods import growth, progress
from analysis.methods.assessment import assess
from analysis.methods.projection import ols_predict, ols_predict_many, project_one

positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)
years = st.floats(min_value=2015, max_value=2024, allow_nan=False)
ratios = st.floats(min_value=-50, max_value=50, allow_nan=False)


@given(
    y0=positive,
    factor=st.floats(min_value=0.05, max_value=20, allow_nan=False),
    t0=years,
    gap=st.floats(min_value=0.5, max_value=8, allow_nan=False),
)
def test_compounding_the_observed_rate_returns_the_latest_value(y0, factor, t0, gap):
    # Realistic ranges: (1 + rate) far from 0, where rounding in "- 1" and "+ 1" stays tiny.
    yt, t = y0 * factor, t0 + gap
    rate = growth.cagr(y0, yt, t0, t)
    assert rate.reason == ""
    assert np.isclose(growth.compound(y0, rate.value, t - t0), yt, rtol=1e-9, atol=0)


@given(
    y0=st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=1, max_size=20),
    data=st.data(),
)
def test_vectorised_growth_equals_scalar_growth(y0, data):
    n = len(y0)
    yt = data.draw(st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=n, max_size=n))
    t0 = data.draw(st.lists(years, min_size=n, max_size=n))
    t1 = data.draw(st.lists(years, min_size=n, max_size=n))
    vector = growth.cagr(np.array(y0), np.array(yt), np.array(t0), np.array(t1))
    assert not np.isinf(vector.value).any()
    for i in range(n):
        scalar = growth.cagr(y0[i], yt[i], t0[i], t1[i])
        assert scalar.reason == vector.reason[i]
        np.testing.assert_equal(scalar.value, vector.value[i])
        # Undefined always comes with a reason, defined never does.
        assert np.isnan(scalar.value) == (scalar.reason != "")


def rank(codes, order):
    return [order.index(code) for code in codes]


@given(st.lists(ratios, min_size=2, max_size=30))
def test_target_category_is_monotone_in_the_ratio(values):
    values = sorted(values)
    ranks = rank(progress.classify_ratio(values), progress.TARGET_CATEGORY_ORDER)
    assert ranks == sorted(ranks)


@given(
    st.lists(st.floats(-0.5, 0.5, allow_nan=False), min_size=2, max_size=30),
    st.floats(0, 1, allow_nan=False),
)
def test_no_target_category_is_monotone_in_growth(values, coefficient):
    values = sorted(values)
    ranks = rank(progress.classify_growth(values, coefficient), progress.GROWTH_CATEGORY_ORDER)
    assert ranks == sorted(ranks)


@given(st.lists(st.floats(-5, 5, allow_nan=False), min_size=2, max_size=30))
def test_unsd_category_is_monotone_in_p(values):
    # y0 = 0 and target 1: the projected value is P itself.
    projected = sorted(values)
    frame = progress.unsd_status(0.0, 0.0, projected, 1.0, ">=", "up")
    ranks = rank(list(frame["category"]), progress.UNSD_CATEGORY_ORDER)
    assert ranks == sorted(ranks)


@given(st.lists(st.floats(-0.9, 0.999, allow_nan=False), min_size=2, max_size=30))
def test_midterm_label_is_monotone_in_the_task_share(shares):
    # y0 = 0, target 1 (not met below 1): the latest value is the task share.
    latest = sorted(shares)
    frame = progress.midterm_status(0.0, latest, 2020, 2023, 1.0, 2025, ">=", "up", plan_start=2020)
    ranks = rank(list(frame["label"]), progress.MIDTERM_ORDER)
    assert ranks == sorted(ranks)


def mirrored_pair(y0, yt, target, t, with_target, negative_base):
    """assess an up-series and its mirror (values negated, direction down, comparator <=)."""
    obs = pd.DataFrame(
        {
            "series_id": ["up", "up", "down", "down"],
            "date": ["2020", "x", "2020", "x"],
            "t": [2020.0, t, 2020.0, t],
            "value": [y0, yt, -y0, -yt],
            "value_low": np.nan,
            "value_high": np.nan,
        }
    )
    ser = pd.DataFrame(
        {
            "series_id": ["up", "down"],
            "direction": ["up", "down"],
            "kind": ["level", "level"],
            "bound": np.nan,
        }
    )
    rows = [("up", 2025, ">=", target, "t"), ("down", 2025, "<=", -target, "t")]
    tgt = pd.DataFrame(
        rows if with_target else [],
        columns=["series_id", "target_year", "comparator", "value", "source"],
    )
    result = assess(obs, ser, tgt, {"negative_base": negative_base}).set_index("series_id")
    return result.loc["up"], result.loc["down"]


@settings(max_examples=60, deadline=None)
@given(
    y0=st.floats(1, 1000, allow_nan=False),
    growth_factor=st.floats(0.2, 3, allow_nan=False),
    target_factor=st.floats(0.2, 3, allow_nan=False),
    t=st.sampled_from([2021.0, 2022.0, 2023.0, 2023 + 5 / 12, 2024.0]),
    with_target=st.booleans(),
)
def test_lower_is_better_mirrors_higher_is_better(y0, growth_factor, target_factor, t, with_target):
    yt, target = y0 * growth_factor, y0 * target_factor
    # Open SDG's sign-adjusted rate makes the compound ratio exactly mirror-symmetric.
    up, down = mirrored_pair(y0, yt, target, t, with_target, "open_sdg")
    for column in ("category", "unsd_category", "midterm_label"):
        assert up[column] == down[column] or (pd.isna(up[column]) and pd.isna(down[column]))
    np.testing.assert_allclose(
        up[["ratio", "unsd_ratio", "task_share"]].to_numpy(float),
        down[["ratio", "unsd_ratio", "task_share"]].to_numpy(float),
        rtol=1e-12,
    )
    # The linear projection and its band mirror too.
    assert down["projected_value"] == -up["projected_value"]


@settings(max_examples=60, deadline=None)
@given(
    y0=st.floats(1, 1000, allow_nan=False),
    growth_factor=st.floats(0.2, 3, allow_nan=False),
    target_factor=st.floats(0.2, 3, allow_nan=False),
)
def test_default_mode_mirror_of_the_absolute_change_rule(y0, growth_factor, target_factor):
    # In the default mode the mirrored series (negative values) has no compound rate, so its
    # ratio falls back to average annual changes: d * ((yt - y0)/3) / |(yT - y0)/5| with
    # d = -1 and every value negated equals the up-series' ((yt - y0)/3) / |(yT - y0)/5|.
    yt, target = y0 * growth_factor, y0 * target_factor
    assume(yt < target and target != y0)  # met is checked first; a zero required change is not
    _, down = mirrored_pair(y0, yt, target, 2023.0, True, "undefined")
    r_abs = ((yt - y0) / 3) / abs((target - y0) / 5)
    assert down["category"] == progress.classify_ratio(r_abs)[0]
    assert np.isclose(down["ratio"], r_abs, rtol=1e-12, atol=0)
    assert "ratio from average annual change" in down["flags"]


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(st.floats(0, 100, allow_nan=False), min_size=2, max_size=6),
    method=st.sampled_from(["cagr", "linear", "ols"]),
    transform=st.sampled_from(["logit", "cap"]),
)
def test_bounded_projections_stay_within_zero_and_the_bound(values, method, transform):
    t = 2018 + np.arange(len(values), dtype=float)
    row = project_one(t, values, 2025, method, bound=100, bounded_transform=transform)
    for key in ("projected_value", "projected_low", "projected_high"):
        if not np.isnan(row[key]):
            assert 0 <= row[key] <= 100


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=3, max_size=6),
        min_size=1,
        max_size=6,
    )
)
def test_grouped_ols_equals_one_series_at_a_time(all_values):
    group = np.concatenate([np.full(len(v), g) for g, v in enumerate(all_values)])
    t = np.concatenate([2018 + np.arange(len(v), dtype=float) for v in all_values])
    y = np.concatenate([np.array(v) for v in all_values])
    many = ols_predict_many(group, t, y, 2025.0)
    for g, v in enumerate(all_values):
        one = ols_predict(2018 + np.arange(len(v), dtype=float), v, 2025.0)
        np.testing.assert_allclose(
            [many.mean[g], many.obs_ci_lower[g], many.obs_ci_upper[g]],
            [one.mean, one.obs_ci_lower, one.obs_ci_upper],
            rtol=1e-9,
            atol=1e-9,
        )
