"""Progress categories: Open SDG / Statistics Canada, UNSD projected ratio, Chinese mid-term test.

Methodology chapter, sections `methodology-progress`, `methodology-unsd` and
`methodology-midterm` (MyST labels). Each method is one vectorised function; scalars work too (a
one-row frame comes back). Categories are stable English codes; `LABELS` maps each code to an
English and a Chinese display label, and `label(code, lang)` looks one up.

Choices this module makes where the published methods are silent (all stated in the book):

* Target check first: a target counts as met when the latest value satisfies the target's
  comparator (`>=`, `<=`; `==` within the relative `analysis.core.tolerance.RELATIVE`). The
  direction of good progress `d` used in the ratios comes from the comparator (`>=` -> +1,
  `<=` -> -1); for `==` from the series direction, or else from the side of the base the target
  lies on.
* Compound rate undefined (zero or negative base, a change of sign): the ratio uses the average
  absolute change instead, `R = d * observed annual change / |required annual change|`, with the
  same thresholds, and says so in `note`. Without a target the fallback growth is
  `analysis.methods.growth.midpoint_growth` (change per year relative to the mean of |base|
  and |end|).
* A negative base with `negative_base="open_sdg"` follows the Open SDG reference implementation
  (ratio of two negatives, multiplied by `s = -1`) instead of the fallback.
* Bound scaling `C = 1 - (y0 / ylim) ** 4.44` applies to up-series with an upper bound and
  `y0 <= ylim`; for a down-series the limit is 0 and, as in Open SDG's reference implementation,
  `C = 1`. A base above the bound gets `C = 1` and a note.
* Mid-term test: `基本符合预期` is a band of +-`tolerance` (default 0.05, i.e. 5 percentage
  points of the task) around the time share. The band width is this book's choice, not a
  published value. The time share is that of the plan period at the date of the latest value
  (`analysis.core.dates.plan_time_share`); a series based elsewhere than the plan's base gets
  no label.
* UNSD's one-point rule (a percentage within 1 point of a 0 % or 100 % target counts as met)
  reads the latest observed value, never the projection: "met" states what has happened, and
  a projection near the target is what P already measures.
* A target dated at or before the base leaves the required pace undefined: every method
  reports `target_not_after_base` (after the target-met check).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from analysis.core import tolerance
from analysis.core.dates import period_label, plan_time_share
from analysis.core.tolerance import YEARS
from analysis.inputs.parameters import Thresholds
from analysis.methods.growth import Growth, NegativeBase, annual_change, cagr, midpoint_growth
from analysis.methods.notes import Notes

# Category codes (stable; the book and results/indicators.csv use these).
TARGET_ACHIEVED = "target_achieved"
ON_TRACK = "on_track"
ACCELERATION_NEEDED = "acceleration_needed"
LIMITED_PROGRESS = "limited_progress"
DETERIORATION = "deterioration"
SUBSTANTIAL_PROGRESS = "substantial_progress"
MODERATE_PROGRESS = "moderate_progress"
INSUFFICIENT_DATA = "insufficient_data"
NOT_ASSESSED = "not_assessed"
ON_TRACK_OR_MET = "on_track_or_met"
FAIR_PROGRESS = "fair_progress"
STAGNATION_OR_REGRESSION = "stagnation_or_regression"
NO_TARGET = "no_target"
ACHIEVED_EARLY = "achieved_early"
AHEAD = "ahead"
ON_SCHEDULE = "on_schedule"
BEHIND = "behind"
TARGET_NOT_AFTER_BASE = "target_not_after_base"
GROWTH_ON_TRACK = "growth_on_track"
GROWTH_FAIR = "growth_fair"
GROWTH_STAGNATION = "growth_stagnation"
SLOW_GROWTH = "slow_growth"
WRONG_DIRECTION = "wrong_direction"

LABELS: dict[str, dict[str, str]] = {
    TARGET_ACHIEVED: {"en": "Target achieved", "zh": "已实现目标"},
    ON_TRACK: {"en": "On track", "zh": "按进度推进"},
    ACCELERATION_NEEDED: {"en": "Progress, acceleration needed", "zh": "有进展，需加快"},
    LIMITED_PROGRESS: {"en": "Limited progress", "zh": "进展有限"},
    DETERIORATION: {"en": "Deterioration", "zh": "出现倒退"},
    # Open SDG's "substantial/moderate progress" without a target measure growth alone, not
    # progress towards anything: said so, as the UNSD column says it (无目标·增速较快).
    SUBSTANTIAL_PROGRESS: {"en": "No target: fast growth", "zh": "无目标·增长较快"},
    MODERATE_PROGRESS: {"en": "No target: moderate growth", "zh": "无目标·增长一般"},
    # and Open SDG's "limited progress" and "deterioration" without a target likewise
    SLOW_GROWTH: {"en": "No target: slow growth", "zh": "无目标·增长缓慢"},
    WRONG_DIRECTION: {"en": "No target: moving the wrong way", "zh": "无目标·反向变化"},
    INSUFFICIENT_DATA: {"en": "Insufficient data", "zh": "数据不足"},
    NOT_ASSESSED: {"en": "Not assessed", "zh": "未评估"},
    ON_TRACK_OR_MET: {"en": "On track or target met", "zh": "按期推进或已达标"},
    FAIR_PROGRESS: {"en": "Fair progress, acceleration needed", "zh": "进展尚可，需加快"},
    STAGNATION_OR_REGRESSION: {"en": "Stagnation or regression", "zh": "停滞或倒退"},
    NO_TARGET: {"en": "No numeric target", "zh": "无量化目标"},
    ACHIEVED_EARLY: {"en": "Achieved ahead of time", "zh": "提前实现"},
    AHEAD: {"en": "Ahead of schedule", "zh": "快于预期"},
    ON_SCHEDULE: {"en": "On schedule", "zh": "基本符合预期"},
    BEHIND: {"en": "Behind schedule", "zh": "滞后"},
    TARGET_NOT_AFTER_BASE: {"en": "Target year not after the base", "zh": "目标年份不晚于基期"},
    # UNSD's growth categories without a target, named for what they measure as above (its
    # "stagnation or regression" also holds slow growth: a standard that rose 0.4 % a year)
    GROWTH_ON_TRACK: {"en": "No target: fast growth", "zh": "无目标·增速较快"},
    GROWTH_FAIR: {"en": "No target: moderate growth", "zh": "无目标·增速一般"},
    GROWTH_STAGNATION: {"en": "No target: slow growth or a fall", "zh": "无目标·增速缓慢或下降"},
}

# Order from worst to best, for sorting, colouring and the monotonicity tests.
TARGET_CATEGORY_ORDER = (DETERIORATION, LIMITED_PROGRESS, ACCELERATION_NEEDED, ON_TRACK)
GROWTH_CATEGORY_ORDER = (
    WRONG_DIRECTION,
    SLOW_GROWTH,
    MODERATE_PROGRESS,
    SUBSTANTIAL_PROGRESS,
)
UNSD_CATEGORY_ORDER = (STAGNATION_OR_REGRESSION, FAIR_PROGRESS, ON_TRACK_OR_MET)
UNSD_GROWTH_ORDER = (GROWTH_STAGNATION, GROWTH_FAIR, GROWTH_ON_TRACK)
MIDTERM_ORDER = (BEHIND, ON_SCHEDULE, AHEAD, ACHIEVED_EARLY)


def label(code: str | None, lang: str = "en") -> str:
    """Display label of a category code in English ("en") or Chinese ("zh"); "" for no code."""
    if code is None or (isinstance(code, float) and np.isnan(code)) or code is pd.NA:
        return ""
    return LABELS[code][lang]


DEFAULT_THRESHOLDS = Thresholds()

_DIRECTION_SIGN = {"up": 1, "down": -1, "none": 0, "": 0}


def direction_sign(direction: ArrayLike) -> np.ndarray:
    """+1 for "up", -1 for "down", 0 for "none" or missing; numbers pass through as their sign."""
    arr = np.atleast_1d(np.asarray(direction))
    if arr.dtype.kind in "iufb":
        return np.sign(np.nan_to_num(arr.astype(float))).astype(np.int64)
    mapped = pd.Series(arr.astype(object)).map(_DIRECTION_SIGN)
    return mapped.fillna(0).to_numpy(dtype=np.int64)


def _comparators(comparator: ArrayLike | None, n: int) -> np.ndarray:
    """Comparators as a fixed-width string array (fast to compare); missing ones become ""."""
    if comparator is None:
        return np.full(n, "", dtype="U2")
    arr = np.asarray(comparator)
    if arr.ndim == 0:
        arr = np.full(n, arr.item(), dtype=object)
    if arr.dtype.kind != "U":
        valid = pd.Series(arr, dtype=object).isin([">=", "<=", "=="]).to_numpy()
        arr = np.where(valid, arr, "").astype("U2")
    return np.where((arr == ">=") | (arr == "<=") | (arr == "=="), arr, "").astype("U2")


def _resolve_targets(
    comparator: ArrayLike | None,
    direction: ArrayLike,
    base: np.ndarray,
    target: np.ndarray,
    n: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Direction signs, comparators (a missing one taken from the direction: >= up, <= down,
    == for none), which series have a target, and the direction of good progress towards it."""
    d = np.broadcast_to(direction_sign(direction), (n,))
    comp = _comparators(comparator, n)
    has_target = np.isfinite(target)
    missing = has_target & (comp == "")
    comp = np.where(missing, np.where(d < 0, "<=", np.where(d > 0, ">=", "==")), comp)
    return d, comp, has_target, target_direction(comp, d, base, target)


