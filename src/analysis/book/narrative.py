"""Sentences with computed numbers, so that no figure is ever typed into the book's prose."""

from __future__ import annotations

import math

import pandas as pd

from analysis.book.tables import format_number, format_rate, projection_text, target_text
from analysis.methods.progress import NOT_ASSESSED, label

NOT_ASSESSED_FLAG = f"{NOT_ASSESSED}: "


def finding(row: pd.Series | dict, target_year: int) -> str:
    """One Markdown sentence on one assessed series: change, pace, target, projection, status."""
    unit = row["unit"]
    name = f"**{row['name_en']}** ({row['name_zh']})"
    if row["n_points"] == 0 or math.isnan(row["latest_value"]):
        return f"{name}: no figure to assess."
    latest = f"{format_number(row['latest_value'], unit)} {unit}".strip()
    if row["base_date"] == row["latest_date"]:
        text = f"{name} stood at {latest} in {row['latest_date']} (one observation, no trend)"
    else:
        base = f"{format_number(row['base_value'], unit)} {unit}".strip()
        pace = (
            f"{format_rate(row['cagr'])} a year"
            if not math.isnan(row["cagr"])
            else f"{row['annual_change']:+,.1f} {unit} a year ({row['cagr_reason']})"
        )
        text = (
            f"{name} went from {base} in {row['base_date']} to {latest} in "
            f"{row['latest_date']}, {pace}"
        )
    text += f"; target: {target_text(row)}"
    if not math.isnan(row["projected_value"]):
        text += f"; projected to {target_year}: {projection_text(row)}"
    flags = str(row.get("flags") or "")
    if row["category"] == NOT_ASSESSED and flags.startswith(NOT_ASSESSED_FLAG):
        # a fact or an outside reference: say what it is instead of a status
        return f"{text}. Not assessed: {flags.removeprefix(NOT_ASSESSED_FLAG).split(';')[0]}."
    return f"{text}. Status: {label(row['category'])}."


def findings(assessment: pd.DataFrame, target_year: int) -> str:
    """A bullet list: series with a trend or a target first, in the order of series.csv."""
    telling = assessment[
        (assessment["n_points"] >= 2) | assessment["target_value"].notna()
    ].to_dict(orient="records")
    return "\n".join(f"- {finding(row, target_year)}" for row in telling)
