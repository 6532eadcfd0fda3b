"""The blocks of the book's pages: each `show_*` puts one table or chart on a chapter page, in
both languages (see `analysis.book.context.show_in_each_language`)."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.book import key_findings as kf
from analysis.book import titles
from analysis.book.charts import DASHBOARD_WORDS
from analysis.book.context import (
    ChapterContext,
    chapter_parameters,
    show_html,
    show_markdown,
    show_table,
)
from analysis.book.key_findings import admitted_problems
from analysis.book.parameter_words import (
    EMPTY,
    PARAMETER_NAMES,
    literal_values,
    parameter_reference,
    parameters_in_force,
)
from analysis.book.tables import (
    MISSING,
    bound_text,
    date_text,
    dated,
    distinct_sections,
    figures_heading,
    format_number,
    growth_text,
    indicator_name,
    observations_table,
    observed_value,
    projection_text,
    quantity,
    source_name,
    status_table,
    target_text,
    verdict_check,
    with_signs,
)
from analysis.core.language import Language, Text
from analysis.core.report import section_key, verdict_text
from analysis.core.units import in_english
from analysis.inputs.chapters import chapter_named
from analysis.inputs.dataset import series_names
from analysis.inputs.locations import project_root
from analysis.inputs.parameters import Parameters, Thresholds, changed_settings
from analysis.methods import domain
from analysis.methods.assessment import WITHIN_ROUNDING
from analysis.methods.audit import claims_higher_than
from analysis.methods.progress import label
from analysis.methods.verdicts import NONE_PUBLISHED, implied_bounds

KEY_INDICATORS_SECTION = Text("一、主要目标指标完成情况", "一 (key indicators)")
WHOLE_REPORT = Text("全文", "the whole report")
DATA_FILES = {
    "data/series.csv": Text(
        "每个指标一行：名称、单位、方向、类型、报告的结论",
        "one row per quantity: names, unit, direction, kind, the report's verdict",
    ),
    "data/observations.csv": Text(
        "报告每一次给出数值各占一行，含时间、章节和原文",
        "one row per statement of a value, with date, section and quote",
    ),
    "data/targets.csv": Text(
        "已公开的2025年目标及其出处", "the published 2025 targets, with their source"
    ),
    "data/relations.csv": Text(
        "报告所述两个指标之间的关系", "the rules the report states between two series"
    ),
    "data/repairs.csv": Text(
        "网页版报告文字缺损之处及其释读",
        "the damaged places of the web copy and how they were read",
    ),
    "data/source/report.txt": Text(
        "网页发布的报告全文，逐字保留", "the report's text as published on the web, verbatim"
    ),
    "data/datapackage.json": Text(
        "上述文件的 Frictionless 数据包：每一列的类型、单位与约束，主键与外键，出处与许可",
        "the Frictionless Data Package of these files: every column with its type, unit and "
        "constraints, the keys, the source and the licence",
    ),
}


def chapter_sections(context: ChapterContext) -> str:
    sections = sorted(set(context.observations()["section"].dropna()), key=section_key)
    return "、".join(sections) if sections else context.chapter.report_section


def show_coverage(context: ChapterContext) -> None:
    """The line under a domain chapter's introduction: its key indicators and the sections
    of the report its figures come from (`analysis.book.coverage`)."""
    from analysis.book.coverage import coverage_of

    dataset = context.dataset
    chapter = context.chapter
    observations = context.observations_in_force()
    show_html(coverage_of(dataset.series, observations, chapter.name, chapter.report_section))


def show_parameters_in_force(context: ChapterContext) -> None:
    """Under a chapter's introduction, when its parameters are not the book's defaults (a
    changed parameter file, a scenario): which settings differ, each with its default. With
    the defaults, nothing: the methodology chapter states them."""
    if not changed_settings(context.parameters):
        return
    series = context.dataset.series
    show_html(
        Text.made_by(
            lambda language: (
                '<p class="book-parameters">'
                + html.escape(
                    parameters_in_force(
                        context.parameters, language, series_names(series, language)
                    )
                )
                + "</p>"
            )
        )
    )


def key_indicators(context: ChapterContext) -> pd.DataFrame:
    """The assessment rows of the 19 key indicators, in the report's order."""
    rows = context.assessment[context.assessment["headline"].notna()]
    return rows.sort_values("headline", kind="stable")


def chapter_title(context: ChapterContext, language: Language) -> str:
    return context.chapter.title(language)


# Domain chapters -------------------------------------------------------------------------------


def key_findings_of(context: ChapterContext) -> list[kf.Finding]:
    """The chapter's key findings, most important first."""
    audit = audit_table(context)
    series = context.dataset.series
    rows = kf.in_report(context.assessment, series)
    key_rows = key_indicators(context)
    if context.chapter.kind == "domain":
        name = context.chapter.name
        headlines = set(key_rows["headline"].astype(int))
        return kf.first(
            [
                *kf.targets_in_chapter(rows),
                kf.province_finding(comparisons := province_comparisons(context, name), series),
                kf.later_province_finding(comparisons, series),
                kf.audit_in_chapter(
                    chapter_audit(context), name, len(admitted_problems(headlines))
                ),
                kf.admitted_finding(
                    report_verdicts(key_rows), name, kf.section_label(name, "admitted")
                ),
                kf.standards_spread(rows, series),
                kf.single_figures(rows, name),
            ]
        )
    return kf.first(
        [
            kf.verdicts_against_targets(key_rows, audit),
            kf.audit_summary(audit),
            kf.province_finding(province_comparisons(context, "social_assistance"), series),
            kf.standards_spread(rows, series),
            kf.admitted_finding(report_verdicts(key_rows), "data_quality"),
        ]
    )


def report_verdicts(key_rows: pd.DataFrame) -> dict[int, str]:
    """The report's verdict on each key indicator of the rows, by its number."""
    return dict(zip(key_rows["headline"].astype(int), key_rows["report_verdict"], strict=True))


def province_comparisons(context: ChapterContext, chapter: str) -> pd.DataFrame:
    """The city's standards against the province's (`analysis.methods.domain`), for one
    domain chapter, from that chapter's results."""
    from analysis.methods.results import domain_assessment

    if context.chapter.name == chapter:
        parameters, assessment = context.parameters, context.assessment
    else:
        parameters = chapter_parameters(chapter_named(chapter), project_root(), None)
        assessment = domain_assessment(context.dataset, chapter, parameters)
    return domain.reference_comparisons(
        context.observations_in_force(), assessment, parameters.target_year, chapter=chapter
    )


