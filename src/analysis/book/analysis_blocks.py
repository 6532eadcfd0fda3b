"""The analysis of a domain chapter on its page: tables and one generated sentence each, in
both languages, from `analysis.methods.domain`.

`show_domain_analysis(context)` shows what belongs to `context.chapter.name` and nothing at all
for a chapter without analysis. Every number of a sentence is inserted from the computation;
text from the data files is escaped (tables by pandas' `to_html(escape=True)`, sentences by
`escape_markdown`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from analysis.book.context import DERIVED, ChapterContext, show_markdown, show_table
from analysis.book.markup import escape_markdown
from analysis.book.tables import (
    MISSING,
    date_text,
    distinct_sections,
    format_number,
    format_rate,
    observed_value,
    quantity,
    source_name,
)
from analysis.core.language import Language, Text
from analysis.core.units import Unit, in_english
from analysis.methods import domain

STANDARD_UNIT = "元/人·月"
AREAS = {"urban": Text("城市", "urban"), "rural": Text("农村", "rural")}
YES_NO = {True: Text("是", "yes"), False: Text("否", "no"), None: Text("–", "–")}
PROJECTION_NOTE = Text("（预测，非实际数值）", " (a projection, not a figure of the report)")


# Numbers as the book writes them ----------------------------------------------------------------


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def rounded(value: float, unit: str) -> float:
    """A computed value rounded to what it can claim: whole units from 100 up, one decimal
    from 10, two below; money of 10万 and more to four significant digits (133.3万元)."""
    if _missing(value):
        return value
    if unit.startswith("元") and "/" not in unit and abs(value) >= 1e5:
        digits = 3 - math.floor(math.log10(abs(value)))
        return round(value, digits)
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return round(value, digits)


COMPUTED_OVER = "逾"


def estimate(
    value: float,
    unit: str,
    language: Language,
    qualifier: str = "",
    low: float = math.nan,
    high: float = math.nan,
) -> str:
    """A computed quantity with its unit and qualifier; a range as a range; an approximate
    value with the interval it may lie in: '约37361张（37358–37363张）'."""
    figure = {"value": rounded(value, unit), "value_low": math.nan, "value_high": math.nan}
    interval = {
        "value": math.nan,
        "value_low": rounded(low, unit),
        "value_high": rounded(high, unit),
        "qualifier": "",
    }
    if _missing(value) and _missing(low):
        return MISSING
    if _missing(value):
        return observed_value(interval | {"qualifier": qualifier}, unit, language)
    if qualifier == "over" and language == "zh":
        # 余 belongs to the report's round figures (200余万元); a computed one is written
        # 逾1992元/人, not 1992余元/人.
        text = COMPUTED_OVER + observed_value(figure | {"qualifier": ""}, unit, language)
    else:
        text = observed_value(figure | {"qualifier": qualifier}, unit, language)
    if not _missing(low) and not _missing(high):
        inside = observed_value(interval, unit, language)
        text += f"（{inside}）" if language == "zh" else f" ({inside})"
    return text


# A qualifier written before a share or a difference ("超过71%", "最多高出6.18个百分点"): the
# report's own forms (71余%) do not fit a percentage.
PREFIXES = {
    "about": Text("约", "about "),
    "over": Text("超过", "over "),
    "at_least": Text("不低于", "at least "),
    "nearly": Text("近", "nearly "),
    "at_most": Text("不超过", "at most "),
}
DIFFERENCE_PREFIXES = {
    "about": Text("约", "about "),
    "over": Text("至少", "at least "),
    "at_least": Text("至少", "at least "),
    "nearly": Text("最多", "at most "),
    "at_most": Text("最多", "at most "),
}
POINTS = Text("个百分点", " points")


def stated_text(value: float, unit: str, qualifier: str, language: Language) -> str:
    """A stated figure as stated; a qualified percentage with its qualifier in front."""
    if unit == "%" and qualifier in PREFIXES:
        return PREFIXES[qualifier][language] + quantity(value, unit, language)
    row = {"value": value, "value_low": math.nan, "value_high": math.nan}
    return observed_value(row | {"qualifier": qualifier}, unit, language)


def difference_text(value: float, unit: str, qualifier: str, language: Language) -> str:
    """Suzhou's figure against the reference: '低15元/人·月', '最多高出6.18个百分点'; the
    difference of two percentages in points, to two decimals."""
    if _missing(value):
        return MISSING
    if unit == "%":
        number = format_number(round(abs(value), 2), "", language) + POINTS[language]
    else:
        number = estimate(abs(value), unit, language)
    prefix = DIFFERENCE_PREFIXES[qualifier][language] if qualifier in DIFFERENCE_PREFIXES else ""
    if language == "zh":
        word = "高出" if value > 0 else "低" if value < 0 else "持平"
        return prefix + word + (number if value else "")
    word = " higher" if value > 0 else " lower" if value < 0 else "level"
    return prefix + (number if value else "") + word


def multiple_text(value: float, language: Language, digits: int = 3) -> str:
    if _missing(value):
        return MISSING
    return f"{value:.{digits}f}倍" if language == "zh" else f"{value:.{digits}f} ×"


def share_text(ratio: float, language: Language, qualifier: str = "") -> str:
    """A ratio as a percentage of the reference: 0.9766 -> '97.7%'."""
    if _missing(ratio):
        return MISSING
    return estimate(ratio * 100, "%", language, qualifier)


def signed(value: float, unit: str, language: Language, qualifier: str = "") -> str:
    if _missing(value):
        return MISSING
    text = estimate(abs(value), unit, language, qualifier)
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def series_names(context: ChapterContext) -> dict[str, dict[str, str]]:
    """Each series' names and unit (column by column: a row at a time as a pandas Series made
    this, called for every name shown, a sixth of a chapter's time)."""
    series = context.dataset.series
    columns = (series[name] for name in ("series_id", "name_zh", "name_en", "unit"))
    return {
        sid: {"zh": str(zh), "en": str(en), "unit": unit}  # a Unit: it knows its English
        for sid, zh, en, unit in zip(*columns, strict=True)
    }


