"""Speed benchmark: `analysis.methods.assessment.assess` on many synthetic series.

Builds synthetic observations, series and targets in the loader's format (mixed kinds,
directions, bounds and targets; 2 to 6 points per series; some month dates, ranges, repeated and
conflicting rows, zero and negative bases, milestones), then times exactly one call of `assess`.

    python benchmarks/assess.py [--series 100000] [--seed 20231226] [--repeat 1]

Prints the series count, the seconds of the (best) call and series per second. The budget is
100,000 series in under 2 seconds on a 2-core machine.
"""

from __future__ import annotations

import argparse
import importlib
import time

import numpy as np
import pandas as pd

from analysis.methods.assessment import assess

YEARS = np.arange(2017, 2025)
KINDS = np.array(["count", "level", "standard", "rate", "date"])
KIND_WEIGHTS = [0.3, 0.2, 0.25, 0.24, 0.01]
DIRECTIONS = np.array(["up", "down", "none"])
# Levels use the OLS trend here so that the prediction-interval path is timed too.
PARAMS = {"projection_method": {"level": "ols"}}


def synthetic_frames(
    n_series: int, seed: int = 20231226
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Observations, series and targets for `n_series` synthetic series (vectorised)."""
    rng = np.random.default_rng(seed)
    ids = np.char.add("s", np.arange(n_series).astype(str)).astype(object)
    kind = rng.choice(KINDS, size=n_series, p=KIND_WEIGHTS)
    direction = rng.choice(DIRECTIONS, size=n_series, p=[0.7, 0.2, 0.1])
    bound = np.where(kind == "rate", 100.0, np.nan)
    series = pd.DataFrame(
        {
            "series_id": ids,
            "domain": rng.choice(["social_assistance", "elderly_care", "child_welfare"], n_series),
            "headline": pd.array(np.where(rng.random(n_series) < 0.1, 1, None), dtype="Int64"),
            "name_zh": ids,
            "name_en": ids,
            "unit": np.where(kind == "rate", "%", "元/人·月"),
            "direction": direction,
            "bound": bound,
            "kind": kind,
            "report_verdict": "",
        }
    )

    # 2 to 6 distinct years per series, 2020 among them nine times in ten.
    n_points = rng.integers(2, 7, size=n_series)
    keys = rng.random((n_series, YEARS.size))
    keys[:, YEARS == 2020] -= np.where(rng.random(n_series) < 0.9, 2.0, 0.0)[:, None]
    rank = np.argsort(np.argsort(keys, axis=1), axis=1)
    chosen = rank < n_points[:, None]
    row, col = np.nonzero(chosen)
    year = YEARS[col]
    month = np.where(rng.random(row.size) < 0.1, rng.integers(1, 13, row.size), 0)
    t = year + np.where(month > 0, (month - 1) / 12, 0.0)

    base = np.select(
        [kind == "count", kind == "standard", kind == "rate"],
        [
            rng.lognormal(5, 1, n_series),
            rng.uniform(100, 1000, n_series),
            rng.uniform(20, 95, n_series),
        ],
        rng.normal(50, 40, n_series),
    )
    base[rng.random(n_series) < 0.01] = 0.0
    rate = rng.normal(0.04, 0.08, n_series)
    value = base[row] * np.power(1 + rate[row], t - 2020) + rng.normal(0, 1, row.size)
    value = np.where(kind[row] == "rate", np.clip(value, 0, 100), value)
    value = np.where(kind[row] == "date", np.nan, np.round(value, 2))

    date = year.astype(str).astype(object)
    has_month = month > 0
    date[has_month] = [
        f"{y}-{m:02d}" for y, m in zip(year[has_month], month[has_month], strict=True)
    ]
    observations = pd.DataFrame(
        {
            "series_id": ids[row],
            "date": date,
            "t": t,
            "value": value,
            "value_low": np.nan,
            "value_high": np.nan,
        }
    )
    ranged = rng.random(len(observations)) < 0.01
    observations.loc[ranged, "value_low"] = observations.loc[ranged, "value"] * 0.95
    observations.loc[ranged, "value_high"] = observations.loc[ranged, "value"] * 1.05
    observations.loc[ranged, "value"] = np.nan
    repeated = observations.sample(frac=0.005, random_state=seed)
    conflicting = observations.sample(frac=0.001, random_state=seed + 1).assign(
        value=lambda f: f["value"] + 1
    )
    observations = pd.concat([observations, repeated, conflicting], ignore_index=True)
    observations["qualifier"] = ""
    observations["section"] = "synthetic"
    observations["quote"] = ""
    observations["source"] = "synthetic"

    with_target = (rng.random(n_series) < 0.6) & (kind != "date")
    sign = np.where(direction == "down", -1.0, 1.0)
    goal = base * (1 + sign * rng.uniform(-0.05, 0.5, n_series))
    goal = np.where(kind == "rate", np.clip(goal, 0, 100), goal)
    targets = pd.DataFrame(
        {
            "series_id": ids[with_target],
            "target_year": 2025,
            "comparator": np.where(direction[with_target] == "down", "<=", ">="),
            "value": np.round(goal[with_target], 2),
            "source": "synthetic",
        }
    )
    return observations, series, targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20231226)
    parser.add_argument("--repeat", type=int, default=1, help="report the best of this many calls")
    args = parser.parse_args()
    observations, series, targets = synthetic_frames(args.series, args.seed)
    # scipy.stats (Student's t for the intervals) is imported on first use by the library;
    # its import is a one-time cost of the process, timed here apart from the computation.
    start = time.perf_counter()
    importlib.import_module("scipy.stats")
    import_seconds = time.perf_counter() - start
    best = np.inf
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = assess(observations, series, targets, PARAMS)
        best = min(best, time.perf_counter() - start)
    assert len(result) == args.series
    print(f"series: {len(result)}")
    print(f"observations: {len(observations)}")
    print(f"one-time import of scipy.stats: {import_seconds:.3f} s (not in the time below)")
    print(f"seconds: {best:.3f}")
    print(f"series per second: {len(result) / best:,.0f}")


if __name__ == "__main__":
    main()