def target_met(latest: ArrayLike, target: ArrayLike, comparator: ArrayLike | None) -> np.ndarray:
    """Whether the latest value satisfies the target (False where either is missing)."""
    y, yT = np.broadcast_arrays(
        np.atleast_1d(np.asarray(latest, float)), np.atleast_1d(np.asarray(target, float))
    )
    comp = _comparators(comparator, y.size)
    ok = np.isfinite(y) & np.isfinite(yT)
    return ok & (
        ((comp == ">=") & (y >= yT))
        | ((comp == "<=") & (y <= yT))
        | ((comp == "==") & np.isclose(y, yT, rtol=tolerance.RELATIVE, atol=0.0))
    )


def target_direction(
    comparator: ArrayLike, direction: ArrayLike, base: ArrayLike, target: ArrayLike
) -> np.ndarray:
    """Direction of good progress towards a target: from the comparator, else the series, else
    the side of the base the target lies on (0 when nothing decides)."""
    y0, yT = np.broadcast_arrays(
        np.atleast_1d(np.asarray(base, float)), np.atleast_1d(np.asarray(target, float))
    )
    comp = _comparators(comparator, y0.size)
    d = np.broadcast_to(direction_sign(direction), y0.shape)
    side = np.sign(np.nan_to_num(yT - y0)).astype(np.int64)
    return np.where(comp == ">=", 1, np.where(comp == "<=", -1, np.where(d != 0, d, side)))