HOW_TO_READ = Text(
    '各项状态、情景区间和⚠标记的含义，统一见<a href="methodology.html#methodology-reading">'
    "方法一章</a>。",
    'What the statuses, scenario bands and ⚠ flags mean is explained once, in <a href="'
    'methodology.html#methodology-reading">the methodology</a>.',
)


def show_key_findings(context: ChapterContext) -> None:
    """Three to six sentences with their numbers, each linking to where it is shown; a domain
    chapter adds where its statuses are explained."""
    found = key_findings_of(context)
    if not found:
        return
    domain = context.chapter.kind == "domain"

    def render(language: Language) -> str:
        findings = kf.findings_html(found, language, context.chapter.name)
        note = f'<p class="book-note">{HOW_TO_READ[language]}</p>' if domain else ""
        return findings + note

    show_html(Text.made_by(render))


def assessable(context: ChapterContext) -> pd.DataFrame:
    """The chapter's indicators that can be assessed: a trend (two dates), or a stated figure
    and a published target. A figure stated once without a target is a fact, shown with its
    quote, not given a status; a target without a figure is said so in the key findings;
    outside references and facts are never assessed."""
    rows = context.assessment
    kind = rows["series_id"].map(context.dataset.series.set_index("series_id")["kind"])
    telling = (rows["n_points"] >= 2) | (rows["target_value"].notna() & (rows["n_points"] > 0))
    return rows[telling & ~kind.isin(["reference", "fact", "date"])]


def show_status(context: ChapterContext) -> None:
    """The assessable indicators' base, latest, growth, projection and status; nothing when
    none can be assessed."""
    shown = assessable(context)
    if shown.empty:
        # status.csv is the chapter's share of results/indicators.csv: written all the same
        context.save_csv(
            context.assessment,
            "status",
            Text("本章全部数据系列的评估结果", "The assessment of every series of the chapter"),
        )
        return
    stated = int((kf.in_report(context.assessment, context.dataset.series)["n_points"] > 0).sum())
    show_table(
        context,
        lambda language: status_table(shown, language, context.observations()),
        context.assessment,  # every series, as results/indicators.csv holds them
        "status",
        titles.status_title(
            context.chapter.title_zh, context.chapter.title_en, shown, stated, context.target_year
        ),
        chapter_sections(context),
    )


def show_report_figures(context: ChapterContext) -> None:
    """Every figure the report gives for this chapter's series, with its quote."""
    observations = context.observations()
    show_table(
        context,
        lambda language: observations_table(observations, context.dataset.series, language),
        observations,
        "report_figures",
        figures_heading(
            observations,
            Text(
                f"有关{context.chapter.title_zh}的全部数值",
                f"Every figure on {context.chapter.title_en.lower()}",
            ),
        ),
        chapter_sections(context),
        computed=False,
    )


NO_RULES = Text(
    "报告未给出本章指标之间的数量关系。",
    "The report states no rule between series of this chapter.",
)
RELATION_REASONS = {
    "": Text("", ""),
    "no data": Text("报告未给出所需数值", "the report gives no figure for a side"),
    "unknown comparator": Text("规则的比较方式无法识别", "the rule's comparison is not known"),
    WITHIN_ROUNDING: Text(
        "两项分别外推，差额小于报告数值的取整误差，不能据此判断",
        "within rounding: two separate extrapolations, closer than the report's figures are "
        "rounded",
    ),
}

RELATION_HEADERS = {
    "rule": Text("规则", "Rule"),
    "section": Text("报告章节", "Section"),
    "date": Text("最新时间", "Latest date"),
    "holds": Text("目前是否成立", "Holds now"),
    "margin": Text("目前差额", "Margin now"),
    "projected_holds": Text("按预测是否成立", "Holds when projected"),
    "projected_margin": Text("预测差额", "Projected margin"),
    "reason": Text("未能核验的原因", "Why not checked"),
}


def relations_table(
    relations: pd.DataFrame, series: pd.DataFrame, language: Language
) -> pd.DataFrame:
    names = {row["series_id"]: indicator_name(row, language) for _, row in series.iterrows()}
    # a margin is in the unit of the rule's left side (元/人·月 for the 特困 standards)
    units = relations["left_series_id"].map(series.set_index("series_id")["unit"]).fillna("")
    times = Text("倍", "×")[language]
    columns = {
        "rule": [
            f"{names[row.left_series_id]} {with_signs(row.comparator)} "
            f"{format_number(row.factor, '', language)}{times} {names[row.right_series_id]}"
            for row in relations.itertuples()
        ],
        "section": relations["section"],
        "date": [date_text(d, language) for d in relations["date"]],
        "holds": [
            holds_text(row.holds, language)
            + (EXACTLY_AT_BOUND[language] if exactly_at_strict_bound(row) else "")
            for row in relations.itertuples()
        ],
        "margin": [
            quantity(v, unit, language) for v, unit in zip(relations["margin"], units, strict=True)
        ],
        "projected_holds": [
            RELATION_REASONS[WITHIN_ROUNDING][language]
            if reason == WITHIN_ROUNDING
            else holds_text(v, language)
            for v, reason in zip(
                relations["projected_holds"], relations["projected_reason"], strict=True
            )
        ],
        "projected_margin": [
            quantity(v, unit, language)
            for v, unit in zip(relations["projected_margin"], units, strict=True)
        ],
        "reason": [
            RELATION_REASONS.get(str(reason), Text(str(reason), str(reason)))[language]
            for reason in relations["reason"].fillna("")
        ],
    }
    return pd.DataFrame({RELATION_HEADERS[k][language]: v for k, v in columns.items()})


def show_relations(context: ChapterContext) -> None:
    """Rules the report states between two series, checked now and as projected."""
    relations = context.relations()
    relations = relations[relations["left_series_id"].isin(context.series_ids())]
    if relations.empty:
        show_markdown(NO_RULES)
        return
    show_table(
        context,
        lambda language: relations_table(relations, context.dataset.series, language),
        relations,
        "relations",
        titles.relations_title(relations),
        "、".join(sorted(set(relations["section"]))),
    )


