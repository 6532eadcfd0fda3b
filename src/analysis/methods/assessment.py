"""The book's result table: one row per series, every method applied at once.

`assess(observations, series, targets, params)` is the one public entry point for indicators;
`relation_checks(observations, relations, params)` checks rules such as "特困 standard >= 1.3 x
低保 standard". Both take the loader's frames (see DESIGN.md, data contract) and are vectorised
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
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.core import tolerance
from analysis.core.dates import fractional_year
from analysis.inputs.parameters import Parameters
from analysis.methods import growth, progress, projection
from analysis.methods.notes import Notes
from analysis.methods.progress import NOT_ASSESSED

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
    "required_cagr",
    "required_annual_change",
    "method",
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

_SERIES_DEFAULTS: dict[str, Any] = {
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


def _one_of(values: np.ndarray, choices: tuple[str, ...] | list[str]) -> np.ndarray:
    """Elementwise membership for string arrays (faster than np.isin on object arrays)."""
    out = np.zeros(np.shape(values), dtype=bool)
    for choice in choices:
        out |= values == choice
    return out


def _column(frame: pd.DataFrame, name: str, default: Any, dtype: Any = None) -> np.ndarray:
    if name in frame.columns:
        col = frame[name]
    else:
        col = pd.Series([default] * len(frame), index=frame.index)
    return col.to_numpy(dtype=dtype) if dtype is not None else col.to_numpy()


def _fmt(x: float) -> str:
    return f"{x:g}"


@dataclass
class _Points:
    """Numeric points of the series, sorted by series then time, one per (series, time)."""

    code: np.ndarray
    t: np.ndarray
    y: np.ndarray
    date: np.ndarray
    notes: Notes


def _prepare_points(
    observations: pd.DataFrame, ids: np.ndarray, excluded: np.ndarray, p: Parameters
) -> _Points:
    """Resolve ranges, drop non-numeric and late rows, sort, and merge repeated dates."""
    code = pd.Index(ids).get_indexer(observations["series_id"].to_numpy(dtype=object))
    value = _column(observations, "value", np.nan, float)
    low = _column(observations, "value_low", np.nan, float)
    high = _column(observations, "value_high", np.nan, float)
    date = _column(observations, "date", "", object).astype(object)
    t = _column(observations, "t", np.nan, float).copy()
    missing_t = np.flatnonzero(np.isnan(t) & (code >= 0))
    for i in missing_t:
        t[i] = fractional_year(str(date[i]))
    has_low, has_high = np.isfinite(low), np.isfinite(high)
    is_range = np.isnan(value) & (has_low | has_high)
    if p.range_rule == "low":
        chosen = np.where(has_low, low, high)
    elif p.range_rule == "high":
        chosen = np.where(has_high, high, low)
    else:
        chosen = np.where(has_low & has_high, (low + high) / 2, np.where(has_low, low, high))
    y = np.where(is_range, chosen, value)
    keep = (code >= 0) & np.isfinite(y) & (t < p.as_of_end)
    keep[keep] &= ~excluded[code[keep]]
    rows = np.flatnonzero(keep)
    order = rows[np.lexsort((rows, t[rows], code[rows]))]
    code, t, y, date = code[order], t[order], y[order], date[order]
    is_range, low, high = is_range[order], low[order], high[order]

    notes = Notes(ids.size)
    same = np.zeros(code.size, dtype=bool)  # np.r_[False, ...] would be 1 long for no points
    same[1:] = (code[1:] == code[:-1]) & (t[1:] == t[:-1])
    first = ~same
    run = np.cumsum(first) - 1
    first_pos = np.flatnonzero(first)
    conflict = same & (y != y[first_pos][run])
    if conflict.any():
        runs = np.unique(run[conflict])
        ends = np.r_[first_pos[1:], code.size]
        messages = []
        for r in runs:
            start, end = first_pos[r], ends[r]
            values = list(dict.fromkeys(y[start:end].tolist()))
            shown = " vs ".join(_fmt(v) for v in values)
            messages.append(f"conflicting values at {date[start]}: {shown} (first row used)")
        notes.add_rows(code[first_pos[runs]], messages)
    kept_range = first & is_range
    if kept_range.any():
        idx = np.flatnonzero(kept_range)
        notes.add_rows(
            code[idx],
            [
                f"range at {date[i]}: {p.range_rule} of {_fmt(low[i])}-{_fmt(high[i])} used"
                for i in idx
            ],
        )
    return _Points(code[first], t[first], y[first], date[first], notes)


def _select_targets(
    targets: pd.DataFrame, ids: np.ndarray, direction: np.ndarray, p: Parameters, flags: Notes
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Value, year, comparator and source of each series' target (NaN/None without one)."""
    n = ids.size
    value = np.full(n, np.nan)
    year = np.full(n, np.nan)
    comparator = np.full(n, None, dtype=object)
    source = np.full(n, None, dtype=object)
    if targets is not None and len(targets):
        code = pd.Index(ids).get_indexer(targets["series_id"].to_numpy(dtype=object))
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
        several = np.flatnonzero(np.bincount(code[rows], minlength=n) > 1)
        flags.add_rows(several, [f"several targets: used the one for {year[i]:g}" for i in several])
    index = pd.Index(ids)
    for sid, override in (p.target_overrides or {}).items():
        pos = index.get_indexer([sid])[0]
        if pos < 0:
            raise ValueError(f"target_overrides: unknown series {sid!r}")
        if np.isnan(value[pos]):
            year[pos] = p.target_year
            comparator[pos] = {1: ">=", -1: "<="}.get(int(direction[pos]), "==")
        value[pos] = float(override)
        source[pos] = "target_overrides"
        flags.add(np.arange(n) == pos, f"target value {float(override):g} from target_overrides")
    return value, year, comparator, source