def name_of(context: ChapterContext, series_id: str, language: Language) -> str:
    names = series_names(context)
    return names[series_id][language] if series_id in names else series_id


def unit_of(context: ChapterContext, series_id: str) -> str:
    return series_names(context).get(series_id, {}).get("unit", "")


def frame_of(rows: list[dict[str, str]], headers: dict[str, Text], language: Language):
    return pd.DataFrame(
        [{headers[k][language]: row[k] for k in headers} for row in rows],
        columns=[h[language] for h in headers.values()],
    )


def show_analysis(
    context: ChapterContext,
    data: pd.DataFrame,
    sentence: Callable[[Language], str],
    rows: Callable[[Language], list[dict[str, str]]],
    headers: dict[str, Text],
    name: str,
    title: Text,
    sections: Text | str,
) -> None:
    """One analysis: its generated sentence, then its table, with `data` offered as
    `analysis_<name>.csv`."""
    show_markdown(Text.made_by(sentence))
    show_table(
        context,
        lambda language: frame_of(rows(language), headers, language),
        data,
        f"analysis_{name}",
        title,
        sections,
        computed=DERIVED,
    )


def sections_of(*columns: pd.Series) -> str:
    """The sections of some columns, each once, in the report's order."""
    return distinct_sections(value for column in columns for value in column)


# The urban-rural gap of the 低保 standards ------------------------------------------------------

GAP_HEADERS = {
    "date": Text("时间", "Date"),
    "urban": Text("城市低保标准", "Urban dibao standard"),
    "rural": Text("农村低保标准", "Rural dibao standard"),
    "gap": Text("城乡差距（城市−农村）", "Gap (urban − rural)"),
    "ratio": Text("城市为农村的倍数", "Urban / rural"),
    "source": Text("来源", "Source"),
}


def gap_rows(gap: pd.DataFrame, language: Language) -> list[dict[str, str]]:
    return [
        {
            "date": date_text(row["date"], language),
            "urban": quantity(row["urban"], STANDARD_UNIT, language),
            "rural": quantity(row["rural"], STANDARD_UNIT, language),
            "gap": signed(row["gap"], "元", language),
            "ratio": multiple_text(row["ratio"], language),
            "source": source_name(row["source"], language, row.get("source_zh")),
        }
        for row in gap.to_dict(orient="records")
    ]


def gap_sentence(gap: pd.DataFrame, language: Language) -> str:
    stated = gap[gap["source"] == domain.REPORT_SOURCE]
    if len(stated) < 2:
        return ""
    first, last = stated.iloc[0], stated.iloc[-1]
    values = {
        "base_date": date_text(first["date"], language),
        "base": quantity(first["urban"], STANDARD_UNIT, language),
        "rural_base": quantity(first["rural"], STANDARD_UNIT, language),
        "date": date_text(last["date"], language),
        "urban": quantity(last["urban"], STANDARD_UNIT, language),
        "rural": quantity(last["rural"], STANDARD_UNIT, language),
        "gap": estimate(abs(last["gap"]), "元", language),
        "ratio": multiple_text(last["ratio"], language),
    }
    if first["equal"]:
        opening = Text(
            "{base_date}城乡低保标准相同，均为{base}；",
            "In {base_date} the urban and rural dibao standards were the same, {base}; ",
        )
    else:
        opening = Text(
            "{base_date}城市低保标准为{base}，农村为{rural_base}；",
            "In {base_date} the urban dibao standard was {base} and the rural one {rural_base}; ",
        )
    closing = Text(
        "到{date}，城市提高到{urban}，农村提高到{rural}，城乡差距由无到有，为{gap}，"
        "城市标准为农村的{ratio}。",
        "by {date} the urban standard had risen to {urban} and the rural one to {rural}: a gap "
        "of {gap} has opened, the urban standard {ratio} the rural one.",
    )
    if not first["equal"]:
        closing = Text(
            "到{date}，城市为{urban}，农村为{rural}，差距{gap}，城市标准为农村的{ratio}。",
            "by {date} the urban standard was {urban} and the rural one {rural}, a gap of {gap} "
            "(urban {ratio} rural).",
        )
    return escape_markdown((opening[language] + closing[language]).format(**values))