HOLDS = {
    None: Text("无法核验", "cannot be checked"),
    True: Text("是", "yes"),
    False: Text("否", "no"),
}


# A rule that holds with no room although the report's words say 高于 (higher than): the
# audit's check of those words fails, and the table says why the two differ.
EXACTLY_AT_BOUND = Text(
    "（恰好等于下限：符合“不低于”，但报告称“高于”，见本章核查）",
    " (exactly at the bound: not lower than it, but not 高于 (higher than) as the report says; "
    "see the checks)",
)


def exactly_at_strict_bound(row: Any) -> bool:
    """A row of `relation_results` whose rule holds with no room, in words that say 高于."""
    return (
        row.holds is True
        and abs(row.margin) < 1e-9
        and claims_higher_than(row.quote, row.comparator)
    )


def holds_text(value: object, language: Language) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return HOLDS[None][language]
    return HOLDS[bool(value)][language]


# Overview and introduction ----------------------------------------------------------------------


DASHBOARD_HEADERS = {
    "indicator": Text("重点指标", "Key indicator"),
    "base_to_latest": Text("基期 → 最新", "Base → latest"),
    "growth": Text("年均增长", "Growth a year"),
    "target": Text("2025年目标", "2025 target"),
    "projected": Text("预测值", "Projected"),
    "status": Text("进展状态", "Status"),
    "midterm": Text("时间过半检验", "Mid-term test"),
    "verdict": Text("报告结论", "Report's verdict"),
    "check": Text("数据是否支持", "Do the numbers support it?"),
}


NOT_ASSESSED = {
    "no_figure": Text("报告未给出数值", "no figure stated"),
    "milestone": Text("节点事件，不评估", "a milestone: not assessed"),
    "fact": Text("单一数值，不评估", "stated once: not assessed"),
}


def unassessed(row: dict, language: Language) -> str:
    """What the status column says of a series that cannot be assessed, and why."""
    if not row["n_points"]:
        milestone = "milestone" in str(row["flags"])
        return NOT_ASSESSED["milestone" if milestone else "no_figure"][language]
    return NOT_ASSESSED["fact"][language]


def dashboard_table(
    rows: pd.DataFrame,
    language: Language,
    observations: pd.DataFrame,
    assessable_rows: list[bool] | None = None,
) -> pd.DataFrame:
    """The key-indicator dashboard: one row per series of the 19 key indicators; each value
    carries its unit, once. A series that cannot be assessed (`assessable_rows` False) says
    why instead of a status."""
    records = rows.to_dict(orient="records")
    if assessable_rows is None:
        assessable_rows = [True] * len(records)
    columns = {
        # the number leads the name, so that the first column, kept in view on a phone, says
        # which indicator a row is
        "indicator": [f"{r['headline']}. {indicator_name(r, language)}" for r in records],
        "base_to_latest": [base_to_latest(row, language, observations) for row in records],
        "growth": [growth_text(row, language) for row in records],
        "target": [target_text(row, language) for row in records],
        "projected": [projection_text(row, language) for row in records],
        "status": [
            label(row["category"], language) if telling else unassessed(row, language)
            for row, telling in zip(records, assessable_rows, strict=True)
        ],
        "midterm": [label(row["midterm_label"], language) or MISSING for row in records],
        "verdict": [verdict_text(row["report_verdict"], language) for row in records],
        "check": [verdict_check(row, language) for row in records],
    }
    return pd.DataFrame({DASHBOARD_HEADERS[k][language]: v for k, v in columns.items()})


def base_to_latest(row: dict, language: Language, observations: pd.DataFrame) -> str:
    """Base and latest value as the report states them, with their dates or periods."""
    if not row["n_points"]:
        # a milestone's date, or the place where the report states no figure of its own
        rows = observations[observations["series_id"] == row["series_id"]]
        return MISSING if rows.empty else observed_value(rows.iloc[0], row["unit"], language)
    latest = dated(row, "latest", language, observations)
    if row["base_date"] == row["latest_date"]:
        return latest
    return f"{dated(row, 'base', language, observations)} → {latest}"


TARGET_HEADERS = {
    "indicator": Text("指标", "Indicator"),
    "target": Text("目标", "Target"),
    "year": Text("目标年份", "Year"),
    "source": Text("出处", "Source"),
}


def targets_table(targets: pd.DataFrame, series: pd.DataFrame, language: Language) -> pd.DataFrame:
    by_id = series.set_index("series_id")
    columns = {
        "indicator": [indicator_name(by_id.loc[i], language) for i in targets["series_id"]],
        "target": [
            f"{with_signs(c)} {quantity(v, by_id.loc[i, 'unit'], language)}"
            for i, c, v in zip(
                targets["series_id"], targets["comparator"], targets["value"], strict=True
            )
        ],
        "year": targets["target_year"],
        "source": [
            source_name(s, language, zh)
            for s, zh in zip(
                targets["source"], targets.get("source_zh", targets["source"]), strict=True
            )
        ],
    }
    return pd.DataFrame({TARGET_HEADERS[k][language]: v for k, v in columns.items()})


def show_targets(context: ChapterContext) -> None:
    """The published targets and where they come from."""
    targets = context.dataset.targets.drop(columns=["line"])
    show_table(
        context,
        lambda language: targets_table(targets, context.dataset.series, language),
        targets,
        "published_targets",
        Text(
            "适用于本市主要目标指标的已公开2025年目标",
            "The published 2025 targets that apply to the city's key indicators",
        ),
        Text("已公开的国家规划（见“出处”列）", "published national plans (see Source column)"),
        computed=False,
    )


BOUND_HEADERS = {
    "indicator": Text("重点指标", "Key indicator"),
    "figure": Text("报告所载数值", "Stated figure"),
    "verdict": Text("报告结论", "Report's verdict"),
    "implied": Text("结论隐含的上限（非目标）", "What the verdict implies (not a target)"),
    "target": Text("已公布目标", "Published target"),
    "consistent": Text("两者是否一致", "Do they agree?"),
}
AGREEMENT = {
    "yes": Text("一致", "yes"),
    "no": Text("不一致", "no"),
    "no published target": Text("无已公布目标", "no published target"),
}


