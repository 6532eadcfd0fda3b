"""The numeric tolerances of the library, named for what they compare.

Fractional years (`analysis.core.dates`) of two different report dates are at least a day apart,
about 0.0027 years, so `YEARS` only absorbs rounding in the arithmetic of times. `RELATIVE`
is the relative difference under which two values count as equal (a target with comparator
"==", a relation "==", a published and a recomputed result).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

YEARS = 1e-9
RELATIVE = 1e-9
# Slack added to a comparison of a stated figure with a bound, so that the rounding of float
# arithmetic never turns "exactly at the bound" into a failure.
ROUNDING = 1e-9


def same_relative(a: float, b: float) -> bool:
    """`a` and `b` equal within `RELATIVE`, relative to the larger of 1, |a| and |b|."""
    return abs(a - b) <= RELATIVE * max(1.0, abs(a), abs(b))


def half_last_digit(values: ArrayLike) -> np.ndarray:
    """Half the value of the last digit each figure is stated to (0.5 for 690, 0.005 for
    77.18; NaN for a missing one): two quantities computed from figures stated this way and
    closer than this cannot be told apart."""
    values = np.atleast_1d(np.asarray(values, dtype=float))
    step = np.full(values.shape, np.nan)
    for decimals in range(4, -1, -1):
        exact = np.isfinite(values) & np.isclose(values, np.round(values, decimals), atol=1e-9)
        step = np.where(exact, 10.0**-decimals, step)
    return 0.5 * step
