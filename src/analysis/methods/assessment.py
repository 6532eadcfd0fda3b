"""The book's result table: one row per series, every method applied at once.

`assess(observations, series, targets, params)` is the one public entry point for indicators;
`relation_checks(observations, relations, params)` checks rules such as "特困 standard >= 1.3 x
低保 standard". Both take the loader's frames (columns in `data/README.md`) and are vectorised
over series: no per-series Python loop, so 100,000 series take about a second.

How observations become points (each rule is a parameter or stated here):

* A range (value NaN, value_low/value_high given) counts as its low, high or mid value by
  `range_rule` (default "mid"); a half-open range uses the end it has. Each use is flagged.
* Rows without a number (milestones) are left out; series of kind "date", or with no numeric
  observation, get a row with category "not_assessed" and the reason in `flags`.
* Rows after `as_of` are left out (None: everything, i.e. each series' latest). A date string
  covers its whole period: as_of "2023" keeps "2023-06".
* Several rows at one date: equal values are one point; different values keep the first row in
  frame order and flag "conflicting values at DATE: a vs b". Nothing is averaged.
* Base: the first point at or after `base_year` (as Open SDG does when the base year is missing;
  flagged when later than the base year). Latest: the last point. Method "ols" uses every point,
  including those before the base.
* Target: the row for `target_year` if there is one, else the series' first target row; the
  projection horizon T is that row's year (`target_year` without a target). `target_overrides`
  replace the value (or create a target with the comparator implied by the direction).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from analysis.core import tolerance
from analysis.core.dates import fractional_year
from analysis.inputs.parameters import Parameters
from analysis.methods import growth, progress, projection
from analysis.methods.growth import NegativeBase
from analysis.methods.notes import Notes
from analysis.methods.progress import NOT_ASSESSED
from analysis.methods.projection import one_of
from analysis.methods.ranges import RangeRule, resolve_range

RESULT_COLUMNS = (
    "series_id",
    "domain",
    "headline",
    "name_zh",
    "name_en",
    "unit",
    "direction",
    "n_points",
    "base_date",
    "base_value",
    "latest_date",
    "latest_value",
    "total_change",
    "annual_change",
    "cagr",
    "cagr_reason",
    "target_year",
    "target_comparator",
    "target_value",
    "target_source",
    "target_source_zh",
    "required_cagr",
    "required_annual_change",
    "method",
    "projection_year",
    "projected_value",
    "projected_low",
    "projected_high",
    "interval_kind",
    "interval_note",
    "ratio",
    "category",
    "unsd_ratio",
    "unsd_category",
    "task_share",
    "time_share",
    "midterm_label",
    "report_verdict",
    "flags",
)

_SERIES_DEFAULTS: dict[str, object] = {
    "domain": None,
    "headline": pd.NA,
    "name_zh": None,
    "name_en": None,
    "unit": None,
    "direction": "none",
    "bound": np.nan,
    "kind": "level",
    "report_verdict": None,
}

# A pace needs its two figures a year apart at least: over a shorter span a growth rate would
# annualise one administrative step (a standard raised from 86 to 94 元 between the end of 2024
# and June 2025 would read as +19.5 % a year). Such a series has no pace, projection or status.
MIN_SPAN_YEARS = 1.0
SHORT_SPAN = "base and latest less than a year apart: no pace, no projection"

OBSERVED_BY_TARGET_YEAR = (
    "observed in or after the target year: the latest value is shown, not a projection"
)


# Where an overridden target comes from, in words for readers (English, Chinese).
OVERRIDE_SOURCE = (
    "the chapter's parameter file (a target set in place of the published one)",
    "本章参数文件设定的替代目标值",
)


def _column(
    frame: pd.DataFrame, name: str, default: object, dtype: type | None = None
) -> np.ndarray:
    """Column `name` of `frame` as an array, `default` in every row when there is none."""
    if name in frame.columns:
        col = frame[name]
    else:
        col = pd.Series([default] * len(frame), index=frame.index)
    return col.to_numpy(dtype=dtype) if dtype is not None else col.to_numpy()


def _fmt(x: float) -> str:
    return f"{x:g}"


@dataclass(frozen=True)
class _Series:
    """The series table as arrays, one element per series, in the table's order."""

    ids: np.ndarray
    kind: np.ndarray
    direction: np.ndarray
    sign: np.ndarray  # direction of good progress: +1, -1 or 0
    bound: np.ndarray
    milestone: np.ndarray  # kind "date": not assessed

    @property
    def n(self) -> int:
        return self.ids.size