def implied_text(figure: float, direction: str, language: Language, unit: str = "") -> str:
    number = quantity(figure, unit, language) if unit else format_number(figure, "", language)
    if direction == "up":
        return Text("2025年目标不高于{}", "the 2025 target was at most {}")[language].format(number)
    return Text("2025年目标不低于{}", "the 2025 target was at least {}")[language].format(number)


def bounds_table(bounds: pd.DataFrame, series: pd.DataFrame, language: Language) -> pd.DataFrame:
    """One row per verdict: the indicator with its number (as on the dashboard), the stated
    figure with its unit and date, and the bound the verdict implies."""
    none = Text("未公布", "none published")[language]
    by_id = series.set_index("series_id")
    names = [
        f"{row.headline}. {indicator_name(by_id.loc[row.series_id].to_dict(), language)}"
        for row in bounds.itertuples()
    ]
    units = [by_id.at[sid, "unit"] for sid in bounds["series_id"]]
    columns = {
        "indicator": names,
        "figure": [
            f"{quantity(row.figure, unit, language)}（{date_text(row.date, language)}）"
            if language == "zh"
            else f"{quantity(row.figure, unit, language)} ({row.date})"
            for row, unit in zip(bounds.itertuples(), units, strict=True)
        ],
        "verdict": [verdict_text(verdict, language) for verdict in bounds["verdict"]],
        "implied": [
            implied_text(r.figure, r.direction, language, unit)
            for r, unit in zip(bounds.itertuples(), units, strict=True)
        ],
        "target": [
            none
            if row.published_target == NONE_PUBLISHED
            else bound_text(row.published_comparator, row.published_value, unit, language)
            for row, unit in zip(bounds.itertuples(), units, strict=True)
        ],
        "consistent": [AGREEMENT[c][language] for c in bounds["consistent"]],
    }
    return pd.DataFrame({BOUND_HEADERS[k][language]: v for k, v in columns.items()})


def show_implied_bounds(context: ChapterContext) -> None:
    """What each verdict of 已完成目标任务 implies about the unstated target: a bound, shown
    as implied by the report's words, never as a target (the dashboard's target column and
    every status use published targets only)."""
    dataset = context.dataset
    bounds = implied_bounds(context.observations_in_force(), dataset.series, dataset.targets)
    show_table(
        context,
        lambda language: bounds_table(bounds, dataset.series, language),
        bounds,
        "verdict_implied_bounds",
        Text(
            "“已完成目标任务”意味着什么：未写明的2025年目标不高于报告所载数值",
            "What 已完成目标任务 implies: the unstated 2025 target was at most the stated figure",
        ),
        KEY_INDICATORS_SECTION,
        computed=False,
    )


def show_dashboard(context: ChapterContext) -> None:
    rows = key_indicators(context)
    telling = rows["series_id"].isin(assessable(context)["series_id"]).tolist()
    show_table(
        context,
        lambda language: dashboard_table(rows, language, context.observations(), telling),
        rows,
        "key_indicators",
        titles.dashboard_title(rows, sum(telling)),
        KEY_INDICATORS_SECTION,
    )


# Data quality -----------------------------------------------------------------------------------


REPAIR_HEADERS = {
    "damaged": Text("缺损原文", "Damaged text"),
    "reading": Text("释读", "Reading"),
    "reason": Text("依据", "Reason"),
}


def repairs_table(repairs: pd.DataFrame, language: Language) -> pd.DataFrame:
    """Each damaged place with its reading and the reason, in the edition's language."""
    chinese = language == "zh"
    reading = "reading_zh" if chinese else "reading"
    reason = "reason_zh" if chinese else "reason"
    return pd.DataFrame(
        {
            REPAIR_HEADERS["damaged"][language]: repairs["damaged"],
            REPAIR_HEADERS["reading"][language]: repairs[reading],
            REPAIR_HEADERS["reason"][language]: repairs[reason],
        }
    )


def show_repairs(context: ChapterContext) -> None:
    repairs = context.dataset.repairs.drop(columns=["line"])
    show_table(
        context,
        lambda language: repairs_table(repairs, language),
        repairs,
        "repairs",
        Text(
            "网页版报告文字缺损的每一处及其释读",
            "Every place where the web copy of the report lost characters, and its reading",
        ),
        WHOLE_REPORT,
        computed=False,
    )


def audit_table(context: ChapterContext) -> pd.DataFrame:
    """The audit of the report (`ChapterContext.audit`)."""
    return context.audit


AUDIT_HEADERS = {
    "description": Text("核验内容", "Check"),
    "section": Text("报告章节", "Section"),
    # the value a figure is checked against: a sum it should equal, or a bound it should not
    # pass (应为 read as 'should be' beside a bound that was met)
    "expected": Text("对照值", "Checked against"),
    "found": Text("报告所载", "Found"),
    "result": Text("结果", "Result"),
    "note": Text("说明", "Explanation"),
}


SERIES_ID = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def audit_text(
    audit: pd.DataFrame, column: str, language: Language, names: dict[str, str] | None = None
) -> pd.Series:
    """A text column of the audit in the edition's language (`description_zh` and the like in
    Chinese, where the audit gives them); in English the series are named by `names`
    (series_id -> English name), never by their codes."""
    localized = f"{column}_zh"
    if language == "zh" and localized in audit.columns:
        return audit[localized]
    if not names:
        return audit[column]

    def named(text: object) -> object:
        if not isinstance(text, str):
            return text
        text = SERIES_ID.sub(lambda match: names.get(match[0], match[0]), text)
        return text.replace(">=", "≥").replace("<=", "≤").replace(" x ", " × ")

    return audit[column].map(named)


def audit_display(
    audit: pd.DataFrame,
    language: Language,
    with_notes: bool,
    names: dict[str, str] | None = None,
) -> pd.DataFrame:
    def text(column: str) -> pd.Series:
        return audit_text(audit, column, language, names)

    columns = {
        "description": text("description"),
        "section": audit["section"],
        "expected": [format_cell(v, language) for v in text("expected")],
        "found": [format_cell(v, language) for v in text("found")],
        "result": [audit_result(v, language) for v in audit["passed"]],
    }
    if with_notes:
        columns["note"] = text("note")
    return pd.DataFrame({AUDIT_HEADERS[k][language]: v for k, v in columns.items()})


