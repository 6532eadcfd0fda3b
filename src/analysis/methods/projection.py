"""Projection to the target year, with a scenario band or, given enough points, an interval.

Methodology chapter, section 5. Methods, one per series:

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

from typing import Any, NamedTuple

import numpy as np
import pandas as pd

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


def t_quantile(probability: float, df: Any) -> Any:
    """Student's t quantile. scipy.stats is imported here, not at module load: it costs more
    than half a second, and most uses of the library never need an interval."""
    from scipy import stats

    return stats.t.ppf(probability, df)


def _one_of(values: np.ndarray, choices: tuple[str, ...] | list[str]) -> np.ndarray:
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
    x0: Any,
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


def ols_predict(t: Any, y: Any, x0: float, alpha: float = 0.05) -> OLSPrediction:
    """`ols_predict_many` for one series: floats out."""
    t = np.atleast_1d(np.asarray(t, dtype=float))
    res = ols_predict_many(np.zeros(t.size, dtype=np.int64), t, y, x0, n_groups=1, alpha=alpha)
    return OLSPrediction(*(v[0].item() for v in res))


def logit(x: Any, upper: Any, lower: Any = 0.0) -> Any:
    """`log((x - lower) / (upper - x))`; NaN outside the open interval (lower, upper)."""
    x, upper, lower = np.broadcast_arrays(
        np.asarray(x, float), np.asarray(upper, float), np.asarray(lower, float)
    )
    inside = (x > lower) & (x < upper)
    with np.errstate(all="ignore"):
        out = np.where(inside, np.log((x - lower) / (upper - x)), np.nan)
    return out if out.ndim else float(out)


def inv_logit(z: Any, upper: Any, lower: Any = 0.0) -> Any:
    """Back-transform of `logit`: `lower + (upper - lower) / (1 + exp(-z))`."""
    z, upper, lower = np.broadcast_arrays(
        np.asarray(z, float), np.asarray(upper, float), np.asarray(lower, float)
    )
    with np.errstate(all="ignore"):
        out = lower + (upper - lower) / (1.0 + np.exp(-z))
    return out if out.ndim else float(out)


def cap(values: Any, upper: Any, floor_zero: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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


def _notes_by_key(keys: np.ndarray, mask: np.ndarray, make: Any, out: np.ndarray) -> None:
    """Write `make(key)` into `out` where `mask`, formatting each distinct key once."""
    if not mask.any():
        return
    uniq, inverse = np.unique(keys[mask], return_inverse=True)
    texts = np.array([make(k) for k in uniq.tolist()], dtype=object)
    out[mask] = texts[inverse]


def project_many(
    group: np.ndarray,
    t: np.ndarray,
    y: np.ndarray,
    *,
    base_index: np.ndarray,
    latest_index: np.ndarray,
    method: Any,
    target_year: Any,
    bound: Any = np.nan,
    floor_zero: Any = None,
    target_value: Any = np.nan,
    target_met: Any = False,
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
    group = np.asarray(group, dtype=np.int64)
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float)
    base_index = np.asarray(base_index, dtype=np.int64)
    latest_index = np.asarray(latest_index, dtype=np.int64)
    n_series = base_index.size
    method = np.broadcast_to(np.asarray(method, dtype=object), (n_series,)).copy()
    unknown = ~_one_of(method, METHODS)
    if unknown.any():
        raise ValueError(
            f"unknown projection method(s) {sorted(set(method[unknown]))}; use {METHODS}"
        )
    horizon = np.broadcast_to(np.asarray(target_year, dtype=float), (n_series,))
    upper = np.broadcast_to(np.asarray(bound, dtype=float), (n_series,))
    bounded = np.isfinite(upper)
    floor = (
        bounded
        if floor_zero is None
        else np.broadcast_to(np.asarray(floor_zero, bool), (n_series,))
    )
    floor = floor | bounded
    yT = np.broadcast_to(np.asarray(target_value, dtype=float), (n_series,))
    met = np.broadcast_to(np.asarray(target_met, dtype=bool), (n_series,))

    has_points = base_index >= 0
    safe_b = np.where(has_points, base_index, 0)
    safe_l = np.where(has_points, latest_index, 0)
    if y.size == 0:
        y0 = yt = t0 = t1 = np.full(n_series, np.nan)
    else:
        y0, yt, t0, t1 = y[safe_b], y[safe_l], t[safe_b], t[safe_l]
        y0, yt = np.where(has_points, y0, np.nan), np.where(has_points, yt, np.nan)
        t0, t1 = np.where(has_points, t0, np.nan), np.where(has_points, t1, np.nan)
    span = has_points & (t1 > t0)
    counts = np.bincount(group, minlength=n_series)[:n_series]
    ahead = horizon - t1

    # Logit scale: bounded, transform on, method linear/ols, every point used inside (0, bound).
    wants_logit = bounded & (bounded_transform == "logit") & _one_of(method, ("linear", "ols"))
    inside_point = (y > 0) & (y < upper[group]) if y.size else np.zeros(0, bool)
    outside_count = np.bincount(group, ~inside_point, minlength=n_series)[:n_series]
    ends_inside = (y0 > 0) & (y0 < upper) & (yt > 0) & (yt < upper)
    logit_ok = wants_logit & np.where(method == "ols", outside_count == 0, ends_inside)
    logit_failed = wants_logit & span & ~logit_ok

    with np.errstate(all="ignore"):
        slope_level = (yt - y0) / (t1 - t0)
        linear_level = yt + slope_level * ahead
        z0, zt = logit(y0, upper), logit(yt, upper)
        linear_logit = inv_logit(zt + (zt - z0) / (t1 - t0) * ahead, upper)
    linear_value = np.where(logit_ok & (method == "linear"), linear_logit, linear_level)
    growth = cagr(y0, yt, t0, t1, negative_base=negative_base)
    compound_ok = growth.reason == ""
    with np.errstate(all="ignore"):
        compound_value = np.where(compound_ok, yt * np.power(1.0 + growth.value, ahead), np.nan)

    # OLS on every series' points (cheap), on the logit scale where that applies.
    logit_points = logit_ok[group] & (method[group] == "ols") if y.size else np.zeros(0, bool)
    y_fit = np.where(logit_points, logit(y, upper[group]), y) if y.size else y
    ols = ols_predict_many(group, t, y_fit, horizon, n_groups=n_series, alpha=alpha)
    back = logit_ok & (method == "ols")
    ols_mean = np.where(back, inv_logit(ols.mean, upper), ols.mean)
    ols_low = np.where(back, inv_logit(ols.obs_ci_lower, upper), ols.obs_ci_lower)
    ols_high = np.where(back, inv_logit(ols.obs_ci_upper, upper), ols.obs_ci_upper)

    compound_fallback = span & (method == "cagr") & ~compound_ok
    used = method.copy()
    used[compound_fallback] = "linear"
    projected = np.select(
        [~span, used == "cagr", used == "linear"], [np.nan, compound_value, linear_value], ols_mean
    )
    projected, hit_upper, hit_floor = cap(projected, upper, floor)
    linear_capped = cap(linear_value, upper, floor)[0]
    compound_capped = cap(compound_value, upper, floor)[0]
    scale = np.where(logit_ok & span & _one_of(used, ("linear", "ols")), "logit", "level")

    # Interval or scenario band.
    interval = span & (used == "ols") & (counts >= max(min_points_for_interval, 3))
    pending = span & ~met & np.isfinite(yT)
    alternative_a = np.where(pending, yT, linear_capped)
    alternative_b = np.where(pending, yT, compound_capped)
    # fmin/fmax skip NaN (and stay silent when every value is NaN).
    band_low = np.fmin(projected, np.fmin(alternative_a, alternative_b))
    band_high = np.fmax(projected, np.fmax(alternative_a, alternative_b))
    # A band needs two different paths: the target, or both the linear and compound projection.
    band_exists = span & ~interval & np.isfinite(alternative_a) & np.isfinite(alternative_b)
    band_exists &= np.isfinite(projected)
    low = np.where(interval, cap(ols_low, upper, floor)[0], np.where(band_exists, band_low, np.nan))
    high = np.where(
        interval, cap(ols_high, upper, floor)[0], np.where(band_exists, band_high, np.nan)
    )
    kind = np.where(interval, "prediction_interval", np.where(band_exists, "scenario", "none"))

    note = np.full(n_series, "", dtype=object)
    confidence = round(100 * (1 - alpha))
    t_multiplier: dict[int, float] = {}

    def why_not(k: int) -> str:
        if k == 2:
            return (
                "no statistical interval: 2 points leave an OLS fit zero residual degrees of "
                "freedom (statsmodels gives NaN bounds)"
            )
        if k not in t_multiplier:
            t_multiplier[k] = float(t_quantile(1 - alpha / 2, k - 2))
        return (
            f"no statistical interval: {k} points leave {k - 2} residual degree"
            f"{'s' if k > 3 else ''} of freedom (the {confidence} % t multiplier is "
            f"{t_multiplier[k]:.1f})"
        )

    def pi_note(key: int) -> str:
        k, on_logit = divmod(key, 2)
        scale_text = " on the logit scale" if on_logit else ""
        return (
            f"illustrative {confidence} % prediction interval of the OLS trend{scale_text} "
            f"({k} points, {k - 2} residual degrees of freedom)"
        )

    few = span & ~interval & (counts < max(min_points_for_interval, 3))
    _notes_by_key(counts, few, why_not, note)
    _notes_by_key(counts * 2 + (scale == "logit"), interval, pi_note, note)
    enough_other = span & ~interval & ~few
    note[enough_other] = "no statistical interval: a prediction interval is given for method 'ols'"
    pending_text = (
        "; scenario band: current pace vs required pace (the path that reaches the target); "
        "not a statistical interval"
    )
    other_text = "; scenario band: linear vs compound projection; not a statistical interval"
    no_band_text = "; no scenario band: compound growth undefined and no pending target"
    band_mask = band_exists & pending
    note[band_mask] = note[band_mask] + pending_text
    band_mask = band_exists & ~pending
    note[band_mask] = note[band_mask] + other_text
    none_mask = span & ~interval & ~band_exists
    note[none_mask] = note[none_mask] + no_band_text
    note[~span & has_points] = "one observation from the base on: no projection"
    note[~has_points] = "no observations: no projection"

    flags = Notes(n_series)
    flags.add(compound_fallback, "projection: compound rate undefined, linear used")
    flags.add(
        logit_failed,
        "projection: a value at 0 or at the bound has no logit, so level scale, capped",
    )
    flags.add(span & hit_upper, "projection capped at the bound")
    flags.add(span & hit_floor, "projection floored at 0")
    with np.errstate(all="ignore"):
        multiple = projected / yt
    m = max_projection_multiple
    far = span & np.isfinite(multiple) & (yt != 0) & ((multiple > m) | (multiple < 1.0 / m))
    flags.add(far, f"{EXTREME}: projected / latest outside [{1 / m:g}, {m:g}]")
    with np.errstate(all="ignore"):
        grown = (y0 > 0) & (yt / y0 > max_compound_multiple)
    doubled = span & (used == "cagr") & grown
    flags.add(
        doubled,
        f"{EXTREME}: compound projection of a series that grew more than "
        f"{max_compound_multiple:g}x from base to latest",
    )
    return pd.DataFrame(
        {
            "method": used,
            "scale": scale,
            "projected_value": projected,
            "projected_low": low,
            "projected_high": high,
            "interval_kind": kind,
            "interval_note": note,
            "linear_value": np.where(span, linear_capped, np.nan),
            "compound_value": np.where(span, compound_capped, np.nan),
            "flags": flags.joined(),
        }
    )


def project_one(
    t: Any,
    y: Any,
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