def _series_arrays(series: pd.DataFrame) -> _Series:
    """Ids, kinds, directions and bounds of `series`; a repeated series_id is an error."""
    ids = series["series_id"].to_numpy(dtype=object)
    if not pd.Index(ids).is_unique:
        duplicated = sorted(set(pd.Index(ids)[pd.Index(ids).duplicated()]))
        raise ValueError(f"series: duplicate series_id {duplicated}")
    kind = pd.Series(_column(series, "kind", "level", object)).fillna("level")
    kind = kind.to_numpy(object, copy=True)
    direction = pd.Series(_column(series, "direction", "none", object)).fillna("none")
    direction = direction.to_numpy(object, copy=True)
    return _Series(
        ids=ids,
        kind=kind,
        direction=direction,
        sign=progress.direction_sign(direction),
        bound=_column(series, "bound", np.nan, float),
        milestone=kind == "date",
    )


@dataclass(frozen=True)
class _Rows:
    """Observation rows as arrays: series code (-1 for an unknown series), time, value (a range
    resolved by the range rule) and the range's ends."""

    code: np.ndarray
    t: np.ndarray
    y: np.ndarray
    date: np.ndarray
    is_range: np.ndarray
    low: np.ndarray
    high: np.ndarray

    def take(self, index: np.ndarray) -> _Rows:
        return _Rows(*(getattr(self, f.name)[index] for f in fields(self)))


@dataclass(frozen=True)
class _Points:
    """Numeric points of the series, sorted by series then time, one per (series, time)."""

    code: np.ndarray
    t: np.ndarray
    y: np.ndarray
    date: np.ndarray
    notes: Notes


def _observation_rows(observations: pd.DataFrame, ids: np.ndarray, range_rule: RangeRule) -> _Rows:
    """Every observation row, with its time and its value (a range's low, high or mid)."""
    code = pd.Index(ids).get_indexer(observations["series_id"].to_numpy(dtype=object))
    value = _column(observations, "value", np.nan, float)
    low = _column(observations, "value_low", np.nan, float)
    high = _column(observations, "value_high", np.nan, float)
    date = _column(observations, "date", "", object).astype(object)
    t = _column(observations, "t", np.nan, float).copy()
    missing_t = np.flatnonzero(np.isnan(t) & (code >= 0))
    for i in missing_t:
        t[i] = fractional_year(str(date[i]))
    y, is_range = resolve_range(value, low, high, range_rule)
    return _Rows(code, t, y, date, is_range, low, high)


def _prepare_points(
    observations: pd.DataFrame, ids: np.ndarray, excluded: np.ndarray, p: Parameters
) -> _Points:
    """Resolve ranges, drop non-numeric and late rows, sort, and merge repeated dates."""
    rows = _observation_rows(observations, ids, p.range_rule)
    keep = (rows.code >= 0) & np.isfinite(rows.y) & (rows.t <= p.as_of_end)
    keep[keep] &= ~excluded[rows.code[keep]]
    notes = Notes(ids.size)
    # ±inf (from a caller's frame; the loader refuses it) is left out, and said so.
    infinite = np.flatnonzero((rows.code >= 0) & np.isinf(rows.y))
    notes.add_rows(
        rows.code[infinite],
        [
            f"value at {rows.date[i]} is not a finite number ({rows.y[i]:g}): left out"
            for i in infinite
        ],
    )
    kept = np.flatnonzero(keep)
    rows = rows.take(kept[np.lexsort((kept, rows.t[kept], rows.code[kept]))])
    same = np.zeros(rows.code.size, dtype=bool)  # np.r_[False, ...] would be 1 long for none
    same[1:] = (rows.code[1:] == rows.code[:-1]) & (rows.t[1:] == rows.t[:-1])
    first = ~same
    _note_conflicts(rows, first, notes)
    ranges = np.flatnonzero(first & rows.is_range)
    notes.add_rows(
        rows.code[ranges],
        [
            f"range at {rows.date[i]}: {p.range_rule} of {_fmt(rows.low[i])}-"
            f"{_fmt(rows.high[i])} used"
            for i in ranges
        ],
    )
    return _Points(rows.code[first], rows.t[first], rows.y[first], rows.date[first], notes)


def _note_conflicts(rows: _Rows, first: np.ndarray, notes: Notes) -> None:
    """Note each date of a series with different values (the first row is the one kept)."""
    run = np.cumsum(first) - 1
    first_pos = np.flatnonzero(first)
    conflict = ~first & (rows.y != rows.y[first_pos][run])
    if not conflict.any():
        return
    runs = np.unique(run[conflict])
    ends = np.r_[first_pos[1:], rows.code.size]
    messages = []
    for r in runs:
        start, end = first_pos[r], ends[r]
        values = list(dict.fromkeys(rows.y[start:end].tolist()))
        shown = " vs ".join(_fmt(v) for v in values)
        messages.append(f"conflicting values at {rows.date[start]}: {shown} (first row used)")
    notes.add_rows(rows.code[first_pos[runs]], messages)