def english_names(context: ChapterContext) -> dict[str, str]:
    """series_id -> English name, for the English texts of the audit."""
    return series_names(context.dataset.series, "en")


def chapter_audit(context: ChapterContext) -> pd.DataFrame:
    """The checks that concern this chapter's series (the admissions of section 五 are shown
    with the verdicts they qualify; the counts of the verdicts, of the whole report, on the
    data-quality page)."""
    audit = audit_table(context)
    own = context.series_ids()
    concerns = audit["series_ids"].map(lambda ids: bool(set(str(ids).split(";")) & own))
    return audit[concerns & ~audit["check_id"].str.startswith("qualified:")]


def show_chapter_audit(context: ChapterContext) -> None:
    """The checks of this chapter's figures that fail or cannot be verified, in plain words;
    nothing when every one passes."""
    audit = chapter_audit(context)
    open_checks = audit[~audit["passed"].fillna(False).astype(bool)]
    if open_checks.empty:
        return
    show_table(
        context,
        lambda language: audit_display(
            open_checks, language, with_notes=True, names=english_names(context)
        ),
        open_checks,
        "audit",
        titles.audit_title(context.chapter.title_zh, context.chapter.title_en, open_checks),
        distinct_sections(open_checks["section"]),
        computed=False,
    )


ADMITTED_HEADERS = {
    "problem": Text("报告承认的问题（第五部分原文）", "Problem admitted (section 五, verbatim)"),
    "section": Text("章节", "Section"),
    "indicators": Text("相关重点指标及报告结论", "Key indicators and the report's verdict"),
    "note": Text("说明", "Explanation"),
}


def admitted_table(
    admitted: pd.DataFrame, key_rows: pd.DataFrame, language: Language
) -> pd.DataFrame:
    verdicts = (
        key_rows.drop_duplicates("headline").set_index("headline")
        if not key_rows.empty
        else pd.DataFrame(columns=["name_zh", "name_en", "report_verdict"])
    )

    def indicators(numbers: tuple[int, ...]) -> str:
        named = []
        for number in numbers:
            if number not in verdicts.index:
                continue
            row = verdicts.loc[number]
            name = row["name_zh"] if language == "zh" else row["name_en"]
            verdict = verdict_text(row["report_verdict"], language)
            named.append(f"{number}. {name}{'：' if language == 'zh' else ': '}{verdict}")
        return "；".join(named) if language == "zh" else "; ".join(named)

    notes = audit_text(admitted, "note", language)
    return pd.DataFrame(
        {
            ADMITTED_HEADERS["problem"][language]: admitted["quote"]
            if language == "zh"
            else admitted["quote"] + " (" + admitted["quote_en"] + ")",
            ADMITTED_HEADERS["section"][language]: admitted["admitted_in"],
            ADMITTED_HEADERS["indicators"][language]: admitted["headlines"].map(indicators),
            ADMITTED_HEADERS["note"][language]: notes.to_numpy(),
        }
    )


def show_admitted(context: ChapterContext) -> None:
    """Section 五's admissions beside the verdicts of this chapter's key indicators they bear
    on; nothing when none does."""
    key_rows = key_indicators(context)
    headlines = set(key_rows["headline"].astype(int))
    items = admitted_problems(headlines)
    if not items:
        return
    audit = audit_table(context).set_index("check_id")
    records = []
    for item in items:
        check = audit.loc[f"qualified:{item.section}:一.{item.headlines[0]}"]
        records.append(
            {
                "quote": item.quote,
                "quote_en": item.quote_en,
                "admitted_in": item.section,
                "headlines": item.headlines,
                **{column: check[column] for column in audit.columns if column.startswith("note")},
            }
        )
    admitted = pd.DataFrame(records)
    show_table(
        context,
        lambda language: admitted_table(admitted, key_rows, language),
        admitted.assign(headlines=admitted["headlines"].map(lambda n: ";".join(map(str, n)))),
        "admitted",
        Text(
            f"{context.chapter.title_zh}：报告第五部分承认的问题与第一部分的结论",
            f"{context.chapter.title_en}: problems the report admits, beside its verdicts",
        ),
        "；".join(sorted({item.section for item in items})),
        computed=False,
    )


def show_audit_findings(context: ChapterContext) -> None:
    """The checks that fail or cannot be made: findings about the report, never dropped."""
    audit = audit_table(context)
    open_checks = audit[~audit["passed"].fillna(False).astype(bool)]
    show_table(
        context,
        lambda language: audit_display(
            open_checks, language, with_notes=True, names=english_names(context)
        ),
        open_checks,
        "audit_findings",
        Text(
            "报告自相矛盾或无法核验之处",
            "Where the report disagrees with itself, or cannot be checked",
        ),
        WHOLE_REPORT,
        computed=False,
    )


def show_audit(context: ChapterContext) -> None:
    audit = audit_table(context)
    show_table(
        context,
        lambda language: audit_display(
            audit, language, with_notes=False, names=english_names(context)
        ),
        audit,
        "audit",
        Text(
            "报告可供进行的全部算术与一致性核验",
            "Every arithmetic and consistency check the report allows",
        ),
        WHOLE_REPORT,
        computed=False,
    )