def with_other_sources(sections: str, sources: pd.Series) -> Text | str:
    """The sections of a table's source line, and, when some of its rows come from outside the
    report, where their sources are (its column Source)."""
    if sources.eq(domain.REPORT_SOURCE).all():
        return sections
    return Text(
        f"{sections}；报告以外的数值见“来源”列",
        f"{sections}; figures from outside the report: see the column Source",
    )


def show_dibao_gap(context: ChapterContext, observations: pd.DataFrame) -> None:
    gap = domain.dibao_gap(observations)
    if gap.empty:
        return
    show_analysis(
        context,
        gap,
        lambda language: gap_sentence(gap, language),
        lambda language: gap_rows(gap, language),
        GAP_HEADERS,
        "dibao_gap",
        Text("城乡低保标准的差距", "The gap between the urban and the rural dibao standard"),
        with_other_sources(sections_of(gap["urban_section"], gap["rural_section"]), gap["source"]),
    )


# 特困 as a multiple of 低保 ---------------------------------------------------------------------

MULTIPLE_HEADERS = {
    "area": Text("城乡", "Area"),
    "date": Text("时间", "Date"),
    "tekun": Text("特困人员基本生活标准", "Tekun basic standard"),
    "dibao": Text("低保标准", "Dibao standard"),
    "multiple": Text("特困为低保的倍数", "Tekun / dibao"),
    "floor": Text("下限（倍）", "Floor (×)"),
    "margin": Text("高出下限的金额", "Above the floor by"),
    "meets": Text("不低于下限", "At least the floor"),
    "above": Text("高于下限", "Strictly above"),
}


def multiple_rows(multiples: pd.DataFrame, language: Language) -> list[dict[str, str]]:
    return [
        {
            "area": AREAS[row["area"]][language],
            "date": date_text(row["date"], language),
            "tekun": quantity(row["tekun"], STANDARD_UNIT, language),
            "dibao": quantity(row["dibao"], STANDARD_UNIT, language),
            "multiple": multiple_text(row["multiple"], language),
            "floor": format_number(row["floor"], "", language),
            "margin": signed(row["margin"], "元", language),
            "meets": YES_NO[bool(row["meets_floor"])][language],
            "above": YES_NO[bool(row["strictly_above"])][language],
        }
        for row in multiples.to_dict(orient="records")
    ]


def multiple_sentence(multiples: pd.DataFrame, language: Language) -> str:
    parts = []
    for area in ("urban", "rural"):
        rows = multiples[multiples["area"] == area]
        if rows.empty:
            continue
        row = rows.iloc[-1]
        values = {
            "area": AREAS[area][language],
            "date": date_text(row["date"], language),
            "tekun": quantity(row["tekun"], STANDARD_UNIT, language),
            "dibao": quantity(row["dibao"], STANDARD_UNIT, language),
            "multiple": multiple_text(row["multiple"], language),
            "floor": format_number(row["floor"], "", language),
            "margin": estimate(abs(row["margin"]), "元", language),
        }
        if row["strictly_above"]:
            text = Text(
                "{date}{area}特困人员基本生活标准{tekun}，为{area}低保标准{dibao}的{multiple}，"
                "高出{floor}倍下限{margin}",
                "in {date} the {area} tekun standard, {tekun}, was {multiple} the {area} dibao "
                "standard of {dibao}, {margin} above the floor of {floor} times",
            )
        elif row["meets_floor"]:
            text = Text(
                "{area}为{tekun}，是低保标准{dibao}的{multiple}，恰好等于{floor}倍下限，"
                "满足“不低于”，但并非报告一.2所说的“高于”",
                "the {area} one, {tekun}, is {multiple} the dibao standard of {dibao}: exactly the "
                "floor of {floor} times, which meets 不低于 (at least) but not the 高于 (above) "
                "of section 一.2",
            )
        else:
            text = Text(
                "{area}为{tekun}，仅为低保标准{dibao}的{multiple}，低于{floor}倍下限{margin}",
                "the {area} one, {tekun}, is only {multiple} the dibao standard of {dibao}, "
                "{margin} below the floor of {floor} times",
            )
        parts.append(text[language].format(**values))
    if not parts:
        return ""
    joined = "；".join(parts) + "。" if language == "zh" else "; ".join(parts) + "."
    return escape_markdown(joined[0].upper() + joined[1:] if language == "en" else joined)


def show_tekun_multiples(context: ChapterContext, observations: pd.DataFrame) -> None:
    multiples = domain.tekun_multiples(observations, context.dataset.relations)
    if multiples.empty:
        return
    show_analysis(
        context,
        multiples,
        lambda language: multiple_sentence(multiples, language),
        lambda language: multiple_rows(multiples, language),
        MULTIPLE_HEADERS,
        "tekun_multiples",
        Text(
            "特困人员基本生活标准与低保标准之比：对照“不低于低保标准1.3倍”的规定",
            "The tekun basic standards as multiples of the dibao standards, against the rule "
            "of at least 1.3 times",
        ),
        sections_of(
            multiples["tekun_section"], multiples["dibao_section"], multiples["rule_sections"]
        ),
    )


