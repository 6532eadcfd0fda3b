"""Sentences with computed numbers, so that no figure is ever typed into the book's prose."""

from __future__ import annotations

import math

import pandas as pd

from analysis.book.markup import escape_markdown
from analysis.book.tables import date_text, format_rate, projection_text, quantity, target_text
from analysis.core.language import Language, Text
from analysis.methods.progress import NOT_ASSESSED, label

# Series that are not indicators get no status (analysis.methods.results.withhold_status);
# their sentence says what they are instead.
WITHHELD = {
    "kind is fact": Text(
        "属事实性数字，不是评价指标，不作进展评估", "a stated fact, not an indicator: no status"
    ),
    "kind is reference": Text(
        "为报告以外的省级或国家参照数据，仅供比较，不作进展评估",
        "a provincial or national figure from outside the report, for comparison: no status",
    ),
}


def withheld_reason(row: pd.Series | dict, language: Language) -> str | None:
    if row["category"] != NOT_ASSESSED:
        return None
    flags = str(row.get("flags") or "")
    return next((text[language] for key, text in WITHHELD.items() if key in flags), None)


def _name(row: pd.Series | dict, language: Language) -> str:
    # <strong>, not **: CommonMark does not close ** after a bracket followed by a Chinese
    # character ("**标准(全失能)**由" stays literal), and a name may end in one.
    if language == "zh":
        return f"<strong>{escape_markdown(row['name_zh'])}</strong>"
    return f"<strong>{escape_markdown(row['name_en'])}</strong> ({escape_markdown(row['name_zh'])})"


def _pace(row: pd.Series | dict, language: Language) -> str:
    if not math.isnan(row["cagr"]):
        rate = format_rate(row["cagr"], language)
        return f"年均增长{rate}" if language == "zh" else f"{rate} a year"
    change = f"{row['annual_change']:+,.1f} {row['unit']}"
    return escape_markdown(f"年均变化{change}" if language == "zh" else f"{change} a year")


def finding(row: pd.Series | dict, target_year: int, language: Language) -> str:
    """One Markdown sentence on one assessed series: change, pace, target, projection, status."""
    unit = row["unit"]
    name = _name(row, language)
    if row["n_points"] == 0 or math.isnan(row["latest_value"]):
        return Text("{name}：暂无可评估的数值。", "{name}: no figure to assess.")[language].format(
            name=name
        )
    latest = escape_markdown(quantity(row["latest_value"], unit, language))
    values = {
        "name": name,
        "latest": latest,
        "latest_date": date_text(row["latest_date"], language),
    }
    if row["base_date"] == row["latest_date"]:
        text = Text(
            "{name}{latest_date}为{latest}（仅一个数值，无趋势）",
            "{name} stood at {latest} in {latest_date} (one observation, no trend)",
        )[language].format(**values)
    else:
        values |= {
            "base": escape_markdown(quantity(row["base_value"], unit, language)),
            "base_date": date_text(row["base_date"], language),
            "pace": _pace(row, language),
        }
        text = Text(
            "{name}由{base_date}的{base}变为{latest_date}的{latest}，{pace}",
            "{name} went from {base} in {base_date} to {latest} in {latest_date}, {pace}",
        )[language].format(**values)
    text += Text("；目标：{}", "; target: {}")[language].format(
        escape_markdown(target_text(row, language))
    )
    if not math.isnan(row["projected_value"]):
        text += Text("；{year}年预测值：{value}", "; projected to {year}: {value}")[
            language
        ].format(year=target_year, value=escape_markdown(projection_text(row, language)))
    withheld = withheld_reason(row, language)
    if withheld is not None:
        return Text("{}。{}。", "{}. Not assessed: {}.")[language].format(text, withheld)
    status = label(row["category"], language)
    return text + Text("。进展状态：{}。", ". Status: {}.")[language].format(status)


def findings(assessment: pd.DataFrame, target_year: int, language: Language) -> str:
    """A bullet list: series with a trend or a target first, in the order of series.csv."""
    telling = assessment[
        (assessment["n_points"] >= 2) | assessment["target_value"].notna()
    ].to_dict(orient="records")
    return "\n".join(f"- {finding(row, target_year, language)}" for row in telling)
