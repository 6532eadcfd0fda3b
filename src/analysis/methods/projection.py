"""Projection to the target year, with a scenario band or, given enough points, an interval.

Methodology chapter, section `methodology-projection` (a MyST label). Methods, one per series:

* "cagr": `yt * (1 + CAGR_obs) ** (T - t)`, compound growth from base to latest (default for
  policy standards). Undefined compound rate (zero or negative base) -> "linear", with a flag.
* "linear": `yt + (yt - y0) / (t - t0) * (T - t)`, the average annual change (default for counts,
  levels and rates: Destatis uses the average of recent annual changes).
* "ols": least-squares linear trend on all points, evaluated at T (closed form, vectorised over
  series; equal to statsmodels OLS to rounding).

Rules:

* Bounded quantities (a percentage with bound 100) are never projected past the bound nor below 0.
  With `bounded_transform="logit"` (default) the "linear" and "ols" methods work on the logit scale
  `log((x - 0) / (bound - x))` and back-transform (Hyndman & Athanasopoulos, FPP, "forecasts
  constrained to an interval"); a value at 0 or at the bound has no logit, so that series is
  projected on the level scale and capped, with a flag. "cagr" on a bounded series is capped.
  With `bounded_transform="cap"` every bounded projection is made on the level scale and capped.
  Non-negative quantities (`floor_zero`) are floored at 0.
* Intervals: two points identify a line and nothing else (zero residual degrees of freedom, so an
  OLS interval does not exist: statsmodels returns NaN bounds); three points leave 1 degree of
  freedom and a 95 % t multiplier of 12.7. Below `min_points_for_interval` (default 4), and for
  the "cagr" and "linear" methods, the band is a labelled scenario: current pace vs required pace
  (the target) when a target is not yet met, otherwise linear vs compound. Method "ols" with at
  least `min_points_for_interval` points gives the OLS prediction interval (`obs_ci_lower/upper`),
  labelled illustrative.
* Extreme extrapolations are flagged "extreme_extrapolation", not presented as findings:
  projected / latest outside [1/m, m] (m = `max_projection_multiple`, default 2), and any compound
  projection of a series whose latest value is more than `max_compound_multiple` (default 2) times
  its base (a care standard 100 -> 501).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from analysis.methods.growth import NegativeBase, cagr
from analysis.methods.notes import Notes

METHODS = ("cagr", "linear", "ols")
DEFAULT_METHOD_BY_KIND: dict[str, str] = {
    "count": "linear",
    "level": "linear",
    "standard": "cagr",
    "rate": "linear",
}
BOUNDED_TRANSFORMS = ("logit", "cap")

EXTREME = "extreme_extrapolation"


def t_quantile(probability: float, df: ArrayLike) -> Any:
    """Student's t quantile. scipy.stats is imported here, not at module load: it costs more
    than half a second, and most uses of the library never need an interval."""
    from scipy import stats

    return stats.t.ppf(probability, df)


def one_of(values: np.ndarray, choices: tuple[str, ...] | list[str]) -> np.ndarray:
    """Elementwise membership for string arrays (faster than np.isin on object arrays)."""
    out = np.zeros(np.shape(values), dtype=bool)
    for choice in choices:
        out |= values == choice
    return out


class OLSPrediction(NamedTuple):
    """Per-series OLS trend and its prediction at x0 (fields are arrays, or floats for one)."""

    mean: Any
    obs_ci_lower: Any
    obs_ci_upper: Any
    slope: Any
    n: Any
    df_resid: Any


def ols_predict_many(
    group: np.ndarray,
    t: np.ndarray,
    y: np.ndarray,
    x0: ArrayLike,
    n_groups: int | None = None,
    alpha: float = 0.05,
) -> OLSPrediction:
    """OLS `y = a + b t` fitted separately in every group, predicted at `x0` (per group).

    Closed form on centred sums (no per-series loop), so 100,000 series take milliseconds. The
    bounds are the `obs_ci_lower/upper` of statsmodels' `get_prediction(...).summary_frame(alpha)`:
    `mean +- t_{1-alpha/2, n-2} * sqrt(s2 * (1 + 1/n + (x0 - tbar)**2 / Sxx))`. Groups with fewer
    than 3 points, or no spread in t, get NaN bounds (and NaN mean without spread).
    """
    group = np.asarray(group, dtype=np.int64)
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float)
    if n_groups is None:
        n_groups = int(group.max()) + 1 if group.size else 0
    x0 = np.broadcast_to(np.asarray(x0, dtype=float), (n_groups,))
    n = np.bincount(group, minlength=n_groups).astype(float)
    with np.errstate(all="ignore"):
        tbar = np.bincount(group, t, n_groups) / n
        ybar = np.bincount(group, y, n_groups) / n
        dt = t - tbar[group]
        dy = y - ybar[group]
        sxx = np.bincount(group, dt * dt, n_groups)
        sxy = np.bincount(group, dt * dy, n_groups)
        slope = np.where(sxx > 0, sxy / sxx, np.nan)
        resid = dy - slope[group] * dt
        ssr = np.bincount(group, resid * resid, n_groups)
        df = n - 2
        s2 = np.where(df > 0, ssr / np.where(df > 0, df, 1.0), np.nan)
        mean = ybar + slope * (x0 - tbar)
        se_obs = np.sqrt(s2 * (1.0 + 1.0 / n + (x0 - tbar) ** 2 / sxx))
    q = np.full(n_groups, np.nan)
    ok = df > 0
    if ok.any():
        unique_df, inverse = np.unique(df[ok], return_inverse=True)
        q[ok] = t_quantile(1.0 - alpha / 2.0, unique_df)[inverse]
    lower = mean - q * se_obs
    upper = mean + q * se_obs
    return OLSPrediction(mean, lower, upper, slope, n.astype(np.int64), df.astype(np.int64))


def ols_predict(t: ArrayLike, y: ArrayLike, x0: float, alpha: float = 0.05) -> OLSPrediction:
    """`ols_predict_many` for one series: floats out."""
    t = np.atleast_1d(np.asarray(t, dtype=float))
    res = ols_predict_many(np.zeros(t.size, dtype=np.int64), t, y, x0, n_groups=1, alpha=alpha)
    return OLSPrediction(*(v[0].item() for v in res))


def logit(x: ArrayLike, upper: ArrayLike, lower: ArrayLike = 0.0) -> Any:
    """`log((x - lower) / (upper - x))`; NaN outside the open interval (lower, upper)."""
    x, upper, lower = np.broadcast_arrays(
        np.asarray(x, float), np.asarray(upper, float), np.asarray(lower, float)
    )
    inside = (x > lower) & (x < upper)
    with np.errstate(all="ignore"):
        out = np.where(inside, np.log((x - lower) / (upper - x)), np.nan)
    return out if out.ndim else float(out)


def inv_logit(z: ArrayLike, upper: ArrayLike, lower: ArrayLike = 0.0) -> Any:
    """Back-transform of `logit`: `lower + (upper - lower) / (1 + exp(-z))`."""
    z, upper, lower = np.broadcast_arrays(
        np.asarray(z, float), np.asarray(upper, float), np.asarray(lower, float)
    )
    with np.errstate(all="ignore"):
        out = lower + (upper - lower) / (1.0 + np.exp(-z))
    return out if out.ndim else float(out)


def cap(
    values: ArrayLike, upper: ArrayLike, floor_zero: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Clip to [0, upper] where bounded (upper finite) and at 0 where `floor_zero`.

    Returns the clipped values and two masks: where the upper bound and where the floor applied.
    """
    v, up, fz = np.broadcast_arrays(
        np.atleast_1d(np.asarray(values, float)),
        np.atleast_1d(np.asarray(upper, float)),
        np.atleast_1d(np.asarray(floor_zero, bool)),
    )
    bounded = np.isfinite(up)
    over = bounded & (v > up)
    under = (bounded | fz) & (v < 0)
    out = np.where(over, up, np.where(under, 0.0, v))
    return out, over, under


