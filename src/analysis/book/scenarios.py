"""A sweep's comparison: one chapter run under several parameter sets, side by side.

`comparison_table` puts the scenarios' result tables (each run's status.csv) together, one row
per series and scenario, with the projection, the status and the growth the target requires;
`comparison_page` shows it as an HTML page in one language: what differs between the
scenarios' parameters, a sentence on what changed, the chart, and a table per quantity.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import pandas as pd

from analysis.book.markup import chart_image
from analysis.book.parameter_words import (
    PARAMETER_NAMES,
    parameter_reference,
    parameter_value,
    setting_words,
)
from analysis.book.tables import (
    MISSING,
    format_rate,
    indicator_name,
    projection_text,
    target_text,
)
from analysis.core import tolerance
from analysis.core.language import Language, Text
from analysis.inputs.parameters import Parameters
from analysis.methods.progress import INSUFFICIENT_DATA, NOT_ASSESSED, label

# What identifies a series, then what each scenario computes for it.
SERIES_COLUMNS = ("series_id", "headline", "name_zh", "name_en", "unit")
SCENARIO_COLUMNS = (
    "latest_date",
    "latest_value",
    "target_year",
    "target_comparator",
    "target_value",
    "method",
    "projected_value",
    "projected_low",
    "projected_high",
    "interval_kind",
    "category",
    "required_cagr",
    "required_annual_change",
    "flags",
)
# The quantities compared: a series "differs" when one of them is not the same in every scenario.
COMPARED = ("projected_value", "category", "required_cagr")
DIFFERS = "differs_across_scenarios"
WITHOUT_STATUS = (NOT_ASSESSED, INSUFFICIENT_DATA)
NAMED_AT_MOST = 5  # the summary names the series that differ when there are this many or fewer


def comparison_table(statuses: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per series and scenario (scenarios in the order given, series in the order they
    first appear), with `differs_across_scenarios` true for every row of a series whose
    projection, status or required growth is not the same under every scenario."""
    frames = [
        status.reindex(columns=[*SERIES_COLUMNS, *SCENARIO_COLUMNS]).assign(scenario=name)
        for name, status in statuses.items()
    ]
    long = pd.concat(frames, ignore_index=True)
    long = long[["scenario", *SERIES_COLUMNS, *SCENARIO_COLUMNS]]
    order = {series_id: i for i, series_id in enumerate(dict.fromkeys(long["series_id"]))}
    scenario_order = {name: i for i, name in enumerate(statuses)}
    long = long.sort_values(
        ["series_id", "scenario"],
        key=lambda column: column.map(order if column.name == "series_id" else scenario_order),
        kind="stable",
    ).reset_index(drop=True)
    differs = long.groupby("series_id", sort=False)[list(COMPARED)].transform(_varies)
    long[DIFFERS] = differs.any(axis=1)
    return long


def _varies(values: pd.Series) -> bool:
    """More than one value among the scenarios (a missing value counts as one value; numbers
    equal within `tolerance.RELATIVE` count as equal)."""
    if pd.api.types.is_numeric_dtype(values):
        present = values.dropna().astype(float)
        if 0 < len(present) < len(values):
            return True  # a number in some scenarios, none in others
        first = present.iloc[0] if len(present) else 0.0
        return not all(tolerance.same_relative(first, value) for value in present)
    return values.astype(object).where(values.notna(), None).nunique(dropna=False) > 1


def shown_series(comparison: pd.DataFrame) -> pd.DataFrame:
    """The rows of series that have a projection or a status under some scenario; the others
    (a fact, a figure stated once) read the same under every scenario."""
    assessed = comparison["projected_value"].notna() | ~comparison["category"].isin(WITHOUT_STATUS)
    keep = assessed.groupby(comparison["series_id"]).transform("any")
    return comparison[keep]


def parameters_table(
    parameters: Mapping[str, Parameters], language: Language, names: dict[str, str]
) -> pd.DataFrame:
    """The parameters that differ between the scenarios, in words: one row per parameter, one
    column per scenario. Empty when every scenario has the same parameters."""
    dumped = {name: values.model_dump() for name, values in parameters.items()}
    rows = []
    for key in parameter_reference()["key"]:
        values = [parameter_value(each, key) for each in dumped.values()]
        if all(value == values[0] for value in values):
            continue
        words = [setting_words(key, value, language, names) for value in values]
        rows.append([PARAMETER_NAMES[key][language], *words])
    header = WORDS["parameter"][language]
    return pd.DataFrame(rows, columns=[header, *parameters])