@dataclass(frozen=True)
class _Ends:
    """Each series' points: how many, where they start, the base and the latest point (NaN or
    None for a series without points)."""

    counts: np.ndarray
    starts: np.ndarray
    present: np.ndarray  # has a numeric point
    assessed: np.ndarray  # has a numeric point and is not a milestone
    span: np.ndarray  # the latest point is a year or more after the base (MIN_SPAN_YEARS)
    short: np.ndarray  # the latest point is later than the base, by less than a year
    base_index: np.ndarray
    latest_index: np.ndarray
    y0: np.ndarray
    yt: np.ndarray
    t0: np.ndarray
    t1: np.ndarray
    base_date: np.ndarray
    latest_date: np.ndarray

    def columns(self) -> dict[str, np.ndarray]:
        return {
            "n_points": self.counts.astype(np.int64),
            "base_date": self.base_date,
            "base_value": self.y0,
            "latest_date": self.latest_date,
            "latest_value": self.yt,
        }


def _base_positions(
    pts: _Points, starts: np.ndarray, present: np.ndarray, base_year: float
) -> tuple[np.ndarray, np.ndarray]:
    """Position of each series' base point (-1 without points): its first point from the base
    year on, else its earliest point (then `early` is True)."""
    base_index = np.full(present.size, -1, dtype=np.int64)
    early = np.zeros(present.size, dtype=bool)
    if present.any():
        big = np.iinfo(np.int64).max
        positions = np.arange(pts.t.size, dtype=np.int64)
        candidate = np.where(pts.t >= base_year - tolerance.YEARS, positions, big)
        first_from_base = np.minimum.reduceat(candidate, starts[present])
        none_from_base = first_from_base == big
        base_index[present] = np.where(none_from_base, starts[present], first_from_base)
        early[np.flatnonzero(present)[none_from_base]] = True
    return base_index, early


def _ends(pts: _Points, s: _Series, base_year: float, notes: Notes) -> _Ends:
    """Base and latest point of every series; a base before or after the base year is noted."""
    counts = np.bincount(pts.code, minlength=s.n)
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    present = counts > 0
    latest_index = np.where(present, starts + counts - 1, -1)
    base_index, early = _base_positions(pts, starts, present, base_year)
    notes.add_each(
        early,
        lambda i: (
            f"no observation from the base year {base_year:g} on: base is the earliest, "
            f"{pts.date[base_index[i]]}"
        ),
    )
    y0, yt, t0, t1 = (np.full(s.n, np.nan) for _ in range(4))
    base_date = np.full(s.n, None, dtype=object)
    latest_date = np.full(s.n, None, dtype=object)
    b, latest = base_index[present], latest_index[present]
    y0[present], yt[present] = pts.y[b], pts.y[latest]
    t0[present], t1[present] = pts.t[b], pts.t[latest]
    base_date[present], latest_date[present] = pts.date[b], pts.date[latest]
    late_base = present & ~early & (t0 > base_year + tolerance.YEARS)
    notes.add_each(
        late_base, lambda i: f"base is {base_date[i]}, later than the base year {base_year:g}"
    )
    return _Ends(
        counts=counts,
        starts=starts,
        present=present,
        assessed=present & ~s.milestone,
        span=present & (t1 - t0 >= MIN_SPAN_YEARS - tolerance.YEARS),
        short=present & (t1 > t0) & (t1 - t0 < MIN_SPAN_YEARS - tolerance.YEARS),
        base_index=base_index,
        latest_index=latest_index,
        y0=y0,
        yt=yt,
        t0=t0,
        t1=t1,
        base_date=base_date,
        latest_date=latest_date,
    )


@dataclass(frozen=True)
class _Growth:
    """The observed change from base to latest."""

    total_change: np.ndarray
    annual_change: np.ndarray
    cagr: np.ndarray
    cagr_reason: np.ndarray

    def columns(self) -> dict[str, np.ndarray]:
        return {
            "total_change": self.total_change,
            "annual_change": self.annual_change,
            "cagr": self.cagr,
            "cagr_reason": self.cagr_reason,
        }