def _notes_by_key(
    keys: np.ndarray, mask: np.ndarray, make: Callable[[int], str], out: np.ndarray
) -> None:
    """Write `make(key)` into `out` where `mask`, formatting each distinct key once."""
    if not mask.any():
        return
    uniq, inverse = np.unique(keys[mask], return_inverse=True)
    texts = np.array([make(k) for k in uniq.tolist()], dtype=object)
    out[mask] = texts[inverse]


@dataclass(frozen=True)
class _Inputs:
    """The per-series arguments of `project_many`, one element per series."""

    method: np.ndarray
    horizon: np.ndarray
    upper: np.ndarray  # the bound, NaN without one
    bounded: np.ndarray
    floor: np.ndarray  # floored at 0 (every bounded series is)
    target_value: np.ndarray
    target_met: np.ndarray


def _inputs(
    n: int,
    method: ArrayLike,
    target_year: ArrayLike,
    bound: ArrayLike,
    floor_zero: ArrayLike | None,
    target_value: ArrayLike,
    target_met: ArrayLike,
) -> _Inputs:
    """Broadcast the per-series arguments to `n` series; an unknown method is an error."""
    method = np.broadcast_to(np.asarray(method, dtype=object), (n,)).copy()
    unknown = ~one_of(method, METHODS)
    if unknown.any():
        raise ValueError(
            f"unknown projection method(s) {sorted(set(method[unknown]))}; use {METHODS}"
        )
    upper = np.broadcast_to(np.asarray(bound, dtype=float), (n,))
    bounded = np.isfinite(upper)
    floor = bounded if floor_zero is None else np.broadcast_to(np.asarray(floor_zero, bool), (n,))
    return _Inputs(
        method=method,
        horizon=np.broadcast_to(np.asarray(target_year, dtype=float), (n,)),
        upper=upper,
        bounded=bounded,
        floor=floor | bounded,
        target_value=np.broadcast_to(np.asarray(target_value, dtype=float), (n,)),
        target_met=np.broadcast_to(np.asarray(target_met, dtype=bool), (n,)),
    )


