"""What the report's verdicts imply about the targets it does not state.

A verdict of 已完成目标任务 (target completed) on a stated figure says that the 2025 target,
whatever it was, had been reached by that figure: for a series where more is better the target
was at most the figure, for one where less is better at least the figure. That is a bound the
verdict implies, not a target, and it is shown as such: the table has no target column, and a
published target is set beside the bound to see whether the two agree.

Other verdicts imply nothing about the 2025 target: 达到预期目标 and 超出预期目标 compare the
figure with what was expected by mid-term, which the report does not state either.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.core.report import COMPLETED, REPORT_SOURCE
from analysis.core.tolerance import ROUNDING

COLUMNS = [
    "headline",
    "series_id",
    "name_zh",
    "verdict",
    "section",
    "date",
    "figure",
    "direction",
    "implied",
    "published_target",
    "published_comparator",
    "published_value",
    "consistent",
]
NONE_PUBLISHED = "none published"


def implied_text(figure: float, direction: str) -> str:
    side = "at most" if direction == "up" else "at least"
    return f"the 2025 target was {side} {figure:g}"


def published_target(targets: pd.DataFrame | None, series_id: str) -> pd.Series | None:
    """The series' published target (the latest target year), or None."""
    if targets is None or targets.empty:
        return None
    rows = targets[targets["series_id"] == series_id]
    return None if rows.empty else rows.sort_values("target_year").iloc[-1]


def agrees(comparator: str, target: float, figure: float, direction: str) -> bool:
    """A published target agrees with the verdict when the stated figure meets it."""
    if comparator == ">=" or (comparator == "==" and direction == "up"):
        return figure >= target - ROUNDING
    if comparator == "<=" or (comparator == "==" and direction == "down"):
        return figure <= target + ROUNDING
    return abs(figure - target) <= ROUNDING


def implied_bounds(
    observations: pd.DataFrame, series: pd.DataFrame, targets: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per key-indicator series called 已完成目标任务 on a figure stated in its own
    section of 一, with a direction: the bound its verdict implies, and the published target
    beside it (consistent: yes / no / no published target)."""
    headline = pd.to_numeric(series["headline"].replace("", None), errors="coerce")
    keyed = series.assign(headline=headline).dropna(subset=["headline"])
    keyed = keyed[(keyed["report_verdict"] == COMPLETED) & keyed["direction"].isin(("up", "down"))]
    keyed = keyed.sort_values("headline", kind="stable")  # in the report's order: 一.1 to 一.19
    rows = []
    for item in keyed.itertuples(index=False):
        section = f"一.{int(item.headline)}"
        stated = observations[
            (observations["series_id"] == item.series_id)
            & (observations["section"] == section)
            & (observations["source"] == REPORT_SOURCE)
        ].dropna(subset=["value"])
        if stated.empty:
            continue
        latest = stated.sort_values("date").iloc[-1]
        figure = float(latest["value"])
        target = published_target(targets, item.series_id)
        comparator, value = "", math.nan
        if target is None:
            target_text, consistent = NONE_PUBLISHED, "no published target"
        else:
            comparator, value = str(target["comparator"]), float(target["value"])
            target_text = f"{target['comparator']} {value:g}"
            consistent = (
                "yes" if agrees(target["comparator"], value, figure, item.direction) else "no"
            )
        rows.append(
            {
                "headline": int(item.headline),
                "series_id": item.series_id,
                "name_zh": item.name_zh,
                "verdict": item.report_verdict,
                "section": section,
                "date": latest["date"],
                "figure": figure,
                "direction": item.direction,
                "implied": implied_text(figure, item.direction),
                "published_target": target_text,
                "published_comparator": comparator,
                "published_value": value,
                "consistent": consistent,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)
