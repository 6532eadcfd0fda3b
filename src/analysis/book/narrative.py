"""Sentences with computed numbers, so that no figure is ever typed into the book's prose."""

from __future__ import annotations

import math

import pandas as pd

from analysis.book.markup import escape_markdown
from analysis.book.tables import format_rate, projection_text, quantity, target_text
from analysis.methods.progress import label


def finding(row: pd.Series | dict, target_year: int) -> str:
    """One Markdown sentence on one assessed series: change, pace, target, projection, status."""
    unit = row["unit"]
    name = f"**{escape_markdown(row['name_en'])}** ({escape_markdown(row['name_zh'])})"
    if row["n_points"] == 0 or math.isnan(row["latest_value"]):
        return f"{name}: no figure to assess."
    latest = escape_markdown(quantity(row["latest_value"], unit))
    if row["base_date"] == row["latest_date"]:
        text = f"{name} stood at {latest} in {row['latest_date']} (one observation, no trend)"
    else:
        base = escape_markdown(quantity(row["base_value"], unit))
        pace = (
            f"{format_rate(row['cagr'])} a year"
            if not math.isnan(row["cagr"])
            else escape_markdown(f"{row['annual_change']:+,.1f} {unit} a year ")
            + f"({row['cagr_reason']})"
        )
        text = (
            f"{name} went from {base} in {row['base_date']} to {latest} in "
            f"{row['latest_date']}, {pace}"
        )
    text += f"; target: {escape_markdown(target_text(row))}"
    if not math.isnan(row["projected_value"]):
        text += f"; projected to {target_year}: {escape_markdown(projection_text(row))}"
    return f"{text}. Status: {label(row['category'])}."


def findings(assessment: pd.DataFrame, target_year: int) -> str:
    """A bullet list: series with a trend or a target first, in the order of series.csv."""
    telling = assessment[
        (assessment["n_points"] >= 2) | assessment["target_value"].notna()
    ].to_dict(orient="records")
    return "\n".join(f"- {finding(row, target_year)}" for row in telling)