def target_not_after_base(
    has_target: ArrayLike, t_base: ArrayLike, target_year: ArrayLike
) -> np.ndarray:
    """Where a target is dated at or before the base: no time to reach it, so no required
    change per year, no ratio and no share of the way exists."""
    has, t0, T = np.broadcast_arrays(
        np.atleast_1d(np.asarray(has_target, bool)),
        np.atleast_1d(np.asarray(t_base, float)),
        np.atleast_1d(np.asarray(target_year, float)),
    )
    return has & np.isfinite(t0) & np.isfinite(T) & (t0 + YEARS >= T)


def bound_coefficient(
    base: ArrayLike, bound: ArrayLike, direction: ArrayLike = 1, exponent: float = 4.44
) -> Any:
    """Threshold scaling near a bound: `C = 1 - (y0 / ylim) ** exponent` when `0 <= y0 <= ylim`.

    1 where there is no bound, for down-series (their limit is 0, and C = 1 as in Open SDG) and
    for a base above the bound.
    """
    scalar = np.ndim(base) == 0 and np.ndim(bound) == 0 and np.ndim(direction) == 0
    y0, lim = np.broadcast_arrays(
        np.atleast_1d(np.asarray(base, float)), np.atleast_1d(np.asarray(bound, float))
    )
    d = np.broadcast_to(direction_sign(direction), y0.shape)
    applies = (d > 0) & np.isfinite(lim) & (lim > 0) & (y0 >= 0) & (y0 <= lim)
    with np.errstate(all="ignore"):
        c = np.where(applies, 1.0 - np.power(np.where(applies, y0 / lim, 0.0), exponent), 1.0)
    return float(c[0]) if scalar else c