OBSERVED_BY_TARGET_YEAR = (
    "observed in or after the target year: the latest value is shown, not a projection"
)


def assess(
    observations: pd.DataFrame,
    series: pd.DataFrame,
    targets: pd.DataFrame,
    params: Parameters | Mapping[str, Any] | None = None,
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
    ids = series["series_id"].to_numpy(dtype=object)
    n = ids.size
    if not pd.Index(ids).is_unique:
        duplicated = sorted(set(pd.Index(ids)[pd.Index(ids).duplicated()]))
        raise ValueError(f"series: duplicate series_id {duplicated}")
    kind = (
        pd.Series(_column(series, "kind", "level", object))
        .fillna("level")
        .to_numpy(object, copy=True)
    )
    direction = pd.Series(_column(series, "direction", "none", object)).fillna("none")
    direction = direction.to_numpy(object, copy=True)
    d = progress.direction_sign(direction)
    bound = _column(series, "bound", np.nan, float)
    flags = Notes(n)

    milestone = kind == "date"
    pts = _prepare_points(observations, ids, milestone, p)
    flags.extend(pts.notes)

    counts = np.bincount(pts.code, minlength=n)
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    present = counts > 0
    assessed = present & ~milestone
    latest_index = np.where(present, starts + counts - 1, -1)
    base_index = np.full(n, -1, dtype=np.int64)
    early = np.zeros(n, dtype=bool)
    if present.any():
        big = np.iinfo(np.int64).max
        positions = np.arange(pts.t.size, dtype=np.int64)
        candidate = np.where(pts.t >= p.base_year - tolerance.YEARS, positions, big)
        first_from_base = np.minimum.reduceat(candidate, starts[present])
        none_from_base = first_from_base == big
        base_index[present] = np.where(none_from_base, starts[present], first_from_base)
        early[np.flatnonzero(present)[none_from_base]] = True
        flags.add_rows(
            np.flatnonzero(early),
            [
                f"no observation from the base year {p.base_year:g} on: base is the earliest, "
                f"{pts.date[base_index[i]]}"
                for i in np.flatnonzero(early)
            ],
        )
    y0, yt, t0, t1 = (np.full(n, np.nan) for _ in range(4))
    base_date = np.full(n, None, dtype=object)
    latest_date = np.full(n, None, dtype=object)
    b, latest = base_index[present], latest_index[present]
    y0[present], yt[present] = pts.y[b], pts.y[latest]
    t0[present], t1[present] = pts.t[b], pts.t[latest]
    base_date[present], latest_date[present] = pts.date[b], pts.date[latest]
    late_base = present & ~early & (t0 > p.base_year + tolerance.YEARS)
    flags.add_rows(
        np.flatnonzero(late_base),
        [
            f"base is {base_date[i]}, later than the base year {p.base_year:g}"
            for i in np.flatnonzero(late_base)
        ],
    )
    span = present & (t1 > t0)
    n_points = counts

    # Growth base -> latest.
    obs_growth = growth.cagr(y0, yt, t0, t1, negative_base=p.negative_base)
    cagr_reason = obs_growth.reason.copy()
    cagr_reason[present & ~span & (counts == 1)] = growth.REASON_ONE_OBSERVATION
    cagr_reason[present & ~span & (counts > 1)] = "undefined: one observation from the base year on"
    cagr_reason[~present] = "undefined: no numeric observations"
    cagr_reason[milestone] = "undefined: a milestone (kind date)"
    per_year = growth.annual_change(y0, yt, t0, t1).value
    change = np.where(present, yt - y0, np.nan)

    # Targets and required growth.
    y_target, target_year, comparator, target_source = _select_targets(targets, ids, d, p, flags)
    has_target = np.isfinite(y_target)
    missing_comparator = has_target & ~_one_of(comparator, [">=", "<=", "=="])
    comparator[missing_comparator] = np.where(
        d[missing_comparator] < 0, "<=", np.where(d[missing_comparator] > 0, ">=", "==")
    )
    flags.add(missing_comparator, "target without comparator: taken from the direction")
    conflicting = has_target & (((comparator == ">=") & (d < 0)) | ((comparator == "<=") & (d > 0)))
    flags.add(conflicting, "direction disagrees with the target comparator: comparator used")
    horizon = np.where(has_target, target_year, float(p.target_year))
    req_growth = growth.required_cagr(y0, y_target, t0, horizon, negative_base=p.negative_base)
    required_cagr = np.where(has_target, req_growth.value, np.nan)
    required_annual = np.where(
        has_target, growth.required_annual_change(y0, y_target, t0, horizon).value, np.nan
    )
    met = has_target & progress.target_met(yt, y_target, comparator)

    # Projection.
    method = (
        pd.Series(kind).map(dict(p.method_by_kind)).fillna("linear").to_numpy(object, copy=True)
    )
    if p.series_methods:
        index = pd.Index(ids)
        for sid, chosen in p.series_methods.items():
            pos = index.get_indexer([sid])[0]
            if pos < 0:
                raise ValueError(f"method: unknown series {sid!r}")
            method[pos] = chosen
    group_min = np.full(n, np.nan)
    if present.any():
        group_min[present] = np.minimum.reduceat(pts.y, starts[present])
    floor_zero = np.isfinite(bound) | (
        _one_of(kind, ("count", "standard", "rate")) & (group_min >= 0)
    )
    proj = projection.project_many(
        pts.code,
        pts.t,
        pts.y,
        base_index=base_index,
        latest_index=latest_index,
        method=method,
        target_year=horizon,
        bound=bound,
        floor_zero=floor_zero,
        target_value=y_target,
        target_met=met,
        bounded_transform=p.bounded_transform,
        min_points_for_interval=p.min_points_for_interval,
        alpha=p.interval_alpha,
        max_projection_multiple=p.max_projection_multiple,
        max_compound_multiple=p.max_compound_multiple,
        negative_base=p.negative_base,
    )
    # A series observed in or after the target year needs no projection (a projection from a
    # later point would run backwards): the observed value stands in for the projected one.
    observed_by_horizon = assessed & (t1 >= horizon - tolerance.YEARS)
    if observed_by_horizon.any():
        rows = np.flatnonzero(observed_by_horizon)
        proj = proj.copy()
        for column in ("projected_value", "projected_low", "projected_high"):
            proj.iloc[rows, proj.columns.get_loc(column)] = yt[rows]
        proj.iloc[rows, proj.columns.get_loc("interval_kind")] = "none"
        proj.iloc[rows, proj.columns.get_loc("interval_note")] = OBSERVED_BY_TARGET_YEAR
        proj.iloc[rows, proj.columns.get_loc("flags")] = ""
        flags.add(observed_by_horizon, OBSERVED_BY_TARGET_YEAR)
    flags.add_notes(proj["flags"].to_numpy(object, copy=True), assessed)

    # Open SDG / Statistics Canada.
    sdg = progress.open_sdg_status(
        y0,
        yt,
        t0,
        t1,
        d,
        y_target,
        horizon,
        comparator,
        bound=bound,
        n_points=counts,
        thresholds=p.thresholds,
        negative_base=p.negative_base,
    )
    flags.add_notes(sdg["note"].to_numpy(object, copy=True), assessed)

    # UNSD projected-value ratio.
    if p.unsd_projection == "cagr":
        compound_value = proj["compound_value"].to_numpy(float, copy=True)
        unsd_fallback = span & has_target & np.isnan(compound_value)
        unsd_projected = np.where(
            np.isnan(compound_value),
            proj["linear_value"].to_numpy(float, copy=True),
            compound_value,
        )
        flags.add(unsd_fallback, "UNSD: compound projection undefined, linear used")
    else:
        unsd_projected = proj["projected_value"].to_numpy(float, copy=True)
    unsd = progress.unsd_status(
        y0,
        yt,
        unsd_projected,
        y_target,
        comparator,
        d,
        bound=bound,
        enough=span,
        thresholds=p.thresholds,
    )
    flags.add_notes(unsd["note"].to_numpy(object, copy=True), assessed, prefix="UNSD: ")

    # Mid-term benchmark.
    mid = progress.midterm_status(
        y0,
        yt,
        t0,
        t1,
        y_target,
        horizon,
        comparator,
        d,
        enough=span,
        tolerance=p.midterm_tolerance,
    )
    flags.add_notes(mid["note"].to_numpy(object, copy=True), assessed)

    # Not assessed: milestones and series without a number.
    not_assessed = ~assessed
    flags.add(milestone, "not_assessed: kind is date (a milestone), no numeric assessment")
    no_numbers = "not_assessed: no numeric observations"
    if p.as_of is not None:
        no_numbers += f" up to as_of {p.as_of}"
    flags.add(~milestone & ~present, no_numbers)

    category = sdg["category"].to_numpy(object, copy=True)
    category[not_assessed] = NOT_ASSESSED
    unsd_category = unsd["category"].to_numpy(object, copy=True)
    unsd_category[not_assessed] = NOT_ASSESSED
    midterm_label = mid["label"].to_numpy(object, copy=True)
    midterm_label[not_assessed] = None
    method_used = np.where(span, proj["method"].to_numpy(object, copy=True), method)
    method_used[not_assessed] = None
    interval_note = proj["interval_note"].to_numpy(object, copy=True)
    interval_note[milestone] = "not assessed: milestone"

    def passthrough(name: str) -> Any:
        if name in series.columns:
            return series[name].to_numpy()
        return np.full(n, _SERIES_DEFAULTS[name], dtype=object)

    headline = (
        series["headline"].astype("Int64")
        if "headline" in series.columns
        else pd.array([pd.NA] * n, dtype="Int64")
    )
    result = pd.DataFrame(
        {
            "series_id": ids,
            "domain": passthrough("domain"),
            "headline": pd.array(headline, dtype="Int64"),
            "name_zh": passthrough("name_zh"),
            "name_en": passthrough("name_en"),
            "unit": passthrough("unit"),
            "direction": direction,
            "n_points": n_points.astype(np.int64),
            "base_date": base_date,
            "base_value": y0,
            "latest_date": latest_date,
            "latest_value": yt,
            "total_change": change,
            "annual_change": per_year,
            "cagr": obs_growth.value,
            "cagr_reason": cagr_reason,
            "target_year": pd.array(
                np.where(has_target, target_year, np.nan), dtype="Float64"
            ).astype("Int64"),
            "target_comparator": np.where(has_target, comparator, None),
            "target_value": y_target,
            "target_source": np.where(has_target, target_source, None),
            "required_cagr": required_cagr,
            "required_annual_change": required_annual,
            "method": method_used,
            "projected_value": proj["projected_value"].to_numpy(float, copy=True),
            "projected_low": proj["projected_low"].to_numpy(float, copy=True),
            "projected_high": proj["projected_high"].to_numpy(float, copy=True),
            "interval_kind": proj["interval_kind"].to_numpy(object, copy=True),
            "interval_note": interval_note,
            "ratio": sdg["ratio"].to_numpy(float, copy=True),
            "category": category,
            "unsd_ratio": unsd["ratio"].to_numpy(float, copy=True),
            "unsd_category": unsd_category,
            "task_share": mid["task_share"].to_numpy(float, copy=True),
            "time_share": mid["time_share"].to_numpy(float, copy=True),
            "midterm_label": midterm_label,
            "report_verdict": passthrough("report_verdict"),
            "flags": flags.joined(),
        }
    )
    return result.loc[:, list(RESULT_COLUMNS)]


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


def relation_checks(
    observations: pd.DataFrame,
    relations: pd.DataFrame,
    params: Parameters | Mapping[str, Any] | None = None,
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
    if series is not None:
        sub = series.set_index("series_id").reindex(ids).rename_axis("series_id").reset_index()
        unknown = sub["kind"].isna() if "kind" in sub.columns else pd.Series(True, index=sub.index)
        sub.loc[unknown, "kind"] = "level"
    else:
        sub = pd.DataFrame({"series_id": ids, "kind": "level", "direction": "none"})
    excluded = (sub["kind"] == "date").to_numpy(bool)
    pts = _prepare_points(observations, ids, excluded, p)
    index = pd.Index(ids)

    left_pos = index.get_indexer(left_ids)
    right_pos = index.get_indexer(right_ids)
    date = np.full(len(relations), None, dtype=object)
    left_value = np.full(len(relations), np.nan)
    right_value = np.full(len(relations), np.nan)
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
    comparator = relations["comparator"].to_numpy(dtype=object)
    factor = relations["factor"].to_numpy(dtype=float)
    now = progress.check_relation(left_value, right_value, comparator, factor)

    # The chapter's per-series choices apply to the relation series only (assess rejects
    # overrides naming series it was not given).
    wanted = set(sub["series_id"])
    for_relations = p.model_copy(
        update={
            "series_methods": {k: v for k, v in p.series_methods.items() if k in wanted},
            "target_overrides": {k: v for k, v in p.target_overrides.items() if k in wanted},
        }
    )
    projected = assess(observations, sub, pd.DataFrame(columns=["series_id"]), for_relations)
    proj_value = projected["projected_value"].to_numpy(float, copy=True)
    proj_left, proj_right = proj_value[left_pos], proj_value[right_pos]
    later = progress.check_relation(proj_left, proj_right, comparator, factor)
    later_reason = later["reason"].replace({"no data": "no projection"})

    def passthrough(name: str) -> Any:
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
            "projected_reason": later_reason,
            "section": passthrough("section"),
            "quote": passthrough("quote"),
            "source": passthrough("source"),
        }
    ).loc[:, list(RELATION_COLUMNS)]