@dataclass(frozen=True)
class _Points:
    """The points of all series (sorted by group, then t) and each series' base and latest
    (NaN for a series without points)."""

    group: np.ndarray
    t: np.ndarray
    y: np.ndarray
    counts: np.ndarray
    has_points: np.ndarray
    span: np.ndarray  # the latest point is later than the base
    y0: np.ndarray
    yt: np.ndarray
    t0: np.ndarray
    t1: np.ndarray


def _points(
    group: ArrayLike, t: ArrayLike, y: ArrayLike, base_index: ArrayLike, latest_index: ArrayLike
) -> _Points:
    """The points as arrays, and the base and latest point of each series."""
    group = np.asarray(group, dtype=np.int64)
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float)
    base_index = np.asarray(base_index, dtype=np.int64)
    latest_index = np.asarray(latest_index, dtype=np.int64)
    n = base_index.size
    has_points = base_index >= 0
    safe_b = np.where(has_points, base_index, 0)
    safe_l = np.where(has_points, latest_index, 0)
    if y.size == 0:
        y0 = yt = t0 = t1 = np.full(n, np.nan)
    else:
        y0, yt, t0, t1 = y[safe_b], y[safe_l], t[safe_b], t[safe_l]
        y0, yt = np.where(has_points, y0, np.nan), np.where(has_points, yt, np.nan)
        t0, t1 = np.where(has_points, t0, np.nan), np.where(has_points, t1, np.nan)
    return _Points(
        group=group,
        t=t,
        y=y,
        counts=np.bincount(group, minlength=n)[:n],
        has_points=has_points,
        span=has_points & (t1 > t0),
        y0=y0,
        yt=yt,
        t0=t0,
        t1=t1,
    )


@dataclass(frozen=True)
class _Paths:
    """Each series projected to its horizon by every method, before capping."""

    logit_ok: np.ndarray  # "linear" and "ols" work on the logit scale
    logit_failed: np.ndarray  # the logit scale was wanted, a value at 0 or the bound prevents it
    linear: np.ndarray
    compound: np.ndarray
    compound_ok: np.ndarray  # the compound rate is defined
    ols_mean: np.ndarray
    ols_low: np.ndarray
    ols_high: np.ndarray


def _logit_scale(
    pts: _Points, inp: _Inputs, bounded_transform: str
) -> tuple[np.ndarray, np.ndarray]:
    """Where the logit scale is used (bounded, transform on, method linear or ols, every point
    used inside (0, bound)), and where it was wanted but a point is at 0 or the bound."""
    method, upper, group = inp.method, inp.upper, pts.group
    wants = inp.bounded & (bounded_transform == "logit") & one_of(method, ("linear", "ols"))
    inside_point = (pts.y > 0) & (pts.y < upper[group]) if pts.y.size else np.zeros(0, bool)
    outside_count = np.bincount(group, ~inside_point, minlength=method.size)[: method.size]
    y0, yt = pts.y0, pts.yt
    ends_inside = (y0 > 0) & (y0 < upper) & (yt > 0) & (yt < upper)
    ok = wants & np.where(method == "ols", outside_count == 0, ends_inside)
    return ok, wants & pts.span & ~ok