# The floor, projected ---------------------------------------------------------------------------

PROJECTION_HEADERS = {
    "area": Text("城乡", "Area"),
    "paces": Text("年均增速：特困／低保", "Growth a year: tekun / dibao"),
    "latest": Text("最新倍数", "Latest multiple"),
    "horizon": Text("规划期末倍数（预测）", "Multiple at the plan's end (projected)"),
    "year": Text(
        "首次低于1.3倍的年份（预测；差额超出报告数值的取整误差）",
        "First year below the floor (projected; by more than the rounding of the report's figures)",
    ),
    "margin": Text("当年低于下限的金额（预测）", "Below the floor that year by (projected)"),
}
OUTCOMES = {
    domain.FALLS_BELOW: Text("{year}年末（规划期内）", "end of {year} (within the plan)"),
    domain.FALLS_BELOW_AFTER_HORIZON: Text(
        "{year}年末（规划期后；{horizon}年末前不会）",
        "end of {year} (after the plan; not by the end of {horizon})",
    ),
    domain.NEVER: Text("不会：特困标准增速不低于低保", "never: tekun grows at least as fast"),
    domain.ALREADY_BELOW: Text("已低于下限", "already below"),
    domain.NO_PACE: Text("无法测算：缺少增速", "cannot be projected: no growth rate"),
}


# Below the floor at the plan's end by less than the report's rounding: not counted as a fall
# below it (the first year is the one after), but the multiple shown for that year-end is
# under the floor, and the words say why.
WITHIN_ROUNDING_AT_HORIZON = Text(
    "{horizon}年末为{at_horizon}，略低于下限，但差额在报告数值的取整误差之内",
    "at the end of {horizon} it is {at_horizon}, below the floor by less than the rounding of "
    "the report's figures",
)
AFTER_HORIZON_WITHIN_ROUNDING = Text(
    f"{{year}}年末（规划期后；{WITHIN_ROUNDING_AT_HORIZON.zh}）",
    f"end of {{year}} (after the plan; {WITHIN_ROUNDING_AT_HORIZON.en})",
)


def horizon_multiple_text(row: dict, language: Language) -> str:
    """The projected multiple at the plan's end, with as many decimals as it takes to show
    that a multiple under the floor is under it (1.2996 is not shown as 1.300)."""
    value, floor = row["multiple_at_horizon"], row["floor"]
    digits = 3
    while not _missing(value) and value < floor <= round(value, digits) and digits < 6:
        digits += 1
    return multiple_text(value, language, digits)


def below_floor_within_rounding(row: dict) -> bool:
    """Whether the projected multiple is under the floor at the plan's end although the fall
    below it is counted only later (the shortfall is within the report's rounding)."""
    return (
        row["outcome"] == domain.FALLS_BELOW_AFTER_HORIZON
        and row["multiple_at_horizon"] < row["floor"]
    )


def outcome_text(row: dict, language: Language) -> str:
    year = row["first_year_below"]
    template = (
        AFTER_HORIZON_WITHIN_ROUNDING
        if below_floor_within_rounding(row)
        else OUTCOMES[row["outcome"]]
    )
    return template[language].format(
        year="" if _missing(year) else int(year),
        horizon=row["horizon"],
        at_horizon=horizon_multiple_text(row, language),
    )


def projection_rows(projection: pd.DataFrame, language: Language) -> list[dict[str, str]]:
    rows = []
    for row in projection.to_dict(orient="records"):
        has_year = not _missing(row["first_year_below"])
        rows.append(
            {
                "area": AREAS[row["area"]][language],
                "paces": f"{format_rate(row['tekun_cagr'], language)}／"
                f"{format_rate(row['dibao_cagr'], language)}",
                "latest": multiple_text(row["multiple_latest"], language),
                "horizon": multiple_text(row["multiple_at_horizon"], language),
                "year": outcome_text(row, language),
                "margin": estimate(abs(row["margin_at_year"]), "元", language)
                if has_year
                else MISSING,
            }
        )
    return rows


def projection_sentence(projection: pd.DataFrame, language: Language) -> str:
    parts = []
    for row in projection.to_dict(orient="records"):
        if row["outcome"] not in (domain.FALLS_BELOW, domain.FALLS_BELOW_AFTER_HORIZON):
            continue
        values = {
            "area": AREAS[row["area"]][language],
            "tekun": format_rate(row["tekun_cagr"], language),
            "dibao": format_rate(row["dibao_cagr"], language),
            "year": int(row["first_year_below"]),
            "margin": estimate(abs(row["margin_at_year"]), "元", language),
            "horizon": row["horizon"],
            "at_horizon": horizon_multiple_text(row, language),
        }
        text = Text(
            "{area}特困标准年均{tekun}、低保标准年均{dibao}，特困标准将在{year}年末降至低保的"
            "1.3倍以下（低{margin}）",
            "the {area} tekun standard grows {tekun} a year and the dibao standard {dibao}, so "
            "the tekun standard would fall below 1.3 times the dibao standard at the end of "
            "{year} (by {margin})",
        )[language].format(**values)
        if row["outcome"] == domain.FALLS_BELOW_AFTER_HORIZON:
            text += (
                Text(f"，{WITHIN_ROUNDING_AT_HORIZON.zh}", f"; {WITHIN_ROUNDING_AT_HORIZON.en}")
                if below_floor_within_rounding(row)
                else Text(
                    "，{horizon}年末仍为{at_horizon}",
                    "; at the end of {horizon} it is still {at_horizon}",
                )
            )[language].format(**values)
        parts.append(text)
    if not parts:
        return ""
    lead = Text(
        "按2020年以来的年均增速外推（预测，不是报告数值）：",
        "Carried on at their compound growth since 2020 (a projection, not a figure of the "
        "report): ",
    )[language]
    end = "。" if language == "zh" else "."
    return escape_markdown(lead + ("；" if language == "zh" else "; ").join(parts) + end)