def classify_ratio(ratio: ArrayLike, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> np.ndarray:
    """R -> on_track (>= 0.95) / acceleration_needed (>= 0.60) / limited_progress (>= 0) /
    deterioration; None where R is NaN."""
    r = np.atleast_1d(np.asarray(ratio, float))
    return np.select(
        [
            np.isnan(r),
            r >= thresholds.on_track,
            r >= thresholds.acceleration_needed,
            r >= thresholds.limited_progress,
        ],
        [None, ON_TRACK, ACCELERATION_NEEDED, LIMITED_PROGRESS],
        DETERIORATION,
    ).astype(object)


def classify_growth(
    growth: ArrayLike, coefficient: ArrayLike = 1.0, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> np.ndarray:
    """d * growth against 1.5 % / 0.5 % / 0 (each times C) -> substantial / moderate progress,
    slow growth, the wrong direction (Open SDG's four categories without a target, named for
    what they measure: growth, not progress towards a target); None where growth is NaN."""
    g, c = np.broadcast_arrays(
        np.atleast_1d(np.asarray(growth, float)), np.atleast_1d(np.asarray(coefficient, float))
    )
    return np.select(
        [
            np.isnan(g),
            g >= thresholds.substantial_growth * c,
            g >= thresholds.moderate_growth * c,
            g >= thresholds.limited_growth * c,
        ],
        [None, SUBSTANTIAL_PROGRESS, MODERATE_PROGRESS, SLOW_GROWTH],
        WRONG_DIRECTION,
    ).astype(object)


def _arrays(*values: ArrayLike) -> list[np.ndarray]:
    arrays = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, dtype=float)) for v in values))
    return [np.array(a, dtype=float) for a in arrays]


@dataclass(frozen=True)
class _Trend:
    """Each series' base, latest and target as the Open SDG status reads them."""

    y0: np.ndarray
    yt: np.ndarray
    t0: np.ndarray
    t1: np.ndarray
    target: np.ndarray
    target_year: np.ndarray
    bound: np.ndarray
    direction: np.ndarray  # sign of the series' direction
    toward: np.ndarray  # direction of good progress towards the target
    comparator: np.ndarray  # a missing one taken from the direction
    comparator_given: np.ndarray
    has_target: np.ndarray
    met: np.ndarray
    enough: np.ndarray  # two observations over time
    no_time: np.ndarray  # a target dated at or before the base: no required pace exists
    sign: np.ndarray  # s = -1 for a negative base
    observed: Growth  # compound rate from base to latest


@dataclass(frozen=True)
class _TargetRatio:
    """The ratio R of observed to required growth, for series with a target."""

    ratio: np.ndarray
    basis: np.ndarray
    use_abs: np.ndarray  # R from average annual changes
    fallback_reason: np.ndarray  # why the compound rates could not be used
    zero_required: np.ndarray  # the required change is zero: R undefined


@dataclass(frozen=True)
class _NoTargetGrowth:
    """Growth in the good direction, for series without a target but with a direction."""

    applies: np.ndarray
    growth: np.ndarray
    coefficient: np.ndarray
    basis: np.ndarray
    midpoint: np.ndarray  # growth from the midpoint rate (the compound rate is undefined)
    both_zero: np.ndarray


def _trend(
    values: list[np.ndarray],
    direction: ArrayLike,
    comparator: ArrayLike | None,
    negative_base: NegativeBase,
) -> _Trend:
    """Read base, latest, times, target, target year, bound and point count (`values`)."""
    y0, yt, t0, t1, yT, T, lim, npts = values
    n = y0.size
    d, comp, has_target, dt = _resolve_targets(comparator, direction, y0, yT, n)
    return _Trend(
        y0=y0,
        yt=yt,
        t0=t0,
        t1=t1,
        target=yT,
        target_year=T,
        bound=lim,
        direction=d,
        toward=dt,
        comparator=comp,
        comparator_given=_comparators(comparator, n) != "",
        has_target=has_target,
        met=has_target & target_met(yt, yT, comp),
        enough=(npts >= 2) & (t1 > t0) & np.isfinite(y0) & np.isfinite(yt),
        no_time=target_not_after_base(has_target, t0, T),
        sign=np.where(y0 < 0, -1.0, 1.0),
        observed=cagr(y0, yt, t0, t1, negative_base=negative_base),
    )


