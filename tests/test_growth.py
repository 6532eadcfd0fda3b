"""Growth between two observations; expected values worked out by hand from the formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.core.dates import fractional_year
from analysis.methods import growth


def test_rural_minimum_living_allowance_cagr():
    # Rural 低保 625 -> 690 元/人·月, 2020 -> 2023: (690/625)**(1/3) - 1 = 1.104**(1/3) - 1
    # = 0.0335298504727..., worked out by hand from the CAGR formula (1.03353**3 = 1.10400).
    result = growth.cagr(625, 690, 2020, 2023)
    assert result.value == pytest.approx(0.0335298504727, rel=1e-9)
    assert result.reason == ""


def test_urban_minimum_living_allowance_cagr():
    # Urban 低保 625 -> 707: (707/625)**(1/3) - 1 = 1.1312**(1/3) - 1 = 0.0419490079096...
    # (1.041949**3 = 1.131200), by hand from the CAGR formula.
    result = growth.cagr(625, 707, 2020, 2023)
    assert result.value == pytest.approx(0.0419490079096, rel=1e-9)


def test_annual_and_total_change_of_the_allowances():
    # Average change per year (690 - 625)/3 = 65/3 = 21.666...; (707 - 625)/3 = 82/3 = 27.333...
    assert growth.annual_change(625, 690, 2020, 2023).value == pytest.approx(65 / 3)
    assert growth.annual_change(625, 707, 2020, 2023).value == pytest.approx(82 / 3)
    # Total change 690 - 625 = 65, relative 65/625 = 0.104.
    total = growth.total_change(625, 690)
    assert total.absolute == 65
    assert total.relative == pytest.approx(0.104)
    assert total.reason == ""


def test_required_cagr_to_a_target():
    # 625 -> 800 by 2025 from 2020: (800/625)**(1/5) - 1 = 1.28**0.2 - 1 = 0.0506111217615...
    assert growth.required_cagr(625, 800, 2020, 2025).value == pytest.approx(
        0.0506111217615, rel=1e-9
    )
    # Required average change (800 - 625)/5 = 35 per year.
    assert growth.required_annual_change(625, 800, 2020, 2025).value == pytest.approx(35)


def test_zero_base_care_standard_has_no_compound_rate_but_an_annual_change():
    # Dispersed self-care care standard 0 -> 43 元/人·月 (2020 -> 2023): no compound rate from
    # zero (Open SDG's 0.001 substitute would give thousands of percent).
    result = growth.cagr(0, 43, 2020, 2023)
    assert math.isnan(result.value)
    assert result.reason == "undefined: base is zero"
    # 43/3 = 14.333... per year.
    assert growth.annual_change(0, 43, 2020, 2023).value == pytest.approx(43 / 3)
    total = growth.total_change(0, 43)
    assert total.absolute == 43
    assert math.isnan(total.relative)
    assert total.reason == "undefined: base is zero"
    # Midpoint growth (43/3) / ((0 + 43)/2) = 14.333/21.5 = 0.6667.
    assert growth.midpoint_growth(0, 43, 2020, 2023).value == pytest.approx(2 / 3)


def test_negative_base_is_undefined_by_default_and_sign_adjusted_on_request():
    result = growth.cagr(-10, -5, 2020, 2023)
    assert math.isnan(result.value)
    assert result.reason.startswith("undefined: base is negative")
    # Open SDG variant: (-5/-10)**(1/3) - 1 = 0.5**(1/3) - 1 = -0.206299474016 (by hand).
    open_sdg = growth.cagr(-10, -5, 2020, 2023, negative_base="open_sdg")
    assert open_sdg.value == pytest.approx(-0.206299474016, rel=1e-9)
    # Relative change divides by |base|: (-5 - -10)/10 = +0.5 (an increase).
    assert growth.total_change(-10, -5).relative == pytest.approx(0.5)
    # Annual change is defined for a negative base: 5/3.
    assert growth.annual_change(-10, -5, 2020, 2023).value == pytest.approx(5 / 3)


def test_change_of_sign_is_undefined():
    for mode in ("undefined", "open_sdg"):
        result = growth.cagr(10, -5, 2020, 2023, negative_base=mode)
        assert math.isnan(result.value)
        assert result.reason == "undefined: base and end value have opposite signs"


def test_equal_dates_and_missing_values_are_answers_not_errors():
    same_day = growth.cagr(625, 690, 2023, 2023)
    assert math.isnan(same_day.value)
    assert same_day.reason == "undefined: equal dates"
    assert growth.annual_change(625, 690, 2023, 2023).reason == "undefined: equal dates"
    missing = growth.cagr(float("nan"), 690, 2020, 2023)
    assert math.isnan(missing.value)
    assert missing.reason == "undefined: missing value"


def test_never_infinite():
    # A ratio of 1e600 over a thousandth of a year overflows: NaN with a reason, not inf.
    result = growth.cagr(1e-300, 1e300, 2020, 2020.001)
    assert math.isnan(result.value)
    assert result.reason == "undefined: the rate overflows"
    values = growth.cagr(np.array([0.0, 1e-300, 5.0]), np.array([1.0, 1e300, 0.0]), 2020, 2021)
    assert not np.isinf(values.value).any()
    # 5 -> 0 in a year is -100 %: defined.
    assert values.value[2] == -1.0


def test_month_dates_count_to_the_end_of_the_month():
    # 2023-06 is the end of June 2023, 2.5 years after the end of 2020; 625 -> 690:
    # 1.104 ** (1 / 2.5) - 1 = 0.0403695422672 (by hand from the CAGR formula).
    t = fractional_year("2023-06")
    assert t == pytest.approx(2022.5)
    assert growth.cagr(625, 690, 2020, t).value == pytest.approx(0.0403695422672, rel=1e-9)


def test_vectorised_form_matches_scalars_and_keeps_reasons():
    base = np.array([625.0, 0.0, -10.0, 625.0])
    end = np.array([690.0, 43.0, -5.0, 707.0])
    t0 = np.array([2020.0, 2020.0, 2020.0, 2023.0])
    vector = growth.cagr(base, end, t0, 2023.0)
    assert isinstance(vector.value, np.ndarray)
    assert list(vector.reason) == [
        "",
        "undefined: base is zero",
        growth.REASON_NEGATIVE_BASE,
        "undefined: equal dates",
    ]
    for i in range(base.size):
        scalar = growth.cagr(base[i], end[i], t0[i], 2023.0)
        assert scalar.reason == vector.reason[i]
        np.testing.assert_equal(scalar.value, vector.value[i])


def test_compound_returns_the_latest_value():
    # 625 * 1.0335298504727**3 = 690.
    rate = growth.cagr(625, 690, 2020, 2023).value
    assert growth.compound(625, rate, 3) == pytest.approx(690, rel=1e-12)


def test_unknown_negative_base_mode_is_rejected():
    with pytest.raises(ValueError, match="negative_base"):
        growth.cagr(1, 2, 2020, 2021, negative_base="zero")  # type: ignore[arg-type]