def _growth(ends: _Ends, s: _Series, negative_base: NegativeBase) -> _Growth:
    """Total and average annual change and the compound rate, with why a rate is undefined."""
    observed = growth.cagr(ends.y0, ends.yt, ends.t0, ends.t1, negative_base=negative_base)
    reason = observed.reason.copy()
    no_span = ends.present & ~ends.span
    reason[no_span & (ends.counts == 1)] = growth.REASON_ONE_OBSERVATION
    reason[no_span & (ends.counts > 1)] = "undefined: one observation from the base year on"
    reason[ends.short] = f"undefined: {SHORT_SPAN}"
    reason[~ends.present] = "undefined: no numeric observations"
    reason[s.milestone] = "undefined: a milestone (kind date)"
    annual = growth.annual_change(ends.y0, ends.yt, ends.t0, ends.t1).value
    return _Growth(
        total_change=np.where(ends.present, ends.yt - ends.y0, np.nan),
        annual_change=np.where(ends.short, np.nan, annual),
        cagr=np.where(ends.short, np.nan, observed.value),
        cagr_reason=reason,
    )


@dataclass(frozen=True)
class _Target:
    """Each series' target (NaN or None without one), the projection horizon and the growth
    the target requires."""

    value: np.ndarray
    year: np.ndarray
    comparator: np.ndarray
    source: np.ndarray
    source_zh: np.ndarray
    has_target: np.ndarray
    horizon: np.ndarray  # the target's year, `target_year` without a target
    required_cagr: np.ndarray
    required_annual_change: np.ndarray
    met: np.ndarray

    def columns(self) -> dict[str, object]:
        has = self.has_target
        return {
            "target_year": pd.array(np.where(has, self.year, np.nan), dtype="Float64").astype(
                "Int64"
            ),
            "target_comparator": np.where(has, self.comparator, None),
            "target_value": self.value,
            "target_source": np.where(has, self.source, None),
            "target_source_zh": np.where(has, self.source_zh, None),
            "required_cagr": self.required_cagr,
            "required_annual_change": self.required_annual_change,
        }


def _select_targets(
    targets: pd.DataFrame, s: _Series, p: Parameters, notes: Notes
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Value, year, comparator, source and Chinese source of each series' target (NaN/None
    without one)."""
    value = np.full(s.n, np.nan)
    year = np.full(s.n, np.nan)
    comparator = np.full(s.n, None, dtype=object)
    source = np.full(s.n, None, dtype=object)
    source_zh = np.full(s.n, None, dtype=object)
    if targets is not None and len(targets):
        code = pd.Index(s.ids).get_indexer(targets["series_id"].to_numpy(dtype=object))
        t_year = _column(targets, "target_year", np.nan, float)
        rows = np.flatnonzero(code >= 0)
        not_preferred = t_year[rows] != p.target_year
        order = rows[np.lexsort((rows, not_preferred, code[rows]))]
        first = np.r_[True, code[order][1:] != code[order][:-1]]
        chosen = order[first]
        c = code[chosen]
        value[c] = _column(targets, "value", np.nan, float)[chosen]
        year[c] = t_year[chosen]
        comparator[c] = _column(targets, "comparator", None, object)[chosen]
        source[c] = _column(targets, "source", None, object)[chosen]
        source_zh[c] = _column(targets, "source_zh", None, object)[chosen]
        several = np.bincount(code[rows], minlength=s.n) > 1
        notes.add_each(several, lambda i: f"several targets: used the one for {year[i]:g}")
    index = pd.Index(s.ids)
    for sid, override in (p.target_overrides or {}).items():
        pos = index.get_indexer([sid])[0]
        if pos < 0:
            raise ValueError(f"target_overrides: unknown series {sid!r}")
        if np.isnan(value[pos]):
            year[pos] = p.target_year
            comparator[pos] = {1: ">=", -1: "<="}.get(int(s.sign[pos]), "==")
        value[pos] = float(override)
        source[pos], source_zh[pos] = OVERRIDE_SOURCE
        notes.add_rows(np.array([pos]), [f"target value {float(override):g} from target_overrides"])
    return value, year, comparator, source, source_zh


def _complete_comparators(
    comparator: np.ndarray, has_target: np.ndarray, sign: np.ndarray, notes: Notes
) -> np.ndarray:
    """The comparators, a missing one taken from the direction; a disagreement is noted."""
    comparator = comparator.copy()
    missing = has_target & ~one_of(comparator, [">=", "<=", "=="])
    comparator[missing] = np.where(sign[missing] < 0, "<=", np.where(sign[missing] > 0, ">=", "=="))
    notes.add(missing, "target without comparator: taken from the direction")
    conflicting = has_target & (
        ((comparator == ">=") & (sign < 0)) | ((comparator == "<=") & (sign > 0))
    )
    notes.add(conflicting, "direction disagrees with the target comparator: comparator used")
    return comparator


def _targets(
    targets: pd.DataFrame, s: _Series, ends: _Ends, p: Parameters, notes: Notes
) -> _Target:
    """Each series' target, horizon, required growth and whether the latest value meets it."""
    value, year, comparator, source, source_zh = _select_targets(targets, s, p, notes)
    has_target = np.isfinite(value)
    comparator = _complete_comparators(comparator, has_target, s.sign, notes)
    horizon = np.where(has_target, year, float(p.target_year))
    y0, t0 = ends.y0, ends.t0
    required = growth.required_cagr(y0, value, t0, horizon, negative_base=p.negative_base)
    required_annual = growth.required_annual_change(y0, value, t0, horizon).value
    return _Target(
        value=value,
        year=year,
        comparator=comparator,
        source=source,
        source_zh=source_zh,
        has_target=has_target,
        horizon=horizon,
        required_cagr=np.where(has_target, required.value, np.nan),
        required_annual_change=np.where(has_target, required_annual, np.nan),
        met=has_target & progress.target_met(ends.yt, value, comparator),
    )