def _paths(
    pts: _Points, inp: _Inputs, bounded_transform: str, alpha: float, negative_base: NegativeBase
) -> _Paths:
    """The linear, compound and OLS projections (the OLS one with its prediction interval)."""
    logit_ok, logit_failed = _logit_scale(pts, inp, bounded_transform)
    y0, yt, t0, t1, upper = pts.y0, pts.yt, pts.t0, pts.t1, inp.upper
    ahead = inp.horizon - t1
    with np.errstate(all="ignore"):
        linear_level = yt + (yt - y0) / (t1 - t0) * ahead
        z0, zt = logit(y0, upper), logit(yt, upper)
        linear_logit = inv_logit(zt + (zt - z0) / (t1 - t0) * ahead, upper)
    growth = cagr(y0, yt, t0, t1, negative_base=negative_base)
    compound_ok = growth.reason == ""
    with np.errstate(all="ignore"):
        compound = np.where(compound_ok, yt * np.power(1.0 + growth.value, ahead), np.nan)
    # OLS on every series' points (cheap), on the logit scale where that applies.
    group, y = pts.group, pts.y
    logit_points = logit_ok[group] & (inp.method[group] == "ols") if y.size else np.zeros(0, bool)
    y_fit = np.where(logit_points, logit(y, upper[group]), y) if y.size else y
    ols = ols_predict_many(group, pts.t, y_fit, inp.horizon, n_groups=upper.size, alpha=alpha)
    back = logit_ok & (inp.method == "ols")
    return _Paths(
        logit_ok=logit_ok,
        logit_failed=logit_failed,
        linear=np.where(logit_ok & (inp.method == "linear"), linear_logit, linear_level),
        compound=compound,
        compound_ok=compound_ok,
        ols_mean=np.where(back, inv_logit(ols.mean, upper), ols.mean),
        ols_low=np.where(back, inv_logit(ols.obs_ci_lower, upper), ols.obs_ci_lower),
        ols_high=np.where(back, inv_logit(ols.obs_ci_upper, upper), ols.obs_ci_upper),
    )


@dataclass(frozen=True)
class _Chosen:
    """Each series' projection by its method, capped, and what the capping did."""

    method: np.ndarray  # as used: "cagr" becomes "linear" where the compound rate is undefined
    fallback: np.ndarray  # where it did
    value: np.ndarray
    hit_upper: np.ndarray
    hit_floor: np.ndarray
    linear: np.ndarray  # capped
    compound: np.ndarray  # capped
    scale: np.ndarray  # "logit" or "level"


def _choose(pts: _Points, inp: _Inputs, paths: _Paths) -> _Chosen:
    """Pick each series' method's projection and cap it at the bound and the floor."""
    fallback = pts.span & (inp.method == "cagr") & ~paths.compound_ok
    used = inp.method.copy()
    used[fallback] = "linear"
    projected = np.select(
        [~pts.span, used == "cagr", used == "linear"],
        [np.nan, paths.compound, paths.linear],
        paths.ols_mean,
    )
    projected, hit_upper, hit_floor = cap(projected, inp.upper, inp.floor)
    on_logit = paths.logit_ok & pts.span & one_of(used, ("linear", "ols"))
    return _Chosen(
        method=used,
        fallback=fallback,
        value=projected,
        hit_upper=hit_upper,
        hit_floor=hit_floor,
        linear=cap(paths.linear, inp.upper, inp.floor)[0],
        compound=cap(paths.compound, inp.upper, inp.floor)[0],
        scale=np.where(on_logit, "logit", "level"),
    )


@dataclass(frozen=True)
class _Band:
    """Each series' prediction interval or scenario band (NaN without one)."""

    low: np.ndarray
    high: np.ndarray
    kind: np.ndarray  # "prediction_interval", "scenario" or "none"
    interval: np.ndarray  # an OLS prediction interval
    pending: np.ndarray  # the band runs to a target not yet met
    scenario: np.ndarray  # a scenario band