def show_floor_projection(context: ChapterContext, observations: pd.DataFrame) -> None:
    projection = domain.tekun_floor_projection(
        observations, context.dataset.relations, context.assessment, context.target_year
    )
    if projection.empty:
        return
    show_analysis(
        context,
        projection,
        lambda language: projection_sentence(projection, language),
        lambda language: projection_rows(projection, language),
        PROJECTION_HEADERS,
        "tekun_floor_projection",
        Text(
            "预测：按已观察到的增速，特困标准何时跌破低保标准的1.3倍",
            "Projection: at the observed paces, when a tekun standard would fall below 1.3 "
            "times its dibao standard",
        ),
        sections_of(projection["sections"].fillna("")),
    )


# Care standards ---------------------------------------------------------------------------------

CARE_HEADERS = {
    "standard": Text("照料标准", "Care standard"),
    "base": Text("2020年", "2020"),
    "latest": Text("最新", "Latest"),
    "increase": Text("增加", "Increase"),
    "multiple": Text("为2020年的倍数", "Multiple of 2020"),
}
ZERO_BASE = Text("无从计算：2020年为0元", "undefined: base is zero (0 yuan in 2020)")


def care_rows(
    context: ChapterContext, care: pd.DataFrame, language: Language
) -> list[dict[str, str]]:
    rows = []
    for row in care.to_dict(orient="records"):
        if row["reason"] == domain.REASON_ZERO_BASE:
            multiple = ZERO_BASE[language]
        else:
            multiple = multiple_text(row["multiple"], language, 2)
        latest = quantity(row["latest"], STANDARD_UNIT, language)
        rows.append(
            {
                "standard": name_of(context, row["series_id"], language),
                "base": quantity(row["base"], STANDARD_UNIT, language),
                "latest": f"{latest}（{date_text(row['latest_date'], language)}）"
                if language == "zh"
                else f"{latest} ({row['latest_date']})",
                "increase": quantity(row["increase"], "元", language),
                "multiple": multiple,
            }
        )
    return rows


def care_sentence(context: ChapterContext, care: pd.DataFrame, language: Language) -> str:
    defined = care[care["multiple"].notna()]
    zero = care[care["reason"] == domain.REASON_ZERO_BASE]
    if defined.empty:
        return ""
    low, high = defined["multiple"].min(), defined["multiple"].max()
    top = defined.loc[defined["multiple"].idxmax()]
    text = Text(
        "{n}项照料标准以2020年为基数的倍数在{low}至{high}之间，最高的是{top}",
        "{n} care standards rose to between {low} and {high} their 2020 level (the most: {top})",
    )[language].format(
        n=len(defined),
        low=multiple_text(low, language, 2),
        high=multiple_text(high, language, 2),
        top=name_of(context, top["series_id"], language),
    )
    if not zero.empty:
        increases = ("、" if language == "zh" else ", ").join(
            quantity(v, "元", language) for v in zero["increase"]
        )
        text += Text(
            "；{n}项全自理标准2020年为0元，倍数无从计算，只能给出增加额（{increases}）",
            "; the {n} self-care standards were 0 yuan in 2020, so no multiple exists, only the "
            "increase ({increases})",
        )[language].format(n=len(zero), increases=increases)
    return escape_markdown(text + ("。" if language == "zh" else "."))


def show_care_multiples(context: ChapterContext, observations: pd.DataFrame) -> None:
    care = domain.care_multiples(observations)
    care = care[care["reason"] != domain.REASON_MISSING]
    if care.empty:
        return
    show_analysis(
        context,
        care,
        lambda language: care_sentence(context, care, language),
        lambda language: care_rows(context, care, language),
        CARE_HEADERS,
        "care_multiples",
        Text(
            "特困人员照料标准：最新值为2020年的倍数",
            "The tekun care standards: the latest value as a multiple of 2020",
        ),
        sections_of(care["section"]),
    )


# Ratios the report implies ----------------------------------------------------------------------