@dataclass(frozen=True)
class _Projected:
    """The projection to the horizon, as the result table shows it."""

    method: np.ndarray  # as used, after any fallback; None where not assessed
    value: np.ndarray
    low: np.ndarray
    high: np.ndarray
    interval_kind: np.ndarray
    interval_note: np.ndarray
    linear_value: np.ndarray
    compound_value: np.ndarray

    def columns(self) -> dict[str, np.ndarray]:
        return {
            "method": self.method,
            "projected_value": self.value,
            "projected_low": self.low,
            "projected_high": self.high,
            "interval_kind": self.interval_kind,
            "interval_note": self.interval_note,
        }


def _methods(s: _Series, p: Parameters) -> np.ndarray:
    """Each series' projection method: its kind's, unless `series_methods` names the series."""
    method = pd.Series(s.kind).map(dict(p.method_by_kind)).fillna("linear")
    method = method.to_numpy(object, copy=True)
    index = pd.Index(s.ids)
    for sid, chosen in p.series_methods.items():
        pos = index.get_indexer([sid])[0]
        if pos < 0:
            raise ValueError(f"method: unknown series {sid!r}")
        method[pos] = chosen
    return method


def _project(
    pts: _Points, s: _Series, ends: _Ends, target: _Target, method: np.ndarray, p: Parameters
) -> pd.DataFrame:
    """`projection.project_many` on every series; counts, standards and rates that never went
    below 0 are floored at 0, as is anything with a bound."""
    group_min = np.full(s.n, np.nan)
    if ends.present.any():
        group_min[ends.present] = np.minimum.reduceat(pts.y, ends.starts[ends.present])
    non_negative = one_of(s.kind, ("count", "standard", "rate")) & (group_min >= 0)
    return projection.project_many(
        pts.code,
        pts.t,
        pts.y,
        base_index=ends.base_index,
        latest_index=ends.latest_index,
        method=method,
        target_year=target.horizon,
        bound=s.bound,
        floor_zero=np.isfinite(s.bound) | non_negative,
        target_value=target.value,
        target_met=target.met,
        bounded_transform=p.bounded_transform,
        min_points_for_interval=p.min_points_for_interval,
        alpha=p.interval_alpha,
        max_projection_multiple=p.max_projection_multiple,
        max_compound_multiple=p.max_compound_multiple,
        negative_base=p.negative_base,
    )


def _projection(
    pts: _Points, s: _Series, ends: _Ends, target: _Target, p: Parameters, notes: Notes
) -> _Projected:
    """The projection of every assessed series; one observed in or after its target year needs
    none (a projection from a later point would run backwards): its latest value stands in."""
    method = _methods(s, p)
    frame = _project(pts, s, ends, target, method, p)
    value = frame["projected_value"].to_numpy(float, copy=True)
    low = frame["projected_low"].to_numpy(float, copy=True)
    high = frame["projected_high"].to_numpy(float, copy=True)
    interval_kind = frame["interval_kind"].to_numpy(object, copy=True)
    interval_note = frame["interval_note"].to_numpy(object, copy=True)
    flags = frame["flags"].to_numpy(object, copy=True)
    linear = frame["linear_value"].to_numpy(float, copy=True)
    compound = frame["compound_value"].to_numpy(float, copy=True)
    # Observed at or after the horizon: every projection the statuses read is the observed
    # value, never a projection backwards.
    observed = ends.assessed & (ends.t1 >= target.horizon - tolerance.YEARS)
    value[observed] = low[observed] = high[observed] = ends.yt[observed]
    linear[observed] = compound[observed] = ends.yt[observed]
    interval_kind[observed] = "none"
    interval_note[observed] = OBSERVED_BY_TARGET_YEAR
    flags[observed] = ""
    notes.add(observed, OBSERVED_BY_TARGET_YEAR)
    short = ends.assessed & ends.short & ~observed
    value[short] = low[short] = high[short] = linear[short] = compound[short] = np.nan
    interval_kind[short] = "none"
    interval_note[short] = SHORT_SPAN
    flags[short] = ""
    notes.add(short, SHORT_SPAN)
    notes.add_notes(flags, ends.assessed)
    used = np.where(ends.span, frame["method"].to_numpy(object, copy=True), method)
    used[~ends.assessed] = None
    interval_note[s.milestone] = "not assessed: milestone"
    return _Projected(
        method=used,
        value=value,
        low=low,
        high=high,
        interval_kind=interval_kind,
        interval_note=interval_note,
        linear_value=linear,
        compound_value=compound,
    )