WORDS = {
    "title": Text("{chapter}：{count}个情景的比较", "{chapter}: {count} scenarios compared"),
    "ran": Text(
        "以下各情景使用同一数据，只是参数不同：{names}。",
        "Each scenario uses the same data with other parameters: {names}.",
    ),
    "failed": Text("未能运行的情景", "Scenarios that did not run"),
    "parameter": Text("参数", "Parameter"),
    "parameters": Text("各情景不同的参数", "What the scenarios change"),
    "same_parameters": Text("各情景的参数相同。", "The scenarios have the same parameters."),
    "summary": Text(
        "本章{shown}个有预测或进展状态的数据系列中，{count}个的预测值、进展状态或所需增速"
        "因情景而异{which}。",
        "Of the chapter's {shown} series with a projection or a status, {count} change their "
        "projection, status or required growth from one scenario to another{which}.",
    ),
    "none_differ": Text(
        "本章{shown}个有预测或进展状态的数据系列，在各情景下的预测值、进展状态和所需增速都相同。",
        "The chapter's {shown} series with a projection or a status have the same "
        "projection, status and required growth under every scenario.",
    ),
    "left_out": Text(
        "另有{count}个数据系列只有单一数值或不评估进展，在各情景下相同，未列出（见CSV）。",
        "{count} more series, stated once or not assessed, read the same in every scenario "
        "and are left out here (they are in the CSV).",
    ),
    "projection": Text("目标年份的预测值", "Projection to the target year"),
    "status": Text("进展状态", "Status"),
    "required": Text("实现目标所需的年均增长率", "Growth a year the target requires"),
    "target": Text("目标", "Target"),
    "indicator": Text("指标", "Indicator"),
    "marker": Text("◆ 表示该指标因情景而异。", "◆ marks a series that differs between scenarios."),
    "chart_alt": Text(
        "各情景下各指标的预测值条形图，虚线为目标值",
        "Projected value of each series under "
        "each scenario, as bars; a dashed line marks the target",
    ),
    "download": Text(
        "数据下载：{csv}（英文列名）、{zh_csv}（中文列名）",
        "Data: {csv} (codes as headers), {zh_csv} (Chinese headers)",
    ),
    "other_edition": Text("English", "中文"),
    "chart_title": Text(
        "{count}个指标的预测值因情景而异", "{count} series whose projection differs by scenario"
    ),
}
SOURCE_NOTE = Text("各情景的参数见比较页", "each scenario's parameters as on the comparison page")


def chart_rows(comparison: pd.DataFrame) -> pd.DataFrame:
    """The rows of the series whose projection is not the same under every scenario."""
    varies = comparison.groupby("series_id", sort=False)["projected_value"].transform(_varies)
    return comparison[varies.astype(bool) & comparison["projected_value"].notna()]


def chart_title(drawn: pd.DataFrame, language: Language) -> str:
    return WORDS["chart_title"][language].format(count=drawn["series_id"].nunique())


def differing_names(comparison: pd.DataFrame, language: Language) -> list[str]:
    rows = comparison[comparison[DIFFERS]].drop_duplicates("series_id")
    return [str(row[f"name_{language}"]) for _, row in rows.iterrows()]


def summary_text(comparison: pd.DataFrame, language: Language) -> str:
    """What the scenarios change, counted from the comparison."""
    shown = shown_series(comparison)
    count_shown = shown["series_id"].nunique()
    names = differing_names(shown, language)
    if not names:
        text = WORDS["none_differ"][language].format(shown=count_shown)
    else:
        which = ""
        if len(names) <= NAMED_AT_MOST:  # more are read better in the tables below
            listed = "、".join(names) if language == "zh" else "; ".join(names)
            which = f"：{listed}" if language == "zh" else f": {listed}"
        text = WORDS["summary"][language].format(shown=count_shown, count=len(names), which=which)
    hidden = comparison["series_id"].nunique() - count_shown
    if hidden:
        text += ("" if language == "zh" else " ") + WORDS["left_out"][language].format(count=hidden)
    return text


def cell_text(row: dict, quantity: str, language: Language) -> str:
    if quantity == "projection":
        return projection_text(row, language)
    if quantity == "status":
        return label(row["category"], language) or MISSING
    return format_rate(row["required_cagr"], language)