RATIO_LABELS = {
    "assistance_coordinators_per_village_unit": Text(
        "每个村（社区）的社会救助协理员", "Social-assistance coordinators per village or community"
    ),
    "juvenile_station_coverage": Text(
        "未成年人保护工作站覆盖乡镇（街道）的比例",
        "Share of townships with a juvenile protection station",
    ),
    "child_supervisors_per_township": Text(
        "每个乡镇（街道）的儿童督导员", "Child-protection supervisors per township"
    ),
    "children_per_mentor": Text("每名牵手人结对的留守儿童", "Left-behind children per mentor"),
    "all_elderly_care_beds": Text(
        "全部养老床位（由护理型床位数及其占比推算）",
        "All elderly-care beds (implied by the nursing beds and their share)",
    ),
    "elderly_facility_area_added_share": Text(
        "城市社区养老服务设施面积中2021年以来新增的比例",
        "Share of the urban-community elderly-care floor area added since 2021",
    ),
    "party_branch_formation_rate": Text(
        "党组织组建率（重新计算）", "Party organisation formation rate (recomputed)"
    ),
    "organisations_per_party_branch": Text(
        "每个党支部覆盖的社会组织", "Social organisations per party branch"
    ),
    "party_members_per_branch": Text("每个党支部的党员", "Party members per branch"),
    "poverty_investment_per_project": Text(
        "市级社会组织每个扶贫项目的投入", "Investment per poverty-alleviation project"
    ),
    "rural_community_social_orgs_per_village": Text(
        "每个行政村的农村社区社会组织", "Rural community social organisations per village"
    ),
    "vagrancy_aid_cost_per_case": Text(
        "流浪乞讨人员每人次救助资金", "Aid funds per person-time of vagrancy aid"
    ),
    "vagrancy_aid_in_station_share": Text(
        "站内救助占全部救助人次的比例", "Share of aid given inside the station"
    ),
    "mental_health_central_share": Text(
        "精神卫生福利设施项目中央预算内投资占比（计划）",
        "Central-budget share of the mental-health facility investment (planned)",
    ),
    "mental_health_investment_per_bed": Text(
        "精神卫生福利设施项目每张床位投资（计划）",
        "Planned investment per bed, mental-health facility",
    ),
    "assistive_rental_investment_per_client": Text(
        "康复辅具租赁每名签约对象的投入", "Assistive-device rental investment per client"
    ),
}
RATIO_HEADERS = {
    "label": Text("推算项目", "Computed measure"),
    "numerator": Text("分子（报告数值）", "Numerator (as stated)"),
    "numerator_section": Text("分子所在章节", "Numerator's section"),
    "denominator": Text("分母（报告数值）", "Denominator (as stated)"),
    "denominator_section": Text("分母所在章节", "Denominator's section"),
    "result": Text("推算结果", "Result"),
    "stated": Text("报告所载", "Stated in the report"),
}
AGREES = {True: Text("，与推算一致", ", agrees"), False: Text("，与推算不符", ", disagrees")}
WHY = {
    domain.REASON_ZERO_DENOMINATOR: Text(
        "无从计算：分母为零", "undefined: the denominator is zero"
    ),
}


def quote_of(context: ChapterContext, ids: list[str], value: object) -> str:
    """The report's words for the figure `value` of the one series in `ids` ('' if none), so
    that the figure is written as they write it (超5600多万元)."""
    observations = context.observations_in_force()
    same = observations[(observations["series_id"] == ids[0]) & (observations["value"] == value)]
    return str(same["quote"].iloc[-1]) if len(same) else ""


def side_text(context: ChapterContext, row: dict, side: str, language: Language) -> str:
    ids = str(row[f"{side}_series"]).split(" + ")
    names = " + ".join(name_of(context, sid, language) for sid in ids)
    unit = unit_of(context, ids[0])
    nouns = list(dict.fromkeys(in_english(unit_of(context, sid)) for sid in ids))
    if len(nouns) > 1:  # 213 communities + 1128 villages: '1,341 communities and villages'
        unit = Unit(str(unit), " and ".join(nouns))
    value = observed_value(
        {
            "value": row[side],
            "value_low": row[f"{side}_low"] if _missing(row[side]) else math.nan,
            "value_high": row[f"{side}_high"] if _missing(row[side]) else math.nan,
            "qualifier": row[f"{side}_qualifier"],
            "quote": quote_of(context, ids, row[side]) if len(ids) == 1 else "",
        },
        unit,
        language,
    )
    return f"{names}：{value}" if language == "zh" else f"{names}: {value}"


def result_text(row: dict, language: Language) -> str:
    if row["reason"]:
        return WHY.get(row["reason"], Text("无从计算：缺少数值", "missing input"))[language]
    return estimate(
        row["value"], row["unit"], language, row["qualifier"], row["value_low"], row["value_high"]
    )


def report_states(row: dict, language: Language) -> str:
    if _missing(row["stated"]):
        return MISSING
    text = quantity(row["stated"], row["unit"], language)
    text += f"（{row['stated_section']}）" if language == "zh" else f" ({row['stated_section']})"
    return text + AGREES[bool(row["agrees"])][language]


def ratio_rows(
    context: ChapterContext, ratios: pd.DataFrame, language: Language
) -> list[dict[str, str]]:
    return [
        {
            "label": RATIO_LABELS[row["key"]][language],
            "numerator": side_text(context, row, "numerator", language),
            "numerator_section": row["numerator_section"],
            "denominator": side_text(context, row, "denominator", language),
            "denominator_section": row["denominator_section"],
            "result": result_text(row, language),
            "stated": report_states(row, language),
        }
        for row in ratios.to_dict(orient="records")
    ]