def _open_sdg(
    s: _Series, ends: _Ends, target: _Target, p: Parameters, notes: Notes
) -> pd.DataFrame:
    """The Open SDG / Statistics Canada status of every series (`progress.open_sdg_status`)."""
    status = progress.open_sdg_status(
        ends.y0,
        ends.yt,
        ends.t0,
        ends.t1,
        s.sign,
        target.value,
        target.horizon,
        target.comparator,
        bound=s.bound,
        n_points=ends.counts,
        thresholds=p.thresholds,
        negative_base=p.negative_base,
    )
    # two figures less than a year apart have no pace (SHORT_SPAN, noted with the projection);
    # a target they already meet stays met
    short = ends.assessed & ends.short & (status["category"] != progress.TARGET_ACHIEVED).to_numpy()
    status.loc[short, ["ratio", "growth"]] = np.nan
    status.loc[short, "category"] = progress.INSUFFICIENT_DATA
    status.loc[short, "note"] = ""
    notes.add_notes(status["note"].to_numpy(object, copy=True), ends.assessed)
    return status


def _unsd(
    s: _Series,
    ends: _Ends,
    target: _Target,
    projected: _Projected,
    growth_rate: np.ndarray,
    p: Parameters,
    notes: Notes,
) -> pd.DataFrame:
    """The UNSD status of every series (`progress.unsd_status`): the projected-value ratio from
    the compound projection (linear where that is undefined) or from the series' own method;
    without a target, `growth_rate` (d * CAGR, as the Open SDG status reads it)."""
    if p.unsd_projection == "cagr":
        compound = projected.compound_value
        undefined = np.isnan(compound)
        value = np.where(undefined, projected.linear_value, compound)
        notes.add(
            ends.span & target.has_target & undefined,
            "UNSD: compound projection undefined, linear used",
        )
    else:
        value = projected.value
    status = progress.unsd_status(
        ends.y0,
        ends.yt,
        value,
        target.value,
        target.comparator,
        s.sign,
        bound=s.bound,
        enough=ends.span,
        t_base=ends.t0,
        target_year=target.horizon,
        growth=growth_rate,
        thresholds=p.thresholds,
    )
    notes.add_notes(status["note"].to_numpy(object, copy=True), ends.assessed, prefix="UNSD: ")
    return status


def _midterm(s: _Series, ends: _Ends, target: _Target, p: Parameters, notes: Notes) -> pd.DataFrame:
    """The mid-term benchmark 时间过半、任务过半 of every series (`progress.midterm_status`)."""
    status = progress.midterm_status(
        ends.y0,
        ends.yt,
        ends.t0,
        ends.t1,
        target.value,
        target.horizon,
        target.comparator,
        s.sign,
        plan_start=float(p.base_year),
        enough=ends.span | ends.short,  # shares of the task and of the time, not a pace
        tolerance=p.midterm_tolerance,
        base_label=ends.base_date,
    )
    notes.add_notes(status["note"].to_numpy(object, copy=True), ends.assessed)
    return status


def _note_not_assessed(s: _Series, ends: _Ends, as_of: object, notes: Notes) -> None:
    """Say why a milestone or a series without a number is not assessed."""
    notes.add(s.milestone, "not_assessed: kind is date (a milestone), no numeric assessment")
    no_numbers = "not_assessed: no numeric observations"
    if as_of is not None:
        no_numbers += f" up to as_of {as_of}"
    notes.add(~s.milestone & ~ends.present, no_numbers)


def _status_columns(
    sdg: pd.DataFrame, unsd: pd.DataFrame, mid: pd.DataFrame, assessed: np.ndarray
) -> dict[str, np.ndarray]:
    """The three progress methods' columns; a series not assessed gets no category."""
    category = sdg["category"].to_numpy(object, copy=True)
    category[~assessed] = NOT_ASSESSED
    unsd_category = unsd["category"].to_numpy(object, copy=True)
    unsd_category[~assessed] = NOT_ASSESSED
    midterm_label = mid["label"].to_numpy(object, copy=True)
    midterm_label[~assessed] = None
    return {
        "ratio": sdg["ratio"].to_numpy(float, copy=True),
        "category": category,
        "unsd_ratio": unsd["ratio"].to_numpy(float, copy=True),
        "unsd_category": unsd_category,
        "task_share": mid["task_share"].to_numpy(float, copy=True),
        "time_share": mid["time_share"].to_numpy(float, copy=True),
        "midterm_label": midterm_label,
    }