def _band(pts: _Points, inp: _Inputs, paths: _Paths, chosen: _Chosen, min_points: int) -> _Band:
    """The OLS prediction interval with enough points, else a scenario band: current vs
    required pace while a target is pending, otherwise linear vs compound."""
    span, projected = pts.span, chosen.value
    interval = span & (chosen.method == "ols") & (pts.counts >= max(min_points, 3))
    pending = span & ~inp.target_met & np.isfinite(inp.target_value)
    alternative_a = np.where(pending, inp.target_value, chosen.linear)
    alternative_b = np.where(pending, inp.target_value, chosen.compound)
    # fmin/fmax skip NaN (and stay silent when every value is NaN).
    band_low = np.fmin(projected, np.fmin(alternative_a, alternative_b))
    band_high = np.fmax(projected, np.fmax(alternative_a, alternative_b))
    # A band needs two different paths: the target, or both the linear and compound projection.
    scenario = span & ~interval & np.isfinite(alternative_a) & np.isfinite(alternative_b)
    scenario &= np.isfinite(projected)
    ols_low = cap(paths.ols_low, inp.upper, inp.floor)[0]
    ols_high = cap(paths.ols_high, inp.upper, inp.floor)[0]
    return _Band(
        low=np.where(interval, ols_low, np.where(scenario, band_low, np.nan)),
        high=np.where(interval, ols_high, np.where(scenario, band_high, np.nan)),
        kind=np.where(interval, "prediction_interval", np.where(scenario, "scenario", "none")),
        interval=interval,
        pending=pending,
        scenario=scenario,
    )


def _no_interval_note(k: int, alpha: float) -> str:
    """Why `k` points (fewer than the interval needs) give no statistical interval."""
    if k == 2:
        return (
            "no statistical interval: 2 points leave an OLS fit zero residual degrees of "
            "freedom (statsmodels gives NaN bounds)"
        )
    multiplier = float(t_quantile(1 - alpha / 2, k - 2))
    return (
        f"no statistical interval: {k} points leave {k - 2} residual degree"
        f"{'s' if k > 3 else ''} of freedom (the {round(100 * (1 - alpha))} % t multiplier is "
        f"{multiplier:.1f})"
    )


def _interval_note(key: int, alpha: float) -> str:
    """The label of a prediction interval; `key` is 2 * points + (1 on the logit scale)."""
    k, on_logit = divmod(key, 2)
    scale_text = " on the logit scale" if on_logit else ""
    return (
        f"illustrative {round(100 * (1 - alpha))} % prediction interval of the OLS "
        f"trend{scale_text} ({k} points, {k - 2} residual degrees of freedom)"
    )


_BAND_NOTES = {
    "pending": "; scenario band: current pace vs required pace (the path that reaches the "
    "target); not a statistical interval",
    "other": "; scenario band: linear vs compound projection; not a statistical interval",
    "none": "; no scenario band: compound growth undefined and no pending target",
}


def _interval_notes(
    pts: _Points, chosen: _Chosen, band: _Band, min_points: int, alpha: float
) -> np.ndarray:
    """What each series' interval or band is, or why it has none."""
    span, interval, counts = pts.span, band.interval, pts.counts
    note = np.full(counts.size, "", dtype=object)
    few = span & ~interval & (counts < max(min_points, 3))
    _notes_by_key(counts, few, lambda k: _no_interval_note(k, alpha), note)
    keys = counts * 2 + (chosen.scale == "logit")
    _notes_by_key(keys, interval, lambda key: _interval_note(key, alpha), note)
    note[span & ~interval & ~few] = (
        "no statistical interval: a prediction interval is given for method 'ols'"
    )
    for mask, text in (
        (band.scenario & band.pending, _BAND_NOTES["pending"]),
        (band.scenario & ~band.pending, _BAND_NOTES["other"]),
        (span & ~interval & ~band.scenario, _BAND_NOTES["none"]),
    ):
        note[mask] = note[mask] + text
    note[~span & pts.has_points] = "one observation from the base on: no projection"
    note[~pts.has_points] = "no observations: no projection"
    return note


def _flags(
    pts: _Points,
    paths: _Paths,
    chosen: _Chosen,
    max_projection_multiple: float,
    max_compound_multiple: float,
) -> Notes:
    """The projection's caveats: fallbacks, capping and extreme extrapolations."""
    span, y0, yt = pts.span, pts.y0, pts.yt
    flags = Notes(span.size)
    flags.add(chosen.fallback, "projection: compound rate undefined, linear used")
    flags.add(
        paths.logit_failed,
        "projection: a value at 0 or at the bound has no logit, so level scale, capped",
    )
    flags.add(span & chosen.hit_upper, "projection capped at the bound")
    flags.add(span & chosen.hit_floor, "projection floored at 0")
    with np.errstate(all="ignore"):
        multiple = chosen.value / yt
        grown = (y0 > 0) & (yt / y0 > max_compound_multiple)
    m = max_projection_multiple
    far = span & np.isfinite(multiple) & (yt != 0) & ((multiple > m) | (multiple < 1.0 / m))
    flags.add(far, f"{EXTREME}: projected / latest outside [{1 / m:g}, {m:g}]")
    flags.add(
        span & (chosen.method == "cagr") & grown,
        f"{EXTREME}: compound projection of a series that grew more than "
        f"{max_compound_multiple:g}x from base to latest",
    )
    return flags