def _target_ratio(x: _Trend, negative_base: NegativeBase) -> _TargetRatio:
    """`R = s * d * CAGR_obs / |CAGR_req|`, from average annual changes where a compound rate
    is undefined (or the required one is zero)."""
    obs = x.observed
    req = cagr(x.y0, x.target, x.t0, x.target_year, negative_base=negative_base)
    ann_obs = annual_change(x.y0, x.yt, x.t0, x.t1).value
    ann_req = annual_change(x.y0, x.target, x.t0, x.target_year).value
    cagr_ok = (obs.reason == "") & (req.reason == "") & (req.value != 0)
    with np.errstate(all="ignore"):
        r_cagr = x.sign * x.toward * obs.value / np.abs(req.value)
        r_abs = x.toward * ann_obs / np.abs(ann_req)
    abs_ok = np.isfinite(ann_req) & (ann_req != 0) & np.isfinite(ann_obs)
    applies = x.has_target & x.enough
    ratio = np.where(cagr_ok, r_cagr, np.where(abs_ok, r_abs, np.nan))
    ratio = np.where(applies, ratio, np.nan)
    use_abs = applies & ~cagr_ok & abs_ok
    basis = np.where(applies & cagr_ok, "cagr", "").astype(object)
    basis[use_abs] = "absolute_change"
    return _TargetRatio(
        ratio=ratio,
        basis=basis,
        use_abs=use_abs,
        fallback_reason=np.where(obs.reason != "", obs.reason, req.reason),
        zero_required=applies & ~x.met & ~x.no_time & ~np.isfinite(ratio),
    )


def _no_target_growth(x: _Trend, thresholds: Thresholds) -> _NoTargetGrowth:
    """`s * d * CAGR_obs` (the midpoint rate where that is undefined), and the coefficient C
    that scales the growth thresholds near a bound."""
    obs = x.observed
    mid = midpoint_growth(x.y0, x.yt, x.t0, x.t1)
    obs_defined = obs.reason == ""
    growth = np.where(obs_defined, x.sign * x.direction * obs.value, x.direction * mid.value)
    both_zero = (x.y0 == 0) & (x.yt == 0)
    growth = np.where(both_zero, 0.0, growth)
    applies = ~x.has_target & x.enough & (x.direction != 0)
    coefficient = bound_coefficient(x.y0, x.bound, x.direction, thresholds.bound_exponent)
    basis = np.full(x.y0.size, "", dtype=object)
    basis[applies & obs_defined] = "cagr"
    basis[applies & ~obs_defined & np.isfinite(mid.value)] = "midpoint_growth"
    basis[applies & both_zero] = "no_change"
    return _NoTargetGrowth(
        applies=applies,
        growth=np.where(applies, growth, np.nan),
        coefficient=np.where(applies, coefficient, np.nan),
        basis=basis,
        midpoint=applies & ~obs_defined & ~both_zero,
        both_zero=applies & both_zero,
    )


def _sdg_category(
    x: _Trend, r: _TargetRatio, g: _NoTargetGrowth, thresholds: Thresholds
) -> np.ndarray:
    """Met first, then too few data, then R (the sign of the change where the required change
    is zero) with a target, else growth (not assessed without a direction)."""
    moved = np.sign(np.nan_to_num(x.toward * (x.yt - x.y0)))
    sign_class = np.where(
        moved > 0, ON_TRACK, np.where(moved < 0, DETERIORATION, LIMITED_PROGRESS)
    ).astype(object)
    return np.select(
        [
            x.met,
            x.no_time,
            ~x.enough,
            x.has_target & r.zero_required,
            x.has_target,
            x.direction == 0,
        ],
        [
            TARGET_ACHIEVED,
            TARGET_NOT_AFTER_BASE,
            INSUFFICIENT_DATA,
            sign_class,
            classify_ratio(r.ratio, thresholds),
            NOT_ASSESSED,
        ],
        classify_growth(g.growth, g.coefficient, thresholds),
    ).astype(object)