def _series_columns(series: pd.DataFrame, s: _Series) -> dict[str, object]:
    """The columns the result table takes from the series table."""

    def passthrough(name: str) -> np.ndarray:
        if name in series.columns:
            return series[name].to_numpy()
        return np.full(s.n, _SERIES_DEFAULTS[name], dtype=object)

    headline = (
        series["headline"].astype("Int64")
        if "headline" in series.columns
        else pd.array([pd.NA] * s.n, dtype="Int64")
    )
    return {
        "series_id": s.ids,
        "domain": passthrough("domain"),
        "headline": pd.array(headline, dtype="Int64"),
        "name_zh": passthrough("name_zh"),
        "name_en": passthrough("name_en"),
        "unit": passthrough("unit"),
        "direction": s.direction,
        "report_verdict": passthrough("report_verdict"),
    }


def assess(
    observations: pd.DataFrame,
    series: pd.DataFrame,
    targets: pd.DataFrame,
    params: Parameters | Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """The result table: one row per row of `series`, columns `RESULT_COLUMNS`.

    Growth (base -> latest), target and required growth, projection to the target year with a
    scenario band or prediction interval, the Open SDG / Statistics Canada category (`ratio`,
    `category`), the UNSD projected ratio (`unsd_ratio`, `unsd_category`), the mid-term benchmark
    (`task_share`, `time_share`, `midterm_label`), and every caveat in `flags` (";"-joined).
    Category codes are explained by `analysis.methods.progress.LABELS`.
    """
    p = Parameters.coerce(params)
    series = series.reset_index(drop=True)
    s = _series_arrays(series)
    notes = Notes(s.n)  # the stages add their caveats in this order
    pts = _prepare_points(observations, s.ids, s.milestone, p)
    notes.extend(pts.notes)
    ends = _ends(pts, s, p.base_year, notes)
    grown = _growth(ends, s, p.negative_base)
    target = _targets(targets, s, ends, p, notes)
    projected = _projection(pts, s, ends, target, p, notes)
    sdg = _open_sdg(s, ends, target, p, notes)
    unsd = _unsd(s, ends, target, projected, sdg["growth"].to_numpy(float), p, notes)
    mid = _midterm(s, ends, target, p, notes)
    _note_not_assessed(s, ends, p.as_of, notes)
    columns = {
        **_series_columns(series, s),
        **ends.columns(),
        **grown.columns(),
        **target.columns(),
        **projected.columns(),
        # the year each projection is for: the target's, else the `target_year` parameter
        "projection_year": pd.array(
            np.where(np.isfinite(projected.value), target.horizon, np.nan), dtype="Float64"
        ).astype("Int64"),
        **_status_columns(sdg, unsd, mid, ends.assessed),
        "flags": notes.joined(),
    }
    return pd.DataFrame(columns).loc[:, list(RESULT_COLUMNS)]


RELATION_COLUMNS = (
    "relation_id",
    "left_series_id",
    "comparator",
    "factor",
    "right_series_id",
    "date",
    "left_value",
    "right_value",
    "factor_right",
    "margin",
    "holds",
    "reason",
    "projected_year",
    "projected_left",
    "projected_right",
    "projected_factor_right",
    "projected_margin",
    "projected_holds",
    "projected_reason",
    "section",
    "quote",
    "source",
)


def _relation_series(ids: np.ndarray, series: pd.DataFrame | None) -> pd.DataFrame:
    """The series table of the relations' series: their rows of `series` (a series it lacks is
    a plain level), or plain levels without a direction when `series` is None."""
    if series is None:
        return pd.DataFrame({"series_id": ids, "kind": "level", "direction": "none"})
    sub = series.set_index("series_id").reindex(ids).rename_axis("series_id").reset_index()
    unknown = sub["kind"].isna() if "kind" in sub.columns else pd.Series(True, index=sub.index)
    sub.loc[unknown, "kind"] = "level"
    return sub


def _latest_common(
    pts: _Points, left_pos: np.ndarray, right_pos: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each pair of series, the latest date at which both have a point, and both values
    there (None and NaN when they share no date)."""
    date = np.full(left_pos.size, None, dtype=object)
    left_value = np.full(left_pos.size, np.nan)
    right_value = np.full(left_pos.size, np.nan)
    points = {
        int(c): dict(zip(pts.t[pts.code == c].tolist(), np.flatnonzero(pts.code == c), strict=True))
        for c in np.unique(pts.code)
    }
    for r, (lp, rp) in enumerate(zip(left_pos, right_pos, strict=True)):
        left_points, right_points = points.get(int(lp), {}), points.get(int(rp), {})
        common = sorted(set(left_points) & set(right_points))
        if common:
            latest = common[-1]
            date[r] = pts.date[left_points[latest]]
            left_value[r] = pts.y[left_points[latest]]
            right_value[r] = pts.y[right_points[latest]]
    return date, left_value, right_value


def _relation_projections(
    observations: pd.DataFrame, sub: pd.DataFrame, p: Parameters
) -> np.ndarray:
    """Each relation series' projected value, by `assess` without targets. The chapter's
    per-series choices apply to these series only (assess rejects overrides naming series it
    was not given)."""
    wanted = set(sub["series_id"])
    for_relations = p.model_copy(
        update={
            "series_methods": {k: v for k, v in p.series_methods.items() if k in wanted},
            "target_overrides": {k: v for k, v in p.target_overrides.items() if k in wanted},
        }
    )
    projected = assess(observations, sub, pd.DataFrame(columns=["series_id"]), for_relations)
    return projected["projected_value"].to_numpy(float, copy=True)


WITHIN_ROUNDING = "within rounding"


def relation_checks(
    observations: pd.DataFrame,
    relations: pd.DataFrame,
    params: Parameters | Mapping[str, object] | None = None,
    *,
    series: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Check each rule `left (comparator) factor * right`, now and as projected.

    "Now" is the latest date at which both series have a number (ranges and repeated dates
    resolved as in `assess`); "projected" compares both series' projections to `target_year`,
    each made by `assess` with its kind's default method (pass `series` for kinds, bounds and
    directions; without it every series is a plain level projected linearly). `margin` is
    positive when the rule holds with room, negative when it fails by that much; `holds` is
    True/False, or None with reason "no data".
    """
    p = Parameters.coerce(params)
    relations = relations.reset_index(drop=True)
    left_ids = relations["left_series_id"].to_numpy(dtype=object)
    right_ids = relations["right_series_id"].to_numpy(dtype=object)
    ids = np.array(list(dict.fromkeys([*left_ids.tolist(), *right_ids.tolist()])), dtype=object)
    sub = _relation_series(ids, series)
    pts = _prepare_points(observations, ids, (sub["kind"] == "date").to_numpy(bool), p)
    left_pos = pd.Index(ids).get_indexer(left_ids)
    right_pos = pd.Index(ids).get_indexer(right_ids)
    date, left_value, right_value = _latest_common(pts, left_pos, right_pos)
    comparator = relations["comparator"].to_numpy(dtype=object)
    factor = relations["factor"].to_numpy(dtype=float)
    now = progress.check_relation(left_value, right_value, comparator, factor)
    projected = _relation_projections(observations, sub, p)
    proj_left, proj_right = projected[left_pos], projected[right_pos]
    later = progress.check_relation(proj_left, proj_right, comparator, factor)
    # The two sides are projected separately: a breach smaller than half the last digit the
    # report states them in (0.5 yuan for whole yuan) is the rounding of two extrapolations,
    # not evidence that the rule will break.
    slack = np.maximum(
        tolerance.half_last_digit(left_value), tolerance.half_last_digit(right_value)
    )
    undecided = later["holds"].eq(False).to_numpy() & (np.abs(later["margin"]) < slack)
    later["holds"] = later["holds"].astype(object).where(~undecided, None)
    later["reason"] = later["reason"].astype(object).where(~undecided, WITHIN_ROUNDING)

    def passthrough(name: str) -> np.ndarray | None:
        return relations[name].to_numpy() if name in relations.columns else None

    return pd.DataFrame(
        {
            "relation_id": passthrough("relation_id"),
            "left_series_id": left_ids,
            "comparator": comparator,
            "factor": factor,
            "right_series_id": right_ids,
            "date": date,
            "left_value": left_value,
            "right_value": right_value,
            "factor_right": now["factor_right"],
            "margin": now["margin"],
            "holds": now["holds"].astype(object),
            "reason": now["reason"],
            "projected_year": p.target_year,
            "projected_left": proj_left,
            "projected_right": proj_right,
            "projected_factor_right": later["factor_right"],
            "projected_margin": later["margin"],
            "projected_holds": later["holds"].astype(object),
            "projected_reason": later["reason"].replace({"no data": "no projection"}),
            "section": passthrough("section"),
            "quote": passthrough("quote"),
            "source": passthrough("source"),
        }
    ).loc[:, list(RELATION_COLUMNS)]
