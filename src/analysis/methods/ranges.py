"""The one value a stated range stands for.

The report gives some figures as ranges ("20-30家") or with one end only ("30余家" is stored as a
lower bound). Computations need one number: `range_rule` says which ("low", "mid" or "high"); a
half-open range uses the end it has. The assessment and the charts both call `resolve_range`, so
what is drawn is what was assessed.
"""

from typing import Literal

import numpy as np

RangeRule = Literal["low", "mid", "high"]


def resolve_range(
    value: np.ndarray, low: np.ndarray, high: np.ndarray, rule: RangeRule
) -> tuple[np.ndarray, np.ndarray]:
    """(the value used, whether it came from a range) for arrays of value, low and high.

    A row with a value keeps it; a row without one but with an end of a range takes the end the
    rule names, or the end it has; a row with neither stays NaN.
    """
    value, low, high = (np.asarray(a, dtype=float) for a in (value, low, high))
    has_low, has_high = np.isfinite(low), np.isfinite(high)
    is_range = np.isnan(value) & (has_low | has_high)
    if rule == "low":
        chosen = np.where(has_low, low, high)
    elif rule == "high":
        chosen = np.where(has_high, high, low)
    else:
        chosen = np.where(has_low & has_high, (low + high) / 2, np.where(has_low, low, high))
    return np.where(is_range, chosen, value), is_range