def project_many(
    group: ArrayLike,
    t: ArrayLike,
    y: ArrayLike,
    *,
    base_index: ArrayLike,
    latest_index: ArrayLike,
    method: ArrayLike,
    target_year: ArrayLike,
    bound: ArrayLike = np.nan,
    floor_zero: ArrayLike | None = None,
    target_value: ArrayLike = np.nan,
    target_met: ArrayLike = False,
    bounded_transform: str = "logit",
    min_points_for_interval: int = 4,
    alpha: float = 0.05,
    max_projection_multiple: float = 2.0,
    max_compound_multiple: float = 2.0,
    negative_base: NegativeBase = "undefined",
) -> pd.DataFrame:
    """Project many series at once, one row per series.

    `group`, `t`, `y`: the points of all series, sorted by group then t, one point per (group, t);
    groups are 0..n-1 with n = len(base_index). `base_index` / `latest_index`: position of each
    series' base and latest point in those arrays (-1 for a series without points). Points before
    the base count for "ols" (it uses all points) and not for the others.

    Columns: method (as used, after any fallback), scale ("level" or "logit"), projected_value,
    projected_low, projected_high, interval_kind ("prediction_interval", "scenario" or "none"),
    interval_note, linear_value, compound_value (both capped), flags (";"-joined).
    """
    if bounded_transform not in BOUNDED_TRANSFORMS:
        raise ValueError(f"bounded_transform must be one of {BOUNDED_TRANSFORMS}")
    pts = _points(group, t, y, base_index, latest_index)
    inp = _inputs(
        pts.has_points.size, method, target_year, bound, floor_zero, target_value, target_met
    )
    paths = _paths(pts, inp, bounded_transform, alpha, negative_base)
    chosen = _choose(pts, inp, paths)
    band = _band(pts, inp, paths, chosen, min_points_for_interval)
    flags = _flags(pts, paths, chosen, max_projection_multiple, max_compound_multiple)
    return pd.DataFrame(
        {
            "method": chosen.method,
            "scale": chosen.scale,
            "projected_value": chosen.value,
            "projected_low": band.low,
            "projected_high": band.high,
            "interval_kind": band.kind,
            "interval_note": _interval_notes(pts, chosen, band, min_points_for_interval, alpha),
            "linear_value": np.where(pts.span, chosen.linear, np.nan),
            "compound_value": np.where(pts.span, chosen.compound, np.nan),
            "flags": flags.joined(),
        }
    )


def project_one(
    t: ArrayLike,
    y: ArrayLike,
    target_year: float = 2025,
    method: str = "linear",
    *,
    base_year: float | None = None,
    bound: float = np.nan,
    floor_zero: bool | None = None,
    target_value: float = np.nan,
    target_met: bool = False,
    **options: Any,
) -> dict[str, Any]:
    """Project one series given its times and values (any order, distinct times).

    The base is the first point at or after `base_year` (the first point when None), the latest is
    the last point. Options are those of `project_many`. Returns one row as a dict.
    """
    t = np.atleast_1d(np.asarray(t, dtype=float))
    y = np.atleast_1d(np.asarray(y, dtype=float))
    order = np.argsort(t, kind="stable")
    t, y = t[order], y[order]
    if base_year is None:
        base = 0
    else:
        later = np.flatnonzero(t >= base_year)
        base = int(later[0]) if later.size else 0
    frame = project_many(
        np.zeros(t.size, dtype=np.int64),
        t,
        y,
        base_index=np.array([base if t.size else -1]),
        latest_index=np.array([t.size - 1]),
        method=method,
        target_year=target_year,
        bound=bound,
        floor_zero=floor_zero,
        target_value=target_value,
        target_met=target_met,
        **options,
    )
    return frame.iloc[0].to_dict()