def quantity_table(comparison: pd.DataFrame, quantity: str, language: Language) -> pd.DataFrame:
    """One row per series, one column per scenario (and the target, beside the projection)."""
    scenarios = list(dict.fromkeys(comparison["scenario"]))
    rows = []
    for _, group in comparison.groupby("series_id", sort=False):
        by_scenario = {row["scenario"]: row for row in group.to_dict(orient="records")}
        first = next(iter(by_scenario.values()))
        name = indicator_name(first, language) + (" ◆" if first[DIFFERS] else "")
        cells = [cell_text(by_scenario[s], quantity, language) if s in by_scenario else MISSING
                 for s in scenarios]  # fmt: skip
        if quantity == "required":
            targets = dict.fromkeys(target_text(row, language) for row in by_scenario.values())
            cells.insert(0, " / ".join(targets))
        rows.append([name, *cells])
    headers = [WORDS["indicator"][language], *scenarios]
    if quantity == "required":
        headers.insert(1, WORDS["target"][language])
    return pd.DataFrame(rows, columns=headers)


def html_table(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, border=0, escape=True, classes="comparison")


STYLE = """
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", sans-serif; margin: 0 auto;
       max-width: 60rem; padding: 1rem; line-height: 1.6; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
.scroll { overflow-x: auto; }
table.comparison { border-collapse: collapse; font-size: 0.95rem; }
table.comparison th, table.comparison td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.6rem;
       text-align: left; vertical-align: top; }
table.comparison td:first-child, table.comparison th:first-child { position: sticky; left: 0;
       background: #fff; min-width: 9rem; }
table.comparison td:not(:first-child), table.comparison th { white-space: nowrap; }
img { max-width: 100%; height: auto; }
.source { color: #555; font-size: 0.9rem; }
.failed { color: #8a1c00; }
"""


def comparison_page(
    comparison: pd.DataFrame,
    parameters: pd.DataFrame,
    failures: Mapping[str, str],
    chart: tuple[str, tuple[int, int]] | None,
    files: Mapping[str, str],
    chapter_title: str,
    source: str,
    language: Language,
) -> str:
    """The comparison as a page in one language. `parameters`: `parameters_table`; `failures`:
    a scenario's one-line reason for each that did not run; `chart`: the chart's file name
    beside the page and its size on the page in CSS pixels; `files`: the CSVs' and the other
    edition's file names (keys `csv`, `zh_csv`, `other`); `source`: the source line. Every
    text from data or files is escaped."""
    words = {key: text[language] for key, text in WORDS.items()}
    esc = html.escape
    scenarios = list(dict.fromkeys(comparison["scenario"]))
    separator = "、" if language == "zh" else ", "
    title = words["title"].format(chapter=chapter_title, count=len(scenarios))
    shown = shown_series(comparison)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if language == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>",
        f'<p><a href="{esc(files["other"])}">{esc(words["other_edition"])}</a></p>',
        f"<h1>{esc(title)}</h1>",
        f"<p>{esc(words['ran'].format(names=separator.join(scenarios)))}</p>",
    ]
    if failures:
        parts.append(f'<h2>{esc(words["failed"])}</h2><ul class="failed">')
        parts += [f"<li>{esc(name)}: {esc(reason)}</li>" for name, reason in failures.items()]
        parts.append("</ul>")
    parts.append(f"<h2>{esc(words['parameters'])}</h2>")
    if parameters.empty:
        parts.append(f"<p>{esc(words['same_parameters'])}</p>")
    else:
        parts.append(f'<div class="scroll">{html_table(parameters)}</div>')
    parts.append(f"<p><strong>{esc(summary_text(comparison, language))}</strong></p>")
    if chart:
        file_name, size = chart
        parts.append(f"<p>{chart_image(file_name, words['chart_alt'], size)}</p>")
    for quantity in ("projection", "status", "required"):
        table = quantity_table(shown, quantity, language)
        parts.append(f"<h2>{esc(words[quantity])}</h2>")
        parts.append(f'<div class="scroll">{html_table(table)}</div>')
    parts.append(f"<p>{esc(words['marker'])}</p>")
    links = words["download"].format(
        csv=f'<a href="{esc(files["csv"])}">{esc(files["csv"])}</a>',
        zh_csv=f'<a href="{esc(files["zh_csv"])}">{esc(files["zh_csv"])}</a>',
    )
    parts.append(f"<p>{links}</p>")
    parts.append(f'<p class="source">{esc(source)}</p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
