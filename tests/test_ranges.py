"""One resolution of stated ranges, used by the assessment and by the charts."""

import numpy as np
import pandas as pd
import pytest

from analysis.book.charts import plotted_points
from analysis.inputs.parameters import Parameters
from analysis.methods.assessment import assess
from analysis.methods.ranges import resolve_range

# Rows: a value, a range 20-30, a lower bound only (30余), an upper bound only, nothing.
VALUE = np.array([5.0, np.nan, np.nan, np.nan, np.nan])
LOW = np.array([np.nan, 20.0, 30.0, np.nan, np.nan])
HIGH = np.array([np.nan, 30.0, np.nan, 40.0, np.nan])


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        # By hand: mid of 20-30 is 25; a half-open range keeps the end it has, whatever the rule.
        ("mid", [5.0, 25.0, 30.0, 40.0, np.nan]),
        ("low", [5.0, 20.0, 30.0, 40.0, np.nan]),
        ("high", [5.0, 30.0, 30.0, 40.0, np.nan]),
    ],
)
def test_a_range_resolves_to_the_end_the_rule_names(rule, expected):
    used, is_range = resolve_range(VALUE, LOW, HIGH, rule)
    np.testing.assert_array_equal(used, expected)
    assert is_range.tolist() == [False, True, True, True, False]


def observations() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "series_id": ["s", "s"],
            "date": ["2020", "2023"],
            "t": [2020.0, 2023.0],
            "value": [10.0, np.nan],
            "value_low": [np.nan, 20.0],
            "value_high": [np.nan, 30.0],
            "source": ["report", "report"],
        }
    )


@pytest.mark.parametrize("rule", ["low", "mid", "high"])
def test_the_chart_draws_the_value_the_assessment_used(rule):
    p = Parameters(range_rule=rule)
    series = pd.DataFrame(
        {
            "series_id": ["s"],
            "domain": ["community"],
            "headline": pd.array([pd.NA], dtype="Int64"),
            "name_zh": ["社会组织数"],
            "name_en": ["organisations"],
            "unit": ["家"],
            "direction": ["up"],
            "bound": [np.nan],
            "kind": ["count"],
            "report_verdict": [""],
        }
    )
    targets = pd.DataFrame(columns=["series_id", "target_year", "comparator", "value", "source"])
    assessed = assess(observations(), series, targets, p)
    drawn = plotted_points(observations(), p)
    assert drawn["y"].iloc[-1] == assessed["latest_value"].iloc[0]
    assert drawn["y"].iloc[-1] == {"low": 20.0, "mid": 25.0, "high": 30.0}[rule]
