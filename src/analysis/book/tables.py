"""Tables as the book shows them: pure functions from data and results to display frames.

Numbers are formatted here, once, so every chapter writes them the same way; the CSV offered
beside each table holds the unformatted values.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.core.report import REPORT_SOURCE
from analysis.methods.progress import label

QUALIFIER_WORDS = {
    "about": "about ",
    "over": "over ",
    "at_least": "at least ",
    "nearly": "nearly ",
    "at_most": "at most ",
}


def format_number(value: float | None, unit: str = "") -> str:
    """1234567.0 -> '1,234,567'; 62.5 with unit % -> '62.5 %'; missing -> '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if value != round(value) else f"{value:,.0f}"
    return f"{text} %" if unit == "%" else text


def quantity(value: float | None, unit: str = "") -> str:
    """A number with its unit, the unit written once: '707 元/人·月', '62.5 %', '–'."""
    text = format_number(value, unit)
    return f"{text} {unit}" if unit and unit != "%" and text != "–" else text


def format_estimate(value: float | None, unit: str = "") -> str:
    """A computed value, rounded to what it can claim: whole units from 100 up, one decimal
    from 10, two below (767.5600 -> '768'; 71.667 -> '71.7')."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return format_number(round(value, digits), unit)


def format_rate(rate: float | None) -> str:
    """0.0419 -> '+4.2 %'; missing -> '–'."""
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return "–"
    return f"{rate * 100:+.1f} %"


def indicator_name(row: pd.Series | dict) -> str:
    return f"{row['name_en']} · {row['name_zh']}"


def observed_value(row: pd.Series | dict, unit: str) -> str:
    """A stated value as the report means it: qualifier, range or milestone."""
    prefix = QUALIFIER_WORDS.get(str(row.get("qualifier") or ""), "")
    if not math.isnan(row["value"]):
        return prefix + format_number(row["value"], unit)
    if not math.isnan(row["value_low"]):
        low, high = (format_number(row[c], unit) for c in ("value_low", "value_high"))
        return f"{prefix}{low}–{high}"
    return "reached (milestone)"


def observations_table(observations: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """Every statement of the report for some series, with its quote and section."""
    merged = observations.merge(
        series[["series_id", "name_en", "name_zh", "unit"]], on="series_id", how="left"
    )
    return pd.DataFrame(
        {
            "Indicator": merged.apply(indicator_name, axis=1),
            "Date": merged["date"],
            "Value": [observed_value(row, row["unit"]) for row in merged.to_dict(orient="records")],
            "Unit": merged["unit"],
            "Section": merged["section"],
            "Quote": merged["quote"],
            "Source": merged["source"].where(merged["source"] != REPORT_SOURCE, "report"),
        }
    )


def band_text(row: pd.Series | dict) -> str:
    if row["interval_kind"] in ("scenario", "prediction_interval") and not math.isnan(
        row["projected_low"]
    ):
        low = format_estimate(row["projected_low"], row["unit"])
        high = format_estimate(row["projected_high"], row["unit"])
        if low != high:
            kind = "scenarios" if row["interval_kind"] == "scenario" else "95 % interval"
            return f" ({kind} {low}–{high})"
    return ""


def projection_text(row: pd.Series | dict) -> str:
    if math.isnan(row["projected_value"]):
        return "–"
    text = format_estimate(row["projected_value"], row["unit"]) + band_text(row)
    if "extreme_extrapolation" in str(row["flags"]):
        text += " ⚠ extrapolation, not a forecast"
    return text


def target_text(row: pd.Series | dict) -> str:
    if math.isnan(row["target_value"]):
        return "no published target"
    value = format_number(row["target_value"], row["unit"])
    return f"{row['target_comparator']} {value} by {row['target_year']}"


def status_table(assessment: pd.DataFrame) -> pd.DataFrame:
    """One row per series with a value: base, latest, growth, target, projection, status."""
    rows = []
    for row in assessment.to_dict(orient="records"):
        unit = row["unit"]
        rows.append(
            {
                "Indicator": indicator_name(row),
                "Unit": unit,
                "Base": _dated(row["base_date"], row["base_value"], unit),
                "Latest": _dated(row["latest_date"], row["latest_value"], unit),
                "Growth a year": format_rate(row["cagr"])
                if not math.isnan(row["cagr"])
                else _change_per_year(row),
                "Target": target_text(row),
                "Projected": projection_text(row),
                "Status": label(row["category"]),
                "Mid-term": label(row["midterm_label"], "zh") if row["midterm_label"] else "–",
            }
        )
    return pd.DataFrame(rows)


def _dated(date: str | None, value: float, unit: str) -> str:
    if date is None or (isinstance(date, float) and math.isnan(date)):
        return "–"
    return f"{format_number(value, unit)} ({date})"


def _change_per_year(row: dict) -> str:
    change = row["annual_change"]
    if change is None or math.isnan(change):
        return "–"
    return f"{change:+,.1f} {row['unit']}/yr"


def verdict_check(row: pd.Series | dict) -> str:
    """Whether the numbers support the report's own verdict on a key indicator."""
    if row["category"] == "not_assessed" and "milestone" in str(row["flags"]):
        return "milestone reached; no numeric target to check"
    if math.isnan(row["target_value"]):
        return "cannot be checked: no published 2025 target"
    if row["category"] == "target_achieved":
        return "supported: the published target is already met"
    return f"not supported yet: target not met ({label(row['category'])})"