def format_cell(value: object, language: Language) -> str:
    """A number as the book writes numbers (122.0 -> 122); anything else as text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(float(value), "", language)
    return str(value)


AUDIT_RESULTS = {
    None: Text("无法核验", "cannot be verified"),
    True: Text("通过", "passed"),
    False: Text("不符", "FAILED"),
}


def audit_result(passed: object, language: Language) -> str:
    if passed is None or passed is pd.NA:
        return AUDIT_RESULTS[None][language]
    return AUDIT_RESULTS[bool(passed)][language]


def audit_counts(context: ChapterContext) -> Text:
    audit = audit_table(context)
    counts = {
        "checks": len(audit),
        "passed": int(audit["passed"].sum()),
        "failed": int(audit["passed"].eq(False).fillna(False).sum()),
        "unverifiable": int(audit["passed"].isna().sum()),
        "repairs": len(context.dataset.repairs),
    }
    return Text(
        "本书对报告共进行 **{checks}** 项核验：**{passed}** 项通过，**{failed}** 项不符，"
        "**{unverifiable}** 项因报告缺少所需数值或措辞可作两种理解而无法核验。"
        "网页版报告文字有 **{repairs}** 处缺损，已逐一释读。",
        "The audit makes **{checks}** checks: **{passed}** pass, **{failed}** fail and "
        "**{unverifiable}** cannot be verified, because the report does not give a figure they "
        "need or its words leave the answer open. The text of the report was repaired in "
        "**{repairs}** places.",
    ).format(**counts)


def show_audit_counts(context: ChapterContext) -> None:
    show_markdown(audit_counts(context))


# Methodology and reproduction -------------------------------------------------------------------


REFERENCE_HEADERS = {
    "name": Text("参数", "Parameter"),
    "key": Text("参数文件中写作", "Written in the parameter file as"),
    "default": Text("默认值", "Default"),
    "meaning": Text("含义", "Meaning"),
}


# What each parameter means, in Chinese (the English meaning is the parameter model's own
# description, written once there).
PARAMETER_MEANINGS_ZH = {
    "as_of": "计入的最晚日期（YYYY 或 YYYY-MM，按该时期期末计）；留空：全部数据",
    "base_year": "规划基期年份",
    "target_year": "预测和目标所对应的年份",
    "projection_method": "auto：政策标准按复利外推，数量、水平值和比率按线性外推；"
    "也可对所有类型指定一种方法（cagr 复利、linear 线性或 ols 最小二乘），"
    "或按类型分别指定（其余仍为 auto）",
    "series_methods": "按指标代码指定预测方法，优先于上一项",
    "thresholds.on_track": "Open SDG 进展比 R 达到此值：按进度推进",
    "thresholds.acceleration_needed": "R 达到此值：有进展，需加快",
    "thresholds.limited_progress": "R 达到此值：进展有限",
    "thresholds.substantial_growth": "无目标时：年均增长达到此值为增长较快",
    "thresholds.moderate_growth": "无目标时：年均增长达到此值为增长一般",
    "thresholds.limited_growth": "无目标时：年均增长达到此值为增长缓慢，低于此值为反向变化",
    "thresholds.bound_exponent": "有上限指标的阈值折减系数 C 的指数",
    "thresholds.unsd_on_track": "联合国统计司预测值比率 P 达到此值：按期推进或已达标",
    "thresholds.unsd_fair": "P 达到此值：进展尚可，需加快",
    "thresholds.unsd_met_margin": "与0%或100%目标相差不超过此百分点数即视为达标",
    "thresholds.unsd_growth_on_track": "联合国统计司方法，无目标时：年均增长达到此值为增速较快",
    "thresholds.unsd_growth_fair": "联合国统计司方法，无目标时：年均增长达到此值为增速一般",
    "midterm_tolerance": "时间进度上下计为“基本符合预期”的容差（本书设定）",
    "range_rule": "报告给出区间时取哪一个值：low 下限、mid 中值或 high 上限",
    "min_points_for_interval": "给出最小二乘预测区间所需的观测值个数",
    "target_overrides": "指标代码：替代已公布目标的目标值",
    "series": "要显示的指标代码；留空：本章全部指标",
    "interval_alpha": "最小二乘预测区间的 1 − 覆盖率（0.05 即95%区间）",
    "bounded_transform": "有上限的百分比：logit 在 logit 尺度上外推，cap 截断于上限",
    "max_projection_multiple": "预测值超过最新值的此倍数时加注提示",
    "max_compound_multiple": "复利预测超过此倍数时标记为极端外推",
    "negative_base": "undefined：基期为负时不计算复合增长率（改用绝对变化量）；"
    "open_sdg：采用 Open SDG 的符号调整增长率",
    "unsd_projection": "联合国统计司比率所用的预测：cagr 复利预测（该司方法），"
    "或 method 该指标本身的预测",
}


def reference_display(reference: pd.DataFrame, language: Language) -> pd.DataFrame:
    """The parameters for readers: each by its name in words, its default and its meaning."""
    empty = EMPTY[language]
    shown = reference.assign(
        name=reference["key"].map(lambda key: PARAMETER_NAMES[key][language]),
        default=reference["default"].replace("", empty),
    )
    if language == "zh":
        shown = shown.assign(meaning=shown["key"].map(PARAMETER_MEANINGS_ZH))
    columns = ["name", "default", "meaning"]
    return shown[columns].rename(columns={k: REFERENCE_HEADERS[k][language] for k in columns})


def code_markup(text: str, values: set[str]) -> str:
    """`text` escaped, each of `values` in it (a named value of a parameter, as written in the
    file) as code."""
    escaped = html.escape(text)
    if not values:
        return escaped
    names = "|".join(re.escape(value) for value in sorted(values, key=len, reverse=True))
    return re.sub(rf"(?<![\w-])({names})(?![\w-])", r"<code>\1</code>", escaped)


def parameter_file_display(reference: pd.DataFrame, language: Language) -> pd.DataFrame:
    """The parameters for analysts who write a parameter file: the name in words beside the key
    and the default as they are written in the file (code), and the meaning, in which the values
    a parameter takes by name are code too. Cells are markup (escaped here)."""
    shown = reference_display(reference, language)
    values = reference["key"].map(parameter_values)
    keys = reference["key"].map(lambda key: f"<code>{html.escape(key)}</code>")
    defaults = [
        f"<code>{html.escape(default)}</code>" if default else html.escape(EMPTY[language])
        for default in reference["default"]
    ]
    meanings = [
        code_markup(meaning, named)
        for meaning, named in zip(shown.iloc[:, -1], values, strict=True)
    ]
    return pd.DataFrame(
        {
            REFERENCE_HEADERS["name"][language]: shown.iloc[:, 0].map(html.escape).to_numpy(),
            REFERENCE_HEADERS["key"][language]: keys.to_numpy(),
            REFERENCE_HEADERS["default"][language]: defaults,
            REFERENCE_HEADERS["meaning"][language]: meanings,
        }
    )


def parameter_values(key: str) -> set[str]:
    """The values the parameter of `key` (`thresholds.<name>` for a threshold) takes by name."""
    model, name = (Thresholds, key.split(".", 1)[1]) if "." in key else (Parameters, key)
    return literal_values(model.model_fields[name].annotation)


def show_parameter_reference(context: ChapterContext) -> None:
    reference = parameter_reference()
    show_table(
        context,
        lambda language: parameter_file_display(reference, language),
        reference,
        "parameters",
        Text(
            "各章参数（parameters/<章>.yaml）：默认值与含义",
            "Chapter parameters (parameters/<chapter>.yaml), their defaults and meaning",
        ),
        "",
        computed=False,
        own=Text(
            "本书的参数定义（src/analysis/inputs/parameters.py）",
            "the book's definition of its parameters (src/analysis/inputs/parameters.py)",
        ),
        # the keys and values to write in a parameter file, as code (a test allows exactly
        # these on this page: tests/test_browser.py, PLACES_ALLOWED)
        cells_are_markup=True,
        classes="book-table book-parameter-keys",
    )


def show_thresholds(context: ChapterContext) -> None:
    """The thresholds in force, as the schema's defaults (the published values)."""
    reference = parameter_reference()
    thresholds = reference[reference["key"].str.startswith("thresholds.")]
    show_table(
        context,
        lambda language: reference_display(thresholds, language),
        thresholds,
        "thresholds",
        Text(
            "各进展评估方法的阈值（默认值即公开发布的数值）",
            "Thresholds of the progress methods (defaults: the published values)",
        ),
        Text("不适用（方法说明）", "not applicable (methodology)"),
        computed=False,
    )