def _sdg_notes(x: _Trend, r: _TargetRatio, g: _NoTargetGrowth) -> np.ndarray:
    """The caveats of the Open SDG status, one ";"-joined string per series."""
    notes = Notes(x.y0.size)
    notes.add(
        x.has_target & ~x.comparator_given, "target without comparator: taken from the direction"
    )
    notes.add_each(
        x.no_time & ~x.met,
        lambda i: (
            f"target year {period_label(x.target_year[i])} is not after the base "
            f"{period_label(x.t0[i])}: no required pace"
        ),
    )
    notes.add(~x.enough & ~x.met & ~x.no_time, "fewer than 2 observations over time: no trend")
    reason = r.fallback_reason
    notes.add_each(
        r.use_abs & (reason != ""), lambda i: f"ratio from average annual change ({reason[i]})"
    )
    notes.add(
        r.use_abs & (reason == ""),
        "ratio from average annual change (required compound rate is zero)",
    )
    notes.add(r.zero_required, "required change is zero")
    notes.add_each(
        g.midpoint,
        lambda i: f"growth from midpoint rate, the book's fallback ({x.observed.reason[i]})",
    )
    notes.add(g.both_zero, "base and latest both zero: growth taken as 0")
    no_direction = ~x.has_target & x.enough & (x.direction == 0)
    notes.add(no_direction, "no direction of good progress and no target")
    notes.add_each(
        g.applies & (g.coefficient < 1),
        lambda i: f"thresholds scaled by C = {g.coefficient[i]:.2f} near the bound",
    )
    above = g.applies & (x.direction > 0) & np.isfinite(x.bound) & (x.y0 > x.bound)
    notes.add(above, "base above the bound: thresholds not scaled")
    return notes.joined()


def open_sdg_status(
    base: ArrayLike,
    latest: ArrayLike,
    t_base: ArrayLike,
    t_latest: ArrayLike,
    direction: ArrayLike,
    target: ArrayLike = np.nan,
    target_year: ArrayLike = np.nan,
    comparator: ArrayLike | None = None,
    *,
    bound: ArrayLike = np.nan,
    n_points: ArrayLike = 2,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    negative_base: NegativeBase = "undefined",
) -> pd.DataFrame:
    """Open SDG / Statistics Canada progress status, one row per series.

    With a target: met first (comparator aware) -> target_achieved; fewer than 2 observations
    (or no time between base and latest) -> insufficient_data; otherwise
    `R = s * d * CAGR_obs / |CAGR_req|` (s = -1 for a negative base) classed by `classify_ratio`.
    When a compound rate is undefined R uses average annual changes instead (basis
    "absolute_change"). Without a target: `s * d * CAGR_obs` (fallback: midpoint growth) classed
    by `classify_growth` with thresholds scaled by `bound_coefficient`; direction "none" without
    a target -> not_assessed.

    Columns: ratio (R, NaN without a target), growth (the no-target quantity), coefficient (C),
    basis ("cagr", "absolute_change", "midpoint_growth", "no_change" or ""), category, note.
    """
    values = _arrays(base, latest, t_base, t_latest, target, target_year, bound, n_points)
    x = _trend(values, direction, comparator, negative_base)
    r = _target_ratio(x, negative_base)
    g = _no_target_growth(x, thresholds)
    return pd.DataFrame(
        {
            "ratio": r.ratio,
            "growth": g.growth,
            "coefficient": g.coefficient,
            "basis": np.where(g.applies, g.basis, r.basis),
            "category": _sdg_category(x, r, g, thresholds),
            "note": _sdg_notes(x, r, g),
        }
    )


