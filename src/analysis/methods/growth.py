"""Growth between two observations: compound rate, average change per year, total change.

Defined in the methodology chapter, section `methodology-growth` (a MyST label). Times are
fractional years (see `analysis.core.dates`), so any two observations can be compared, not only
whole years.

Every function takes scalars or numpy arrays (broadcast together) and answers in kind: scalars in,
a `float` and a `str` out; arrays in, arrays out. An undefined case is an answer, not an error: the
value is NaN and the reason says why ("undefined: base is zero"). Nothing returns inf, nothing
raises for a zero base, a negative base, one observation or equal dates. A defined value has the
reason "" (empty string). Reasons never contain ";" (the result table joins flags with it).

Open SDG replaces a zero base by 0.001; that turns 0 -> 43 into a growth of thousands of percent,
so this module does not: growth from zero is undefined, and the caller falls back to the absolute
change (see `analysis.methods.progress`).
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

import numpy as np

NegativeBase = Literal["undefined", "open_sdg"]

REASON_MISSING = "undefined: missing value"
REASON_ONE_OBSERVATION = "undefined: one observation"
REASON_EQUAL_DATES = "undefined: equal dates"
REASON_ZERO_BASE = "undefined: base is zero"
REASON_NEGATIVE_BASE = "undefined: base is negative (a compound rate needs a positive base)"
REASON_SIGN_CHANGE = "undefined: base and end value have opposite signs"
REASON_BOTH_ZERO = "undefined: base and end value are both zero"
REASON_NOT_FINITE = "undefined: the rate overflows"


class Growth(NamedTuple):
    """A growth figure and why it is undefined ("" when it is defined)."""

    value: Any
    reason: Any


class TotalChange(NamedTuple):
    """Change from base to end: absolute, relative to |base|, and why relative is undefined."""

    absolute: Any
    relative: Any
    reason: Any


def _as_arrays(*values: Any) -> tuple[bool, list[np.ndarray]]:
    """Broadcast the inputs to float arrays; say whether they were all scalars."""
    scalar = all(np.ndim(v) == 0 for v in values)
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in values))
    return scalar, [np.array(a, dtype=float) for a in arrays]


def _reasons(shape: tuple[int, ...], cases: list[tuple[np.ndarray, str]]) -> np.ndarray:
    """Object array of reasons: the first matching case wins, "" where none matches."""
    out = np.full(shape, "", dtype=object)
    done = np.zeros(shape, dtype=bool)
    for mask, reason in cases:
        hit = mask & ~done
        out[hit] = reason
        done |= hit
    return out


def _finish(scalar: bool, value: np.ndarray, reason: np.ndarray) -> Growth:
    if scalar:
        return Growth(float(value.reshape(-1)[0]), str(reason.reshape(-1)[0]))
    return Growth(value, reason)


def cagr(
    base: Any,
    end: Any,
    t_base: Any,
    t_end: Any,
    *,
    negative_base: NegativeBase = "undefined",
) -> Growth:
    """Compound annual growth rate `(end / base) ** (1 / (t_end - t_base)) - 1`.

    Undefined (NaN with a reason) for a missing value, equal dates, a zero base, a negative base
    and a change of sign. With `negative_base="open_sdg"` a negative base with a negative (or
    zero) end value is allowed, as in the Open SDG reference implementation: the ratio of two
    negative numbers is positive, and the caller multiplies by the sign of the base (`s`).
    """
    scalar, (y0, y1, t0, t1) = _as_arrays(base, end, t_base, t_end)
    if negative_base not in ("undefined", "open_sdg"):
        raise ValueError(f"negative_base must be 'undefined' or 'open_sdg', not {negative_base!r}")
    missing = np.isnan(y0) | np.isnan(y1) | np.isnan(t0) | np.isnan(t1)
    dt = t1 - t0
    equal = dt == 0
    zero = y0 == 0
    if negative_base == "undefined":
        negative = y0 < 0
        sign_change = (y0 > 0) & (y1 < 0)
    else:
        negative = np.zeros_like(zero)
        sign_change = ((y0 > 0) & (y1 < 0)) | ((y0 < 0) & (y1 > 0))
    bad = missing | equal | zero | negative | sign_change
    with np.errstate(all="ignore"):
        ratio = np.where(bad, 1.0, y1 / np.where(bad, 1.0, y0))
        value = np.power(ratio, 1.0 / np.where(bad, 1.0, dt)) - 1.0
    overflow = ~bad & ~np.isfinite(value)
    value = np.where(bad | overflow, np.nan, value)
    reason = _reasons(
        value.shape,
        [
            (missing, REASON_MISSING),
            (equal, REASON_EQUAL_DATES),
            (zero, REASON_ZERO_BASE),
            (negative, REASON_NEGATIVE_BASE),
            (sign_change, REASON_SIGN_CHANGE),
            (overflow, REASON_NOT_FINITE),
        ],
    )
    return _finish(scalar, value, reason)


def required_cagr(
    base: Any,
    target: Any,
    t_base: Any,
    target_year: Any,
    *,
    negative_base: NegativeBase = "undefined",
) -> Growth:
    """Compound rate that takes `base` to `target` by `target_year` (same rules as `cagr`)."""
    return cagr(base, target, t_base, target_year, negative_base=negative_base)


def annual_change(base: Any, end: Any, t_base: Any, t_end: Any) -> Growth:
    """Average absolute change per year `(end - base) / (t_end - t_base)`.

    The right measure for counts and cumulative quantities, and defined for a zero or negative
    base. Undefined only for a missing value or equal dates.
    """
    scalar, (y0, y1, t0, t1) = _as_arrays(base, end, t_base, t_end)
    missing = np.isnan(y0) | np.isnan(y1) | np.isnan(t0) | np.isnan(t1)
    dt = t1 - t0
    equal = dt == 0
    bad = missing | equal
    with np.errstate(all="ignore"):
        value = np.where(bad, np.nan, (y1 - y0) / np.where(bad, 1.0, dt))
    reason = _reasons(value.shape, [(missing, REASON_MISSING), (equal, REASON_EQUAL_DATES)])
    return _finish(scalar, value, reason)


def required_annual_change(base: Any, target: Any, t_base: Any, target_year: Any) -> Growth:
    """Average change per year that takes `base` to `target` by `target_year`."""
    return annual_change(base, target, t_base, target_year)


def total_change(base: Any, end: Any) -> TotalChange:
    """Change from base to end: `end - base` and `(end - base) / |base|`.

    The relative change divides by |base| so that its sign is the sign of the change even for a
    negative base; it is undefined (NaN, with the reason) for a zero base.
    """
    scalar, (y0, y1) = _as_arrays(base, end)
    missing = np.isnan(y0) | np.isnan(y1)
    zero = y0 == 0
    absolute = np.where(missing, np.nan, y1 - y0)
    with np.errstate(all="ignore"):
        relative = np.where(missing | zero, np.nan, absolute / np.abs(np.where(zero, 1.0, y0)))
    reason = _reasons(absolute.shape, [(missing, REASON_MISSING), (zero, REASON_ZERO_BASE)])
    if scalar:
        return TotalChange(
            float(absolute.reshape(-1)[0]),
            float(relative.reshape(-1)[0]),
            str(reason.reshape(-1)[0]),
        )
    return TotalChange(absolute, relative, reason)


def midpoint_growth(base: Any, end: Any, t_base: Any, t_end: Any) -> Growth:
    """Average change per year relative to the mean of |base| and |end|.

    `(end - base) / (t_end - t_base) / ((|base| + |end|) / 2)`: a growth rate that stays
    defined for a zero or negative base. This book uses it only as the stated fallback for the
    no-target progress category when the compound rate is undefined; it is not a published method.
    """
    scalar, (y0, y1, t0, t1) = _as_arrays(base, end, t_base, t_end)
    missing = np.isnan(y0) | np.isnan(y1) | np.isnan(t0) | np.isnan(t1)
    dt = t1 - t0
    equal = dt == 0
    scale = (np.abs(y0) + np.abs(y1)) / 2
    both_zero = scale == 0
    bad = missing | equal | both_zero
    with np.errstate(all="ignore"):
        value = np.where(
            bad, np.nan, (y1 - y0) / np.where(bad, 1.0, dt) / np.where(bad, 1.0, scale)
        )
    reason = _reasons(
        value.shape,
        [(missing, REASON_MISSING), (equal, REASON_EQUAL_DATES), (both_zero, REASON_BOTH_ZERO)],
    )
    return _finish(scalar, value, reason)


def compound(value: Any, rate: Any, years: Any) -> Any:
    """`value * (1 + rate) ** years`: where a value gets to at a compound rate."""
    scalar, (v, r, n) = _as_arrays(value, rate, years)
    with np.errstate(all="ignore"):
        out = v * np.power(1.0 + r, n)
    return float(out.reshape(-1)[0]) if scalar else out