# Data appendix ----------------------------------------------------------------------------------


def show_data_files(context: ChapterContext) -> None:
    """Every data file, offered for download as it is in the project and where it is in data/,
    so that the downloaded data package finds the files it describes (source/report.txt)."""
    root = project_root()
    for relative in DATA_FILES:
        name = Path(relative).relative_to("data").as_posix()
        (context.downloads / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / relative, context.downloads / name)

    def links(language: Language) -> str:
        separator = "：" if language == "zh" else ": "
        items = "".join(
            f'<li><a href="{context.chapter.name}/{Path(relative).relative_to("data").as_posix()}"'
            f" download>{html.escape(relative)}</a>{separator}{html.escape(meaning[language])}</li>"
            for relative, meaning in DATA_FILES.items()
        )
        return f"<ul>{items}</ul>"

    show_html(Text.made_by(links))


DATA_README = Text("data/README.zh.md", "data/README.md")


def show_data_readme(context: ChapterContext) -> None:
    """The data dictionary: data/README.md itself (in the Chinese edition its Chinese twin,
    data/README.zh.md, which a test keeps section for section and code for code the same), so
    the book and the folder never disagree. Its headings are demoted to sit under the page's
    own."""
    root = project_root()

    def render(language: Language) -> str:
        text = (root / DATA_README[language]).read_text(encoding="utf-8")
        demoted = re.sub(r"^(#+) ", lambda match: "#" * (len(match[1]) + 2) + " ", text, flags=re.M)
        lang = "zh-CN" if language == "zh" else "en"
        # Wrapped in a block that scrolls sideways: its tables are wider than a phone.
        return f'<div class="book-readme" lang="{lang}">\n\n{demoted}\n\n</div>'

    show_markdown(Text.made_by(render))


SERIES_HEADERS = {
    "series_id": Text("代码", "Code"),
    "name_zh": Text("中文名称", "Chinese name"),
    "name_en": Text("英文名称", "English name"),
    "domain": Text("所在章节", "Chapter"),
    "unit": Text("单位", "Unit"),
    "kind": Text("类型", "Kind"),
    "direction": Text("方向", "Direction"),
}


# The words of the data's codes in the dictionary (data/README.md defines each).
SERIES_KINDS = {
    "level": Text("水平值（金额、面积等）", "level (money, area)"),
    "rate": Text("比率", "rate"),
    "count": Text("数量", "count"),
    "standard": Text("政策标准", "policy standard"),
    "date": Text("时间节点", "milestone"),
    "reference": Text("外部参照数据", "outside reference"),
    "fact": Text("陈述事实（不评估）", "stated fact (not assessed)"),
}
DIRECTIONS = {
    "up": Text("越高越好", "higher is better"),
    "down": Text("越低越好", "lower is better"),
    "none": Text("不评判方向", "no direction"),
}


def series_dictionary(series: pd.DataFrame, language: Language) -> pd.DataFrame:
    """Every series as the dictionary shows it: its code (the CSVs' identifier) and names, and
    in words its chapter, unit, kind and direction (the download keeps the data's codes)."""

    def unit_words(unit: str) -> str:
        english = in_english(unit)
        if language == "zh" or english in ("", str(unit)):
            return str(unit)
        return f"{english} ({unit})"

    words = pd.DataFrame(
        {
            "series_id": series["series_id"],
            "name_zh": series["name_zh"],
            "name_en": series["name_en"],
            "domain": series["domain"].map(lambda name: chapter_named(name).title(language)),
            "unit": series["unit"].map(unit_words),
            "kind": series["kind"].map(lambda kind: SERIES_KINDS[kind][language]),
            "direction": series["direction"].map(lambda way: DIRECTIONS[way][language]),
        }
    )
    return words.rename(columns={key: text[language] for key, text in SERIES_HEADERS.items()})


def show_series_dictionary(context: ChapterContext) -> None:
    series = context.dataset.series.drop(columns=["line"])
    show_table(
        context,
        lambda language: series_dictionary(series, language),
        series,
        "series_dictionary",
        Text(
            "全部指标：代码、官方中文名称、英文名称、所在章节、单位、类型与方向",
            "Every series: code, official Chinese name, English name, chapter, unit, kind and "
            "direction",
        ),
        WHOLE_REPORT,
        computed=False,
    )