def unsd_status(
    base: ArrayLike,
    latest: ArrayLike,
    projected: ArrayLike,
    target: ArrayLike,
    comparator: ArrayLike | None = None,
    direction: ArrayLike = 0,
    *,
    bound: ArrayLike = np.nan,
    enough: ArrayLike = True,
    t_base: ArrayLike = np.nan,
    target_year: ArrayLike = np.nan,
    growth: ArrayLike = np.nan,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> pd.DataFrame:
    """UNSD Progress Chart status, one row per series.

    With a target, the projected-value ratio `P = (y_hat_T - y0) / (yT - y0)`: P >= 0.95 (or
    target met, or a percentage whose latest value is within `unsd_met_margin` points of a 0 % or
    100 % target) -> on_track_or_met; 0.10 <= P < 0.95 -> fair_progress; below ->
    stagnation_or_regression. Not `enough` data -> insufficient_data; a target dated at or before
    the base (`target_year` <= `t_base`) -> target_not_after_base. A target on the wrong side of
    the base (or equal to it) leaves P undefined; if not met, the category is
    stagnation_or_regression.

    Without a target, the technical note assesses the growth rate instead: `growth` (the change
    per year in the good direction, d * CAGR) >= 2 % -> growth_on_track, >= 0.5 % ->
    growth_fair, below -> growth_stagnation; no growth (no direction) -> no_target.
    """
    y0, yt, yhat, yT, lim, t0, T, g = _arrays(
        base, latest, projected, target, bound, t_base, target_year, growth
    )
    n = y0.size
    ok_data = np.broadcast_to(np.atleast_1d(np.asarray(enough, dtype=bool)), (n,))
    _, comp, has_target, dt = _resolve_targets(comparator, direction, y0, yT, n)
    percent_edge = (lim == 100) & ((yT == 0) | (yT == 100))
    margin = thresholds.unsd_met_margin
    near_now = has_target & percent_edge & (np.abs(yt - yT) <= margin)
    met = has_target & (target_met(yt, yT, comp) | near_now)
    no_time = target_not_after_base(has_target, t0, T)
    forward = dt * (yT - y0) > 0
    with np.errstate(all="ignore"):
        p = np.where(has_target & ok_data & forward & ~no_time, (yhat - y0) / (yT - y0), np.nan)
    by_growth = ~has_target & ok_data & np.isfinite(g)
    category = np.select(
        [
            by_growth,
            ~has_target,
            met,
            no_time,
            ~ok_data,
            ~forward,
            np.isnan(p),
            p >= thresholds.unsd_on_track,
            p >= thresholds.unsd_fair,
        ],
        [
            classify_unsd_growth(g, thresholds),
            NO_TARGET,
            ON_TRACK_OR_MET,
            TARGET_NOT_AFTER_BASE,
            INSUFFICIENT_DATA,
            STAGNATION_OR_REGRESSION,
            INSUFFICIENT_DATA,
            ON_TRACK_OR_MET,
            FAIR_PROGRESS,
        ],
        STAGNATION_OR_REGRESSION,
    ).astype(object)
    notes = Notes(n)
    notes.add(
        near_now & ~target_met(yt, yT, comp),
        f"within {margin:g} point of a 0 % / 100 % target: counts as met",
    )
    notes.add(no_time & ~met, "target year not after the base: P undefined")
    notes.add(
        has_target & ok_data & ~forward & ~met & ~no_time,
        "target not beyond the base in the good direction: P undefined",
    )
    on, fair = thresholds.unsd_growth_on_track, thresholds.unsd_growth_fair
    notes.add_each(
        by_growth,
        lambda i: (
            f"no target: growth {100 * g[i]:.2f} % a year against {100 * on:g} % / {100 * fair:g} %"
        ),
    )
    return pd.DataFrame({"ratio": p, "category": category, "note": notes.joined()})


def classify_unsd_growth(
    growth: ArrayLike, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> np.ndarray:
    """d * CAGR of a series without a target, as the UNSD Progress Chart classes it: >= 2 % a
    year growth_on_track, >= 0.5 % growth_fair, below growth_stagnation; None where NaN."""
    g = np.atleast_1d(np.asarray(growth, float))
    return np.select(
        [np.isnan(g), g >= thresholds.unsd_growth_on_track, g >= thresholds.unsd_growth_fair],
        [None, GROWTH_ON_TRACK, GROWTH_FAIR],
        GROWTH_STAGNATION,
    ).astype(object)


def midterm_status(
    base: ArrayLike,
    latest: ArrayLike,
    t_base: ArrayLike,
    t_latest: ArrayLike,
    target: ArrayLike,
    target_year: ArrayLike,
    comparator: ArrayLike | None = None,
    direction: ArrayLike = 0,
    *,
    plan_start: ArrayLike,
    enough: ArrayLike = True,
    tolerance: float = 0.05,
    base_label: ArrayLike = "",
) -> pd.DataFrame:
    """The mid-term benchmark 时间过半、任务过半, one row per series.

    Task share `(yt - y0) / (yT - y0)` against the time share of the plan period at the date of
    the latest value, `plan_time_share(t, plan_start, T)`: from the end of the plan's base year
    `plan_start` (never from a series' own later base) and never above 1. Target met ->
    achieved_early (提前实现); task >= time + tolerance -> ahead (快于预期); task >= time -
    tolerance -> on_schedule (基本符合预期); else behind (滞后). No label, and a note saying why,
    without a target, with a target dated at or before the plan's base, or for a series whose
    base `t_base` is not the plan's base (its task is not measured over the plan's time;
    `base_label` names that base in the note). `tolerance` (default 0.05) is this book's
    choice, not a published value.
    """
    y0, yt, t0, t1, yT, T, start = _arrays(
        base, latest, t_base, t_latest, target, target_year, plan_start
    )
    n = y0.size
    ok_data = np.broadcast_to(np.atleast_1d(np.asarray(enough, dtype=bool)), (n,))
    _, comp, has_target, dt = _resolve_targets(comparator, direction, y0, yT, n)
    met = has_target & target_met(yt, yT, comp)
    forward = dt * (yT - y0) > 0
    time_share = np.where(ok_data, plan_time_share(t1, start, T), np.nan)
    from_plan_base = np.abs(t0 - start) <= YEARS
    period = start + YEARS < T
    with np.errstate(all="ignore"):
        task_share = np.where(has_target & ok_data & forward, (yt - y0) / (yT - y0), np.nan)
    label_code = np.select(
        [
            ~has_target,
            met,
            ~ok_data,
            ~period,
            ~from_plan_base,
            ~forward,
            np.isnan(task_share) | np.isnan(time_share),
            task_share >= time_share + tolerance,
            task_share >= time_share - tolerance,
        ],
        [None, ACHIEVED_EARLY, None, None, None, BEHIND, None, AHEAD, ON_SCHEDULE],
        BEHIND,
    ).astype(object)
    notes = Notes(n)
    notes.add(~has_target, "mid-term: no target, no label")
    undecided = has_target & ~met & ok_data
    notes.add(has_target & ~met & ~ok_data, "mid-term: fewer than 2 observations, no label")
    notes.add(
        undecided & ~period, "mid-term: the target year is not after the plan's base, no label"
    )
    labels = np.broadcast_to(np.asarray(base_label, dtype=object), (n,))
    notes.add_each(
        undecided & period & ~from_plan_base,
        lambda i: (
            f"mid-term: base is {labels[i] or f'{t0[i]:g}'}, not the plan's base "
            f"{start[i]:g}: no label"
        ),
    )
    notes.add(
        undecided & period & from_plan_base & ~forward,
        "mid-term: target not beyond the base in the good direction, and not met: behind",
    )
    return pd.DataFrame(
        {
            "task_share": task_share,
            "time_share": time_share,
            "label": label_code,
            "note": notes.joined(),
        }
    )


def check_relation(
    left: ArrayLike, right: ArrayLike, comparator: ArrayLike, factor: ArrayLike
) -> pd.DataFrame:
    """A rule `left (comparator) factor * right`, e.g. 特困 standard >= 1.3 * 低保 standard.

    Columns: factor_right, margin (positive = the rule holds with that much room, negative = it
    fails by that much; `==` gives -|difference|), holds (True/False, or None where a value is
    missing) and reason ("no data" where a value is missing).
    """
    left_v, right_v, fac = _arrays(left, right, factor)
    n = left_v.size
    comp = _comparators(comparator, n)
    factor_right = fac * right_v
    diff = left_v - factor_right
    margin = np.select([comp == ">=", comp == "<="], [diff, -diff], -np.abs(diff))
    data = np.isfinite(left_v) & np.isfinite(factor_right)
    holds_bool = np.select(
        [comp == ">=", comp == "<="],
        [left_v >= factor_right, left_v <= factor_right],
        np.isclose(left_v, factor_right, rtol=tolerance.RELATIVE, atol=0.0),
    )
    holds = np.where(data & (comp != ""), holds_bool, None).astype(object)
    reason = np.where(data, np.where(comp == "", "unknown comparator", ""), "no data")
    margin = np.where(data, margin, np.nan)
    return pd.DataFrame(
        {
            "factor_right": factor_right,
            "margin": margin,
            "holds": [None if h is None else bool(h) for h in holds],
            "reason": reason.astype(object),
        }
    )
