"""The numeric tolerances of the library, named for what they compare.

Fractional years (`analysis.core.dates`) of two different report dates are at least a day apart,
about 0.0027 years, so `YEARS` only absorbs rounding in the arithmetic of times. `RELATIVE`
is the relative difference under which two values count as equal (a target with comparator
"==", a relation "==", a published and a recomputed result).
"""

from __future__ import annotations

YEARS = 1e-9
RELATIVE = 1e-9
# Slack added to a comparison of a stated figure with a bound, so that the rounding of float
# arithmetic never turns "exactly at the bound" into a failure.
ROUNDING = 1e-9


def same_relative(a: float, b: float) -> bool:
    """`a` and `b` equal within `RELATIVE`, relative to the larger of 1, |a| and |b|."""
    return abs(a - b) <= RELATIVE * max(1.0, abs(a), abs(b))