def ratio_sentence(ratios: pd.DataFrame, language: Language) -> str:
    computed = [row for row in ratios.to_dict(orient="records") if not row["reason"]]
    if not computed:
        return ""
    items = [
        RATIO_LABELS[row["key"]][language]
        + ("：" if language == "zh" else ": ")
        + result_text(row, language)
        for row in computed
    ]
    lead = Text(
        "由报告所载数值推算（数值带“约”“余”等限定词或为区间时，结果同样保留）：",
        "Implied by the report's figures (a qualifier or a range of an input is kept in the "
        "result): ",
    )[language]
    separator, end = ("；", "。") if language == "zh" else ("; ", ".")
    return escape_markdown(lead + separator.join(items) + end)


def show_implied_ratios(context: ChapterContext, observations: pd.DataFrame) -> None:
    ratios = domain.implied_ratios(observations, chapter=context.chapter.name)
    if ratios.empty:
        return
    show_analysis(
        context,
        ratios,
        lambda language: ratio_sentence(ratios, language),
        lambda language: ratio_rows(context, ratios, language),
        RATIO_HEADERS,
        "implied_ratios",
        Text("报告数值隐含的比率与总量", "Ratios and totals the report's figures imply"),
        sections_of(ratios["numerator_section"], ratios["denominator_section"]),
    )


# Suzhou against the province and the nation -----------------------------------------------------

REFERENCE_HEADERS = {
    "measure": Text("指标", "Measure"),
    "suzhou": Text("宿州市", "Suzhou"),
    "reference": Text("参照", "Reference"),
    "difference": Text("差额", "Difference"),
    "share": Text("宿州为参照的比例", "Suzhou as a share of it"),
    "source": Text("参照数据来源", "Source of the reference"),
}
BASES = {
    domain.STATED: Text("", ""),
    domain.PROJECTED: Text("（按本市增速预测）", " (projected at Suzhou's pace)"),
    domain.INTERPOLATED: Text(
        "（2020年与2025年末之间线性插值，为假设）",
        " (linear interpolation between 2020 and end-2025: an assumption)",
    ),
    domain.DATES_DIFFER: Text("（与宿州数值的时间不同）", " (not the same date as Suzhou's)"),
}
TARGET = Text("（目标）", " (target)")


def reference_name(context: ChapterContext, row: dict, language: Language) -> str:
    ids = str(row["reference_series"]).split(" / ")
    return name_of(context, ids[-1], language)


def figure_text(value: float, unit: str, qualifier: str, basis: str, language: Language) -> str:
    """A figure as stated when stated, rounded when computed (projected, interpolated)."""
    if basis in (domain.STATED, domain.DATES_DIFFER):
        return stated_text(value, unit, qualifier, language)
    return estimate(value, unit, language, qualifier)


def dated_value(
    value: float, unit: str, date: str, qualifier: str, basis: str, language: Language
) -> str:
    text = figure_text(value, unit, qualifier, basis, language)
    return f"{date_text(date, language)}：{text}" if language == "zh" else f"{date}: {text}"


def reference_rows(
    context: ChapterContext, comparisons: pd.DataFrame, language: Language
) -> list[dict[str, str]]:
    rows = []
    for row in comparisons.to_dict(orient="records"):
        unit = unit_of(context, row["suzhou_series"])
        name = reference_name(context, row, language)
        # a target is said to be one, unless its name says so already (…占比目标)
        named = name.endswith("目标") or "target" in name.lower()
        target = TARGET[language] if row["is_target"] and not named else ""
        share = (
            MISSING if unit == "%" else share_text(row["ratio"], language, row["ratio_qualifier"])
        )
        rows.append(
            {
                "measure": name_of(context, row["suzhou_series"], language),
                "suzhou": dated_value(
                    row["suzhou"],
                    unit,
                    row["suzhou_date"],
                    row["suzhou_qualifier"],
                    row["suzhou_basis"],
                    language,
                )
                + BASES[row["suzhou_basis"]][language],
                "reference": name
                + target
                + ("，" if language == "zh" else ", ")
                + dated_value(
                    row["reference"],
                    unit,
                    row["reference_date"],
                    row["reference_qualifier"],
                    row["reference_basis"],
                    language,
                )
                + BASES[row["reference_basis"]][language],
                "difference": difference_text(
                    row["difference"], unit, row["difference_qualifier"], language
                ),
                "share": share,
                "source": source_name(
                    row["reference_source"], language, row.get("reference_source_zh")
                ),
            }
        )
    return rows


