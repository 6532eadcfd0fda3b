"""Tables as the book shows them: pure functions from data and results to display frames, in
the language of an edition.

Numbers are formatted here, once, so every chapter writes them the same way: in English with
thousands separators (1,357,000), in Chinese as the report writes them (1357万元, 62.5%). A
figure keeps its qualifier (约, 余, 近, 以上) and a range stays a range. The CSV offered beside
each table holds the unformatted values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import pandas as pd

from analysis.core.language import Language, Text
from analysis.core.qualifiers import qualified
from analysis.core.report import REPORT_SOURCE, section_key
from analysis.core.units import (
    agreeing,
    frequency_in_words,
    in_english,
    zh_number,
    zh_quantity_parts,
)
from analysis.methods.progress import label

MISSING = "–"


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _english_number(value: float) -> str:
    """Thousands separated by commas, at most two decimals (Chinese: `zh_number`)."""
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != round(value) else f"{value:,.0f}"


def format_number(value: float | None, unit: str = "", language: Language = "en") -> str:
    """A number as the edition writes it; with unit % the sign is part of it.

    English: 1234567.0 -> '1,234,567'; 62.5 % -> '62.5 %'. Chinese: 1234567.0 -> '1234567',
    62.5 % -> '62.5%'. Missing -> '–'.
    """
    if _is_missing(value):
        return MISSING
    if language == "zh":
        return zh_number(value) + ("%" if unit == "%" else "")
    return _english_number(value) + (" %" if unit == "%" else "")


def quantity_parts(value: float, unit: str, language: Language) -> tuple[str, str]:
    """(number, unit as written after it): ('1357', '万元'), ('62.5', '%'), ('707',
    ' yuan/person/month'). `unit` is the data's (Chinese) unit; in English, a series' `Unit`
    writes what it counts ('415 outlets'), agreeing with its number ('1 organisation')."""
    if language == "zh":
        return zh_quantity_parts(value, unit)
    text = format_number(value, "", language)
    if unit == "%":
        return text, " %"
    in_words = frequency_in_words(float(value), unit)
    if in_words:
        return in_words
    english = in_english(unit)
    return text, f" {agreeing(english, float(value))}" if english else ""


def quantity(value: float | None, unit: str = "", language: Language = "en") -> str:
    """A number with its unit, the unit written once: '707 元/人·月', '62.5 %'; in Chinese
    '707元/人·月', '1357万元', '62.5%'; missing -> '–'."""
    if _is_missing(value):
        return MISSING
    return "".join(quantity_parts(float(value), unit, language))


def format_estimate(value: float | None, unit: str = "", language: Language = "en") -> str:
    """A computed value, rounded to what it can claim: whole units from 100 up, one decimal
    from 10, two below (767.5600 -> '768'; 71.667 -> '71.7')."""
    if _is_missing(value):
        return MISSING
    return format_number(round(value, estimate_digits(value)), unit, language)


def estimate_quantity(value: float | None, unit: str = "", language: Language = "en") -> str:
    """A computed value rounded as `format_estimate` rounds it, with its unit: '768元/人·月'."""
    if _is_missing(value):
        return MISSING
    return quantity(round(value, estimate_digits(value)), unit, language)


def estimate_digits(value: float) -> int:
    """The decimals a computed value can claim: none from 100 up, one from 10, two below."""
    return 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2


def format_rate(rate: float | None, language: Language = "en") -> str:
    """0.0419 -> '+4.2 %' (Chinese '+4.2%'); missing -> '–'."""
    if _is_missing(rate):
        return MISSING
    return f"{rate * 100:+.1f}" + ("%" if language == "zh" else " %")


def date_text(date: object, language: Language) -> str:
    """A date of the data as the edition writes it: '2023-06' is '2023年6月' in Chinese."""
    if _is_missing(date) or str(date) == "":
        return MISSING
    if language == "en":
        return str(date)
    parts = str(date).split("-")
    words = [f"{parts[0]}年"] + [f"{int(p)}{w}" for p, w in zip(parts[1:], "月日", strict=False)]
    return "".join(words)


def indicator_name(row: pd.Series | dict, language: Language) -> str:
    """The series' name: Chinese in the Chinese edition; English with the official Chinese
    name beside it in the English one."""
    if language == "zh":
        return str(row["name_zh"])
    return f"{row['name_en']} ({row['name_zh']})"


def in_report_notation(
    value: float, unit: str, quote: str, default: tuple[str, str]
) -> tuple[str, str]:
    """(number, unit) in 万 or 亿 where the report's own words write the figure so (2.1万人, not
    21000人; 1万余条, not 10000余条), else `default`."""
    if unit != "%":
        for size, word in ((1e8, "亿"), (1e4, "万")):
            number = zh_number(round(value / size, 4))
            if abs(value) < size:
                continue
            if f"{number}{word}余" in quote:  # 1万余条: 余 after 万, where 余 goes
                return number + word, unit
            if f"{number}{word}" in quote:
                return number, word + unit
    return default


def observed_value(row: pd.Series | dict, unit: str, language: Language) -> str:
    """A stated value as the report means it: qualifier, range or milestone, with its unit
    (the qualifier sits by the number: '约1357万元', '30余家', 'over 30 家'; as the row's quote
    writes it, if it has one: '超5600多万元')."""
    qualifier = str(row.get("qualifier") or "")
    if qualifier == "not_stated":
        return Text("报告未给出本指标的数值", "the report states no figure for it")[language]
    value, low, high = row["value"], row["value_low"], row["value_high"]
    if not _is_missing(value):
        number, words = quantity_parts(float(value), unit, language)
        quote = str(row.get("quote") or "")
        if language == "zh":
            number, words = in_report_notation(float(value), unit, quote, (number, words))
        return qualified(number, words, qualifier, language, quote)
    if not _is_missing(low) and not _is_missing(high):
        number, words = quantity_parts(float(high), unit, language)
        scale = {"亿": 1e8, "万": 1e4}.get(words[:1], 1.0) if language == "zh" else 1.0
        low_number = format_number(round(float(low) / scale, 4), "", language)
        return qualified(f"{low_number}–{number}", words, qualifier, language)
    for end, qualifier in ((low, "at_least"), (high, "at_most")):
        if not _is_missing(end):
            number, words = quantity_parts(float(end), unit, language)
            return qualified(number, words, qualifier, language)
    return Text("已实现（节点性目标）", "reached (milestone)")[language]


def distinct_sections(values: Iterable[object]) -> str:
    """Sections of the report, each once, in the report's order: a value may hold several
    ('一.1; 二.(一).3' of a check, '一.2、二.(一).3' of a rule stated twice)."""
    found = {s.strip() for value in values for s in re.split(r"[;；、]", str(value)) if s.strip()}
    return "、".join(sorted(found, key=section_key))


def source_name(source: str, language: Language, source_zh: object = None) -> str:
    """The report by name, or another document's citation in the edition's language: the
    Chinese edition shows `source_zh` (data/*.csv), the English one `source`."""
    if source == REPORT_SOURCE:
        return Text("评估报告", "the report")[language]
    if language == "zh" and isinstance(source_zh, str) and source_zh:
        return source_zh
    return source


def target_source(row: pd.Series | dict, language: Language) -> str:
    """Where a series' target comes from (a result row), in the edition's language."""
    return source_name(str(row["target_source"]), language, row.get("target_source_zh"))


OBSERVATION_HEADERS = {
    "indicator": Text("指标", "Indicator"),
    "date": Text("时间", "Date"),
    "value": Text("数值", "Value"),
    "section": Text("报告章节", "Section"),
    "quote": Text("原文", "Quote"),
    "source": Text("来源", "Source"),
}
OUTSIDE_QUOTE = Text("（外部资料，非报告原文；出处见“来源”栏）", "(outside the report) {quote}")


def is_outside(observations: pd.DataFrame) -> pd.Series:
    """Which figures come from a document other than the report."""
    return observations["source"] != REPORT_SOURCE


def quote_text(row: dict, language: Language) -> str:
    """The report's words for a figure of the report. An outside figure is not quoted from the
    report: the project's record of its document's words is in English (in the data files),
    so the Chinese edition says where it comes from instead, and the English one marks it."""
    if row["source"] == REPORT_SOURCE:
        return str(row["quote"])
    return OUTSIDE_QUOTE[language].format(quote=row["quote"])


def figures_heading(observations: pd.DataFrame, subject: Text) -> Text:
    """The heading of a table of figures: verbatim from the report, and, when the table has
    outside figures, that they carry their source."""
    if is_outside(observations).any():
        return Text(
            f"{subject.zh}（报告数值原文照录，外部资料注明出处）",
            f"{subject.en}: the report's verbatim, outside figures with their source",
        )
    return Text(f"{subject.zh}（原文照录）", f"{subject.en}, verbatim")


# A quote the row before already gives (同上, as Chinese tables write it), and a quote the page
# gives just above the table (an indicator card's line of the report).
DITTO = Text("同上", "as above")
QUOTED_ABOVE = Text("见上文所引报告原文", "the report's line quoted above")


def shown_quotes(
    records: list[dict], language: Language, quoted_above: tuple[str, str] = ("", "")
) -> list[str]:
    """The quote of each figure as the table shows it: a sentence of the report once, then 同上
    in the rows that follow with the same sentence of the same section; one of the line the
    page quotes over the table (`quoted_above`: its section and its text) refers to it. The
    CSV keeps every quote whole."""
    section, line = quoted_above
    shown, before = [], None
    for row in records:
        quote = quote_text(row, language)
        place = (quote, row["section"])
        from_report = row["source"] == REPORT_SOURCE
        if from_report and line and row["section"] == section and str(row["quote"]) in line:
            shown.append(QUOTED_ABOVE[language])
        elif from_report and place == before:
            shown.append(DITTO[language])
        else:
            shown.append(quote)
        before = place
    return shown


OUTSIDE_SECTION = Text("（对应报告{section}）", "(for {section})")


def section_text(row: dict, language: Language) -> str:
    """The report's section of a figure; a figure from outside the report is not stated in a
    section of the report, only set beside one: （对应报告一.1）."""
    if row["source"] == REPORT_SOURCE:
        return str(row["section"])
    return OUTSIDE_SECTION[language].format(section=row["section"])


def observations_table(
    observations: pd.DataFrame,
    series: pd.DataFrame,
    language: Language,
    quoted_above: tuple[str, str] = ("", ""),
) -> pd.DataFrame:
    """Every figure stated for some series, with its date as the other tables give it (the
    report's quarter, the period a total covers, or that the report gives none), its quote
    (the report's words, or a mark that it comes from elsewhere: `shown_quotes`), its section
    and its source."""
    merged = observations.merge(
        series[["series_id", "name_en", "name_zh", "unit"]], on="series_id", how="left"
    )
    records = merged.to_dict(orient="records")
    columns = {
        "indicator": [indicator_name(row, language) for row in records],
        "date": [
            period_text(str(row["date"]), str(row.get("note") or ""), language) for row in records
        ],
        "value": [observed_value(row, row["unit"], language) for row in records],
        "section": [section_text(row, language) for row in records],
        "quote": shown_quotes(records, language, quoted_above),
        "source": [source_name(row["source"], language, row.get("source_zh")) for row in records],
    }
    return pd.DataFrame({OBSERVATION_HEADERS[k][language]: v for k, v in columns.items()})


BAND_KINDS = {
    "scenario": Text("情景区间", "scenarios"),
    "prediction_interval": Text("95%预测区间", "95 % interval"),
}


def band_text(row: pd.Series | dict, language: Language) -> str:
    kind = BAND_KINDS.get(row["interval_kind"])
    if kind is None or _is_missing(row["projected_low"]):
        return ""
    low = format_estimate(row["projected_low"], row["unit"], language)
    high = format_estimate(row["projected_high"], row["unit"], language)
    if low == high:
        return ""
    return f"（{kind.zh} {low}–{high}）" if language == "zh" else f" ({kind.en} {low}–{high})"


EXTRAPOLATION = Text(" ⚠ 外推，非预测", " ⚠ extrapolation, not a forecast")


def projection_text(row: pd.Series | dict, language: Language) -> str:
    if _is_missing(row["projected_value"]):
        return MISSING
    text = estimate_quantity(row["projected_value"], row["unit"], language)
    text += band_text(row, language)
    if "extreme_extrapolation" in str(row["flags"]):
        text += EXTRAPOLATION[language]
    return text


COMPARATOR_SIGNS = {">=": "≥", "<=": "≤", "==": "="}


def with_signs(text: str) -> str:
    """The comparators of the data (>=, <=, ==) in a text as readers write them (≥, ≤, =)."""
    for code, sign in COMPARATOR_SIGNS.items():
        text = text.replace(code, sign)
    return text


def bound_text(comparator: str, value: float, unit: str, language: Language) -> str:
    """A target's comparator and value with its unit: ≥55%, '≥ 55 %'."""
    return f"{with_signs(comparator)}{' ' * (language == 'en')}{quantity(value, unit, language)}"


def target_text(row: pd.Series | dict, language: Language) -> str:
    if _is_missing(row["target_value"]):
        return Text("无公开量化目标", "no published target")[language]
    bound = bound_text(str(row["target_comparator"]), row["target_value"], row["unit"], language)
    year = int(row["target_year"])
    return f"{year}年{bound}" if language == "zh" else f"{bound} by {year}"


STATUS_HEADERS = {
    "indicator": Text("指标", "Indicator"),
    "base": Text("基期", "Base"),
    "latest": Text("最新", "Latest"),
    "growth": Text("年均增长", "Growth a year"),
    "target": Text("目标", "Target"),
    "projected": Text("预测值", "Projected"),
    "status": Text("进展状态", "Status"),
    "midterm": Text("时间过半检验", "Mid-term test"),
}


def status_table(
    assessment: pd.DataFrame, language: Language, observations: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per series with a value: base, latest (as the report states them, when the
    observations are given), growth, target, projection, status. A series stated at one date
    only has no base: its one figure is the latest."""
    rows = []
    for row in assessment.to_dict(orient="records"):
        one_date = str(row.get("base_date")) == str(row.get("latest_date"))
        values = {
            "indicator": indicator_name(row, language),
            "base": MISSING if one_date else dated(row, "base", language, observations),
            "latest": dated(row, "latest", language, observations),
            "growth": growth_text(row, language),
            "target": target_text(row, language),
            "projected": projection_text(row, language),
            "status": label(row["category"], language),
            "midterm": label(row["midterm_label"], language) or MISSING,
        }
        rows.append({STATUS_HEADERS[k][language]: v for k, v in values.items()})
    return pd.DataFrame(rows, columns=[h[language] for h in STATUS_HEADERS.values()])


# How the note of a cumulative figure reads as its period ("cumulative since 2021" is a total
# of 2021 to its date, not one year's figure).
CUMULATIVE_PERIODS: tuple[tuple[re.Pattern[str], Text], ...] = (
    (re.compile(r"^cumulative since (\d{4})\b"), Text("{0}年以来累计", "total since {0}")),
    (
        re.compile(r"^cumulative (\d{4}) to (\d{4})-(\d{2})\b"),
        Text("{0}年至{1}年{2}月累计", "total {0} to {1}-{2}"),
    ),
)
CUMULATIVE = Text("累计，截至{0}", "cumulative, to {0}")
# A figure the report dates by its quarter (2023年第一季度) is dated in the data by the quarter's
# last month (2023-03), and its note says so; it is shown with the report's quarter.
QUARTER = re.compile(r"(\d{4})年第([一二三四])季度")
QUARTER_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4}


def quarter_text(date: str, note: str, language: Language) -> str | None:
    match = QUARTER.search(note)
    if match is None:
        return None
    year, quarter = match[1], QUARTER_NUMBERS[match[2]]
    if str(date) != f"{year}-{3 * quarter:02d}":
        return None  # the note speaks of another date
    return f"{year}年第{match[2]}季度" if language == "zh" else f"{year} Q{quarter}"


# A figure the report states without a date: the data date it by the plan's mid-term year (the
# dates rule of data/README.md, which the methodology states) and note "undated"; readers are
# told the report gives none.
UNDATED_NOTE = re.compile(r"(?:^|; )undated(?:;|$)")
UNDATED = Text("报告未注明时间", "undated in the report")


def period_text(date: str, note: str, language: Language) -> str:
    """The date a figure is stated for, the quarter the report gives for it, the period it
    totals, or that the report gives it no date."""
    for pattern, words in CUMULATIVE_PERIODS:
        match = pattern.match(note)
        if match:
            groups = [str(int(g)) if language == "zh" else g for g in match.groups()]
            return words[language].format(*groups)
    if note.startswith("cumulative"):
        return CUMULATIVE[language].format(date_text(date, language))
    if UNDATED_NOTE.search(note):
        return UNDATED[language]
    return quarter_text(date, note, language) or date_text(date, language)


def figures_at(observations: pd.DataFrame | None, series_id: str, date: str) -> pd.DataFrame:
    """Every observation of a series at a date, in the data's order (empty without any)."""
    if observations is None or _is_missing(date):
        return pd.DataFrame()
    return observations[
        (observations["series_id"] == series_id) & (observations["date"].astype(str) == date)
    ]


def stated(observations: pd.DataFrame | None, series_id: str, date: str) -> pd.Series | None:
    """The observation a result's base or latest value comes from (the first row at that date,
    as the assessment takes it), or None."""
    rows = figures_at(observations, series_id, date)
    return None if rows.empty else rows.iloc[0]


def other_figures(observations: pd.DataFrame | None, series_id: str, date: str) -> list[pd.Series]:
    """The figures the report states elsewhere for a series at the same date that differ from
    the one `stated` takes (儿童主任1498人 in 二.(二).2 and 1448名 in 三.(二).2)."""
    rows = figures_at(observations, series_id, date)

    def figure(row: pd.Series) -> tuple[float | None, ...]:
        return tuple(
            None if _is_missing(row[k]) else float(row[k])
            for k in ("value", "value_low", "value_high")
        )

    if len(rows) < 2:
        return []
    first = figure(rows.iloc[0])
    return [row for _, row in rows.iloc[1:].iterrows() if figure(row) != first]


def dated(
    row: dict,
    end: str,
    language: Language,
    observations: pd.DataFrame | None = None,
) -> str:
    """A result's base or latest value (`end`) as the report states it, with its date or the
    period it totals: a range as a range, a qualifier kept ('30余家'), the unit once."""
    date, value, unit = row[f"{end}_date"], row[f"{end}_value"], row["unit"]
    if _is_missing(date):
        return MISSING
    observation = stated(observations, row["series_id"], str(date))
    if observation is None:
        number, when = format_number(value, unit, language), date_text(date, language)
    else:
        number = observed_value(observation, unit, language)
        when = period_text(str(date), str(observation.get("note") or ""), language)
    return f"{number}（{when}）" if language == "zh" else f"{number} ({when})"


def change_per_year(row: dict, language: Language) -> str:
    change = row["annual_change"]
    if _is_missing(change):
        return MISSING
    if language == "zh":
        return f"{change:+,.1f} {row['unit']}/年"
    return f"{change:+,.1f} {agreeing(in_english(row['unit']), abs(change))} a year"


def growth_text(row: dict, language: Language) -> str:
    """Growth a year: the compound rate or, where a base of zero leaves it undefined, the change
    a year in the series' unit (as the chapters' status tables give it)."""
    rate = format_rate(row["cagr"], language)
    return change_per_year(row, language) if rate == MISSING else rate


VERDICTS = {
    "milestone": Text(
        "节点性目标已实现，无量化目标可核", "milestone reached; no numeric target to check"
    ),
    "no_target": Text(
        "无法核验：无公开的2025年目标", "cannot be checked: no published 2025 target"
    ),
    "no_figure": Text(
        "无法核验：报告未给出该指标本身的数值", "cannot be checked: the report states no figure"
    ),
    "met": Text("有数据支持：已达到公开目标", "supported: the published target is already met"),
    "not_met": Text("暂无数据支持：尚未达到目标（{}）", "not supported yet: target not met ({})"),
}


def verdict_check(row: pd.Series | dict, language: Language) -> str:
    """Whether the numbers support the report's own verdict on a key indicator.

    "Supported" only where a stated figure of the indicator meets a published target; where the
    report states no figure, the verdict cannot be checked, whatever the target.
    """
    if row["category"] == "not_assessed" and "milestone" in str(row["flags"]):
        return VERDICTS["milestone"][language]
    if _is_missing(row["target_value"]):
        return VERDICTS["no_target"][language]
    if int(row.get("n_points") or 0) == 0:
        return VERDICTS["no_figure"][language]
    if row["category"] == "target_achieved":
        return VERDICTS["met"][language]
    return VERDICTS["not_met"][language].format(label(row["category"], language))