def status_meanings(thresholds: Thresholds) -> dict[str, Text]:
    """What each status means, with the thresholds in force."""
    t = thresholds
    on, acc, lim = f"{t.on_track:g}", f"{t.acceleration_needed:g}", f"{t.limited_progress:g}"
    fast, slow = f"{t.substantial_growth:.1%}", f"{t.moderate_growth:.1%}"
    p_on, p_fair = f"{t.unsd_on_track:g}", f"{t.unsd_fair:g}"
    g_on, g_fair = f"{t.unsd_growth_on_track:.1%}", f"{t.unsd_growth_fair:.1%}"
    return {
        "target_achieved": Text(
            "最新数值已达到公开的2025年目标",
            "the latest value already meets the published 2025 target",
        ),
        "on_track": Text(
            f"按已观察到的速度可以实现目标（进展比 ≥ {on}）",
            f"at the observed pace the target is reached (ratio ≥ {on})",
        ),
        "acceleration_needed": Text(
            f"有进展，但速度不足以实现目标（{acc} ≤ 进展比 < {on}）",
            f"progress, but too slow to reach the target ({acc} ≤ ratio < {on})",
        ),
        "limited_progress": Text(
            f"距目标进展甚微（{lim} ≤ 进展比 < {acc}）",
            f"little progress towards the target ({lim} ≤ ratio < {acc})",
        ),
        "deterioration": Text(
            f"偏离目标（进展比 < {lim}）", f"moving away from the target (ratio < {lim})"
        ),
        "substantial_progress": Text(
            f"无量化目标：沿预期方向年均增长不低于{fast}（接近上限时相应折减）",
            f"no target: growth of at least {fast} a year in the good direction "
            "(scaled down near a bound)",
        ),
        "moderate_progress": Text(
            f"无量化目标：年均增长在{slow}至{fast}之间",
            f"no target: growth from {slow} to {fast} a year",
        ),
        "slow_growth": Text(
            f"无量化目标：沿预期方向年均增长不足{slow}",
            f"no target: growth below {slow} a year in the good direction",
        ),
        "wrong_direction": Text(
            "无量化目标：朝预期的反方向变化", "no target: a change in the wrong direction"
        ),
        "on_track_or_met": Text(
            f"联合国统计司方法：已达标，或按当前速度到目标年可完成所需距离的{p_on}以上",
            f"UNSD: met, or the current pace covers at least {p_on} of the way by the target year",
        ),
        "fair_progress": Text(
            f"联合国统计司方法：到目标年可完成所需距离的{p_fair}至{p_on}，需加快",
            f"UNSD: the current pace covers {p_fair} to {p_on} of the way; acceleration needed",
        ),
        "stagnation_or_regression": Text(
            f"联合国统计司方法：到目标年完成不足所需距离的{p_fair}，或偏离目标",
            f"UNSD: less than {p_fair} of the way by the target year, or moving away",
        ),
        "growth_on_track": Text(
            f"联合国统计司方法，无量化目标：沿预期方向年均增长不低于{g_on}",
            f"UNSD, no target: growth of at least {g_on} a year in the good direction",
        ),
        "growth_fair": Text(
            f"联合国统计司方法，无量化目标：年均增长在{g_fair}至{g_on}之间",
            f"UNSD, no target: growth from {g_fair} to {g_on} a year",
        ),
        "growth_stagnation": Text(
            f"联合国统计司方法，无量化目标：年均增长低于{g_fair}或倒退",
            f"UNSD, no target: growth below {g_fair} a year, or a fall",
        ),
        "no_target": Text(
            "联合国统计司方法：无量化目标，也无预期的变化方向",
            "UNSD: no numeric target and no intended direction of change",
        ),
        "target_not_after_base": Text(
            "目标年份不晚于基期，无从测算所需速度",
            "the target falls at or before the base: no required pace exists",
        ),
        "insufficient_data": Text(
            "不同时点的数值少于两个，无法判断趋势",
            "fewer than two observations over time: no trend",
        ),
        "not_assessed": Text(
            "节点性目标、背景数字，或没有任何数值",
            "a milestone, a context count, or no figure at all",
        ),
        "achieved_early": Text("中期已达到目标", "the target is already met at mid-term"),
        "ahead": Text(
            "完成任务的比例高于已过时间的比例",
            "more of the task is done than the share of time elapsed",
        ),
        "on_schedule": Text(
            "完成任务的比例与已过时间相当", "the task done matches the time elapsed"
        ),
        "behind": Text(
            "完成任务的比例低于已过时间的比例",
            "less of the task is done than the share of time elapsed",
        ),
    }


LEGEND_HEADERS = {"status": Text("进展状态", "Status"), "meaning": Text("含义", "Meaning")}
# What the tables and the overview chart show in place of a status, and why.
UNASSESSED_MEANINGS = (
    (
        NOT_ASSESSED["fact"],
        Text(
            "报告只给出一个数值，又无已公布目标：作为事实列示，不评估进展"
            "（下载数据中的状态为“数据不足”）",
            "one figure and no published target: shown as a fact, not given a status "
            "(insufficient data in the downloads)",
        ),
    ),
    (
        NOT_ASSESSED["milestone"],
        Text(
            "节点性目标（某项工作在某时完成）：已完成即达标，无速度可评",
            "a milestone (a task done by a date): reached or not, with no pace to assess",
        ),
    ),
    (
        NOT_ASSESSED["no_figure"],
        Text(
            "报告未给出该指标本身的数值，无从评估",
            "the report states no figure of its own for it: nothing to assess",
        ),
    ),
    (
        DASHBOARD_WORDS["no_target"],
        Text(
            "概览图中：无已公布目标，预测值比率和时间过半检验均无从计算",
            "in the overview chart: no published target, so neither the projected ratio nor "
            "the mid-term test applies",
        ),
    ),
)


def status_legend(thresholds: Thresholds, language: Language) -> pd.DataFrame:
    """Every status and every word shown in place of one, with its meaning."""
    pairs = [
        (label(code, language), meaning) for code, meaning in status_meanings(thresholds).items()
    ]
    pairs += [(words[language], meaning) for words, meaning in UNASSESSED_MEANINGS]
    return pd.DataFrame(
        [
            {
                LEGEND_HEADERS["status"][language]: status,
                LEGEND_HEADERS["meaning"][language]: meaning[language],
            }
            for status, meaning in pairs
        ]
    )


def show_status_legend(context: ChapterContext) -> None:
    """The status categories with their labels and meaning, in each language."""
    thresholds = context.parameters.thresholds
    show_html(
        Text.made_by(
            lambda language: status_legend(thresholds, language).to_html(
                index=False, border=0, classes="book-table"
            )
        )
    )