def reference_sentence(
    context: ChapterContext, comparisons: pd.DataFrame, levels: Text, language: Language
) -> str:
    parts = []
    for series_id, rows in comparisons.groupby("suzhou_series", sort=False):
        unit = unit_of(context, str(series_id))
        name = name_of(context, str(series_id), language)
        pieces = []
        for row in rows.to_dict(orient="records"):
            values = {
                "date": date_text(row["suzhou_date"], language),
                "suzhou": figure_text(
                    row["suzhou"], unit, row["suzhou_qualifier"], row["suzhou_basis"], language
                ),
                "reference": figure_text(
                    row["reference"],
                    unit,
                    row["reference_qualifier"],
                    row["reference_basis"],
                    language,
                ),
                "reference_name": reference_name(context, row, language),
                "reference_date": date_text(row["reference_date"], language),
                "share": share_text(row["ratio"], language, row["ratio_qualifier"]),
                "difference": difference_text(
                    row["difference"], unit, row["difference_qualifier"], language
                ),
            }
            if unit == "%":
                text = Text(
                    "{date}为{suzhou}，比{reference_name}（{reference_date}，{reference}）"
                    "{difference}",
                    "{suzhou} in {date}, {difference} than the {reference_name} "
                    "({reference}, {reference_date})",
                )
            elif row["suzhou_basis"] == domain.PROJECTED:
                text = Text(
                    "按本市增速预测{date}为{suzhou}，为全省{reference_date}{reference}的{share}",
                    "projected at Suzhou's pace to about {suzhou} in {date}, {share} of the "
                    "province's {reference} ({reference_date})",
                )
            elif row["reference_basis"] == domain.INTERPOLATED:
                text = Text(
                    "{date}为{suzhou}，为全省同期插值（{reference}，假设线性增长）的{share}",
                    "{suzhou} in {date}, {share} of the province's interpolated {reference} "
                    "(assuming a straight line)",
                )
            else:
                text = Text(
                    "{date}为{suzhou}，为{reference_name}（{reference_date}，{reference}）的{share}",
                    "{suzhou} in {date}, {share} of the {reference_name} ({reference}, "
                    "{reference_date})",
                )
            piece = text[language].format(**values)
            if row["reference_basis"] == domain.DATES_DIFFER:
                piece += Text("（两者时间不同）", " (not the same date)")[language]
            pieces.append(piece)
        separator = "，" if language == "zh" else "; "
        parts.append(name + ("：" if language == "zh" else ": ") + separator.join(pieces))
    if not parts:
        return ""
    separator, end = ("；", "。") if language == "zh" else ("; ", ".")
    lead = Text(
        "与{levels}比较（参照数据来自报告以外，见表中来源）：",
        "Against the {levels} (reference figures from outside the report; sources in the table): ",
    )[language].format(levels=levels[language])
    return escape_markdown(lead + separator.join(parts) + end)


# The level of a reference figure, by the first words of its series' Chinese name.
LEVELS = {"安徽省": Text("全省", "province"), "全国": Text("全国", "nation")}


def compared_levels(context: ChapterContext, comparisons: pd.DataFrame) -> Text:
    """The levels the comparisons set Suzhou against, in the order of `LEVELS`: 全省, 全国 or
    全省、全国 ('the province and the nation')."""
    names = [
        name_of(context, str(ids).split(" / ")[-1], "zh") for ids in comparisons["reference_series"]
    ]
    levels = [level for start, level in LEVELS.items() if any(n.startswith(start) for n in names)]
    if not levels:
        return Text("参照数据", "reference figures")
    return Text(
        "、".join(level.zh for level in levels), " and the ".join(level.en for level in levels)
    )


def show_reference_comparisons(context: ChapterContext, observations: pd.DataFrame) -> None:
    comparisons = domain.reference_comparisons(
        observations, context.assessment, context.target_year, chapter=context.chapter.name
    )
    if comparisons.empty:
        return
    sections = sections_of(comparisons["suzhou_section"])
    levels = compared_levels(context, comparisons)
    show_analysis(
        context,
        comparisons,
        lambda language: reference_sentence(context, comparisons, levels, language),
        lambda language: reference_rows(context, comparisons, language),
        REFERENCE_HEADERS,
        "reference_comparisons",
        Text(f"宿州市与{levels.zh}的比较", f"Suzhou against the {levels.en}"),
        Text(
            f"{sections}；参照数据见“参照数据来源”列",
            f"{sections}; reference figures: see the column Source of the reference",
        ),
    )


# The chapter's analysis -------------------------------------------------------------------------

Block = Callable[[ChapterContext, pd.DataFrame], None]
BLOCKS: dict[str, tuple[Block, ...]] = {
    "social_assistance": (
        show_dibao_gap,
        show_tekun_multiples,
        show_floor_projection,
        show_care_multiples,
        show_reference_comparisons,
        show_implied_ratios,
    ),
    "children": (show_implied_ratios, show_reference_comparisons),
    "elderly_care": (show_implied_ratios, show_reference_comparisons),
    "social_organisations": (show_implied_ratios,),
    "special_affairs": (show_implied_ratios,),
}


def show_domain_analysis(context: ChapterContext) -> None:
    """The analyses that belong to the chapter, as tables with a sentence each; nothing at all
    for a chapter without analysis."""
    blocks = BLOCKS.get(context.chapter.name, ())
    if not blocks:
        return
    # analyses read series of other domains too: the 112 townships of the children part, the
    # villages and communities of the community part
    observations = context.observations_in_force()
    for block in blocks:
        block(context, observations)
