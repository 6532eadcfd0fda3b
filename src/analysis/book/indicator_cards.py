"""A card for each of the 19 key indicators of the report's section 一 (Open SDG's indicator
pages are the model): the report's sentence and verdict, the figures with their quotes, the
published target or its absence, what the verdict implies, the assessment by each method where
one applies, the chart where there are two points or more, the checks of the report that concern
it, and its data as CSV.

The cards are made from the report's text (each key indicator's line of section 一), the series
table (which series give an indicator), the assessment, the implied bounds and the audit:
nothing on a card is typed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd

from analysis.book.context import ChapterContext, show_figure, show_html, show_table
from analysis.book.markup import output_heading
from analysis.book.tables import (
    MISSING,
    dated,
    figures_heading,
    indicator_name,
    observations_table,
    target_source,
    target_text,
    verdict_check,
)
from analysis.core.language import Language, Text
from analysis.core.report import verdict_text
from analysis.core.units import agreeing
from analysis.inputs.chapters import chapter_named
from analysis.methods.progress import label

SECTION_START = "一、主要目标指标完成情况"
SECTION_END = "二、重点任务推进情况"
# "7、养老护理型床位占比:全市拥有…": the number (its 、 is lost once, in "10全市…"), the heading
# up to the first colon, and the sentence.
LINE = re.compile(r"^(\d{1,2})、?([^:：]+)[:：](.+)$")

# The report's heading names an indicator that several series give; a one-series indicator is
# named in English by its series (data/series.csv).
ENGLISH_HEADINGS = {
    1: "Minimum living allowance (低保) standards as a share of the previous year's "
    "urban consumption per head",
    2: "Basic living standards of persons in extreme poverty (特困), urban and rural",
    3: "Care standards of persons in extreme poverty (特困)",
    9: "Elderly-care facilities built with urban communities: compliance rate",
}


@dataclass(frozen=True)
class ReportLine:
    """A key indicator's line in section 一, verbatim."""

    number: int
    heading: str
    line: str

    @property
    def section(self) -> str:
        return f"一.{self.number}"


def key_indicator_lines(report_text: str) -> dict[int, ReportLine]:
    """The numbered lines of section 一 of the report, by key-indicator number."""
    start = report_text.index(SECTION_START)
    end = report_text.index(SECTION_END, start)
    lines = {}
    for raw in report_text[start:end].splitlines():
        match = LINE.match(raw.strip())
        if match:
            number = int(match[1])
            lines[number] = ReportLine(number, match[2].strip(), raw.strip())
    return lines


def line_repairs(line: str, repairs: pd.DataFrame) -> list[tuple[str, str]]:
    """The damaged places of the web copy (data/repairs.csv) in a key indicator's line, its
    heading or its sentence, with how each is read (its reading without the parenthetical
    remark, e.g. "(probably)")."""
    found = []
    for damaged, reading in zip(repairs["damaged"], repairs["reading"], strict=True):
        if str(damaged) in line:
            found.append((str(damaged), re.sub(r"\s*\(.*\)\s*$", "", str(reading))))
    return found


def checks_of(audit: pd.DataFrame, series_ids: set[str]) -> pd.DataFrame:
    """The checks of the report that concern any of these series."""
    concerns = audit["series_ids"].map(lambda ids: bool(set(str(ids).split(";")) & series_ids))
    return audit[concerns]


def assessable_rows(rows: pd.DataFrame, kinds: pd.Series) -> pd.Series:
    """The rows a progress status means something for (as on the chapters' status tables): a
    trend, or a stated figure and a published target; never a fact, a date or a reference."""
    kind = rows["series_id"].map(kinds)
    telling = (rows["n_points"] >= 2) | (rows["target_value"].notna() & (rows["n_points"] > 0))
    return telling & ~kind.isin(["reference", "fact", "date"])


@dataclass(frozen=True)
class Card:
    """What one key indicator's card shows; the frames are rows of the book's results."""

    report: ReportLine
    heading_en: str
    domain: str
    rows: pd.DataFrame  # the assessment of its series
    assessable: pd.Series  # bool per row of `rows`
    observations: pd.DataFrame  # every stated figure of its series, with quotes
    bounds: pd.DataFrame  # what its verdict implies (analysis.methods.verdicts)
    checks: pd.DataFrame  # the audit's checks that concern it
    repairs: list[tuple[str, str]]

    @property
    def number(self) -> int:
        return self.report.number

    @property
    def anchor(self) -> str:
        return card_anchor(self.number)

    @property
    def chart_rows(self) -> pd.DataFrame:
        """The series with two points or more: drawn on the card's chart."""
        return self.rows[(self.rows["n_points"] >= 2) & self.assessable]

    @property
    def verdict(self) -> str:
        verdicts = [str(v) for v in self.rows["report_verdict"].dropna().unique()]
        return "；".join(verdicts)

    @property
    def heading(self) -> str:
        """The report's heading as it means it, its damaged places read (兼职面积 as 建筑面积),
        as the series' names read; the card quotes the heading as written."""
        heading = self.report.heading
        for damaged, reading in self.repairs:
            heading = heading.replace(damaged, reading)
        return heading


def card_anchor(number: int) -> str:
    return f"ki-{number}"


def english_heading(number: int, rows: pd.DataFrame) -> str:
    if number in ENGLISH_HEADINGS:
        return ENGLISH_HEADINGS[number]
    names = rows["name_en"].dropna().unique()
    if len(names) != 1:
        raise KeyError(
            f"key indicator {number} is given by {len(names)} series: name it in English in "
            "ENGLISH_HEADINGS"
        )
    return str(names[0])


def indicator_cards(
    report_text: str,
    assessment: pd.DataFrame,
    series: pd.DataFrame,
    observations: pd.DataFrame,
    bounds: pd.DataFrame,
    audit: pd.DataFrame,
    repairs: pd.DataFrame,
) -> list[Card]:
    """One card per key indicator, in the report's order."""
    lines = key_indicator_lines(report_text)
    kinds = series.set_index("series_id")["kind"]
    key_rows = assessment[assessment["headline"].notna()]
    numbers = sorted(set(key_rows["headline"].astype(int)))
    missing = [n for n in numbers if n not in lines]
    if missing:
        raise ValueError(f"section 一 of the report has no line for key indicators {missing}")
    cards = []
    for number in numbers:
        rows = key_rows[key_rows["headline"].astype(int) == number]
        ids = set(rows["series_id"])
        cards.append(
            Card(
                report=lines[number],
                heading_en=english_heading(number, rows),
                domain=str(rows["domain"].iloc[0]),
                rows=rows,
                assessable=assessable_rows(rows, kinds),
                observations=observations[observations["series_id"].isin(ids)],
                bounds=bounds[bounds["series_id"].isin(ids)],
                checks=checks_of(audit, ids),
                repairs=line_repairs(lines[number].line, repairs),
            )
        )
    return cards


# --- How a card reads ---------------------------------------------------------------------------

WORDS = {
    "title": Text("第{n}项　{heading}", "Key indicator {n}. {heading}"),
    "domain": Text("所属领域：{link}", "Domain: {link}"),
    "quote": Text("报告原文（第一部分第{n}项）", "The report (section 一, item {n})"),
    "repair": Text(
        "标题中“{damaged}”为网页版文字缺损，应读作“{reading}”。",
        "The heading's {damaged} is damaged text of the web copy, read as {reading}.",
    ),
    "repair_line": Text(
        "原文“{damaged}”为网页版文字缺损，应读作“{reading}”。",
        "The line's {damaged} is damaged text of the web copy, read as {reading}.",
    ),
    "verdict": Text("报告结论", "The report's verdict"),
    "target": Text("已公布目标", "Published target"),
    "implied": Text("结论隐含", "What the verdict implies"),
    "methods": Text("进展评估", "Assessment"),
    "checks": Text("本书对报告的核查", "Checks of the report"),
    "figures": Text("数值", "Key indicator {n}: the figures"),
    "no_target": Text("未公布目标值", "no published target"),
    "no_bound": Text(
        "无：该结论不涉及2025年目标，或报告未给出数值",
        "nothing: the verdict does not concern the 2025 target, or no figure is stated",
    ),
    "no_checks": Text("无涉及本项的核查。", "No check concerns this indicator."),
    "passed": Text("{n}项核查通过（展开）", "{n} {checks} passed (show)"),
    "figure": Text("数值", "Figures"),
    "no_value": Text("报告未给出数值", "the report states no figure"),
    "supported": Text("数据是否支持结论", "Do the numbers support the verdict"),
    "not_assessed": Text(
        "只有一个数据且无已公布目标，作为事实列示，不评估进展",
        "one figure and no published target: shown as a fact, not given a status",
    ),
    "no_figure": Text(
        "报告未给出本指标的数值，无从评估",
        "none: the report states no figure of its own for it",
    ),
}
METHOD_NAMES = {
    "category": Text("增速比法", "Growth ratio (Open SDG)"),
    "unsd_category": Text("预测比法", "Projected ratio (UNSD)"),
    "midterm_label": Text("时间过半检验", "Mid-term test"),
}
CHECK_MARKS = {True: "✓", False: "✗", None: "?"}


def _escape(text: object) -> str:
    return html.escape(str(text))


def card_title(card: Card, language: Language) -> str:
    heading = card.heading if language == "zh" else card.heading_en
    if language == "en":
        heading = f"{heading} ({card.heading})"
    return WORDS["title"][language].format(n=card.number, heading=heading)


def domain_link(card: Card, language: Language) -> str:
    chapter = chapter_named(card.domain)
    name = chapter.title(language)
    link = f'<a href="{_escape(card.domain)}.html">{_escape(name)}</a>'
    return WORDS["domain"][language].format(link=link)


def method_text(row: dict, assessable: bool, language: Language) -> str:
    """The status by each method, or why there is none."""
    if not row["n_points"]:
        return WORDS["no_figure"][language]
    if not assessable:
        return WORDS["not_assessed"][language]
    parts = []
    for column, name in METHOD_NAMES.items():
        status = label(row[column], language)
        if status:
            parts.append(
                f"{name[language]}：{status}" if language == "zh" else f"{name.en}: {status}"
            )
    return ("；" if language == "zh" else "; ").join(parts) or MISSING


def series_lines(card: Card, language: Language, observations: pd.DataFrame) -> str:
    """Per series: its figures from base to latest, its target, its status by each method and
    whether the numbers support the verdict."""
    items = []
    flags = dict(zip(card.rows.index, card.assessable, strict=True))
    sep = "：" if language == "zh" else ": "
    brackets = "（{}）" if language == "zh" else " ({})"
    for index, row in card.rows.iterrows():
        record = row.to_dict()
        if record["n_points"]:
            figures = dated(record, "latest", language, observations)
            if record["n_points"] >= 2:
                figures = f"{dated(record, 'base', language, observations)} → {figures}"
        else:
            figures = WORDS["no_value"][language]
        target = WORDS["no_target"][language]
        if not pd.isna(record["target_value"]):
            target = target_text(record, language) + brackets.format(
                target_source(record, language)
            )
        lines = [
            (WORDS["figure"], figures),
            (WORDS["target"], target),
            (WORDS["methods"], method_text(record, flags[index], language)),
            (WORDS["supported"], verdict_check(record, language)),
        ]
        body = "".join(f"<br>{name[language]}{sep}{_escape(text)}" for name, text in lines if text)
        items.append(f"<li><strong>{_escape(indicator_name(record, language))}</strong>{body}</li>")
    return f'<ul class="book-card-series">{"".join(items)}</ul>'


def bounds_text(card: Card, language: Language) -> str:
    from analysis.book.blocks import implied_text

    if card.bounds.empty:
        return WORDS["no_bound"][language]
    by_id = card.rows.set_index("series_id")
    texts = []
    for row in card.bounds.itertuples():
        implied = implied_text(row.figure, row.direction, language, by_id.at[row.series_id, "unit"])
        name = Text(row.name_zh, str(by_id.at[row.series_id, "name_en"]))[language]
        sep = "：" if language == "zh" else ": "
        texts.append(implied if len(card.bounds) == 1 else f"{name}{sep}{implied}")
    return ("；" if language == "zh" else "; ").join(texts)


def check_state(passed: object) -> bool | None:
    """A check's result: True, False, or None when it cannot be verified."""
    return None if passed is None or passed is pd.NA else bool(passed)


# A note of the audit that opens with the result the item already states ("无法核验：…"), said
# once on a card.
RESULT_OPENING = {
    "zh": re.compile(r"^无法(?:依据报告)?核验："),
    "en": re.compile(r"^cannot be verified(?: from the report)?: "),
}


def check_item(passed: object, description: str, note: object, language: Language) -> str:
    """A check as one item: its result, what it checks and, unless it passed, why."""
    from analysis.book.blocks import audit_result

    state = check_state(passed)
    sep = "：" if language == "zh" else ": "
    text = f"{CHECK_MARKS[state]} {audit_result(passed, language)}{sep}{description}"
    if state is not True and isinstance(note, str) and note:
        if state is None:
            note = RESULT_OPENING[language].sub("", note)
        ended = text.endswith(("。", "？", "！", ".", "?", "!"))
        text += ("" if language == "zh" else " ") if ended else ("。" if language == "zh" else ". ")
        text += note if language == "zh" else note[:1].upper() + note[1:]  # a new sentence
    return f"<li>{_escape(text)}</li>"


def checks_html(card: Card, language: Language, names: dict[str, str]) -> str:
    """The checks that fail or cannot be verified in full; the passed ones folded away, with
    their number."""
    from analysis.book.blocks import audit_text

    if card.checks.empty:
        return f"<p>{WORDS['no_checks'][language]}</p>"
    descriptions = audit_text(card.checks, "description", language, names)
    notes = audit_text(card.checks, "note", language, names)
    items = [
        (check_state(passed) is True, check_item(passed, description, note, language))
        for passed, description, note in zip(
            card.checks["passed"], descriptions, notes, strict=True
        )
    ]
    open_items = "".join(item for passed, item in items if not passed)
    passed_items = "".join(item for passed, item in items if passed)
    parts = f'<ul class="book-card-checks">{open_items}</ul>' if open_items else ""
    if passed_items:
        count = sum(passed for passed, _ in items)
        summary = WORDS["passed"][language].format(n=count, checks=agreeing("checks", count))
        parts += (
            f'<details class="book-card-passed"><summary>{summary}</summary>'
            f'<ul class="book-card-checks">{passed_items}</ul></details>'
        )
    return parts


def repair_note(card: Card, damaged: str, reading: str, language: Language) -> str:
    """How a damaged place of the quoted line is read, said of its heading or of its line."""
    where = "repair" if damaged in card.report.heading else "repair_line"
    return WORDS[where][language].format(damaged=damaged, reading=reading)


def card_head_html(
    card: Card, language: Language, observations: pd.DataFrame, names: dict[str, str]
) -> str:
    """The card down to its chart: title, domain, the report's line, the verdict, the series
    with targets and statuses, the implied bound and the checks."""
    repair = "".join(
        f'<p class="book-note">{_escape(repair_note(card, damaged, reading, language))}</p>'
        for damaged, reading in card.repairs
    )
    sep = "：" if language == "zh" else ": "
    return (
        f'<div class="book-card">'
        f"{output_heading(3, card.anchor, card_title(card, language), 'book-card-title')}"
        f'<p class="book-card-domain">{domain_link(card, language)}</p>'
        f'<blockquote class="book-quote"><p>{_escape(card.report.line)}</p>'
        f"<p>——{WORDS['quote'][language].format(n=card.number)}</p></blockquote>"
        f"{repair}"
        f"<p><strong>{WORDS['verdict'][language]}</strong>{sep}"
        f"{_escape(verdict_text(card.verdict, language))}</p>"
        f"{series_lines(card, language, observations)}"
        f"<p><strong>{WORDS['implied'][language]}</strong>{sep}"
        f"{_escape(bounds_text(card, language))}</p>"
        f"<p><strong>{WORDS['checks'][language]}</strong></p>{checks_html(card, language, names)}"
        "</div>"
    )


def card_figures(card: Card, series: pd.DataFrame, language: Language) -> pd.DataFrame:
    """The card's figures with their quotes and sections (those of the line the card quotes
    refer to it)."""
    quoted = (card.report.section, card.report.line)
    return observations_table(card.observations, series, language, quoted)


def verdict_aside(verdict: str, language: Language) -> str:
    """The report's verdict beside an indicator's name, escaped: （已完成目标任务）, or
    ' — target completed (已完成目标任务)'."""
    text = _escape(verdict_text(verdict, language))
    return f"（{text}）" if language == "zh" else f" — {text}"


def card_index_html(cards: list[Card], language: Language) -> str:
    """Links to the 19 cards, each with the report's verdict."""
    items = []
    for card in cards:
        title = card.heading if language == "zh" else card.heading_en
        items.append(
            f'<li><a href="#{card.anchor}">{card.number}. {_escape(title)}</a>'
            f'<span class="book-card-verdict">{verdict_aside(card.verdict, language)}</span></li>'
        )
    return f'<ul class="book-card-index">{"".join(items)}</ul>'


# --- On the page ----------------------------------------------------------------------------


def cards_of(context: ChapterContext) -> list[Card]:
    """The 19 cards from the chapter's results (the overview assesses every series)."""
    from analysis.methods.verdicts import implied_bounds

    dataset = context.dataset
    observations = context.observations_in_force()
    return indicator_cards(
        dataset.report_text,
        context.assessment,
        dataset.series,
        observations,
        implied_bounds(observations, dataset.series, dataset.targets),
        context.audit,
        dataset.repairs,
    )


def show_card_index(context: ChapterContext) -> None:
    cards = cards_of(context)
    show_html(Text.made_by(lambda language: card_index_html(cards, language)))


def show_indicator_cards(context: ChapterContext) -> None:
    """Each card: its head (`card_head_html`), its chart where a series has two points or
    more, and its figures with their quotes, whose CSV is the card's data."""
    from analysis.book.blocks import english_names
    from analysis.book.chart_blocks import projects, trends_alt, trends_title
    from analysis.book.charts import source_text, trajectory_grid

    series = context.dataset.series
    names = english_names(context)
    for card in cards_of(context):
        show_html(
            Text.made_by(
                lambda language, card=card: card_head_html(card, language, card.observations, names)
            )
        )
        chart_rows = card.chart_rows
        if not chart_rows.empty:
            title = trends_title(chart_rows, context.target_year)

            def figure(language: Language, card=card, rows=chart_rows, title=title):
                return trajectory_grid(
                    card.observations,
                    rows,
                    context.parameters,
                    title[language],
                    source=source_text(
                        card.observations,
                        rows["series_id"],
                        language=language,
                        hollow=True,
                        computed=projects(rows),
                    ),
                    language=language,
                )

            show_figure(
                context,
                figure,
                card.observations,
                f"{card.anchor}-trends",
                card.report.section,
                alt=trends_alt(context, chart_rows),
            )
        show_table(
            context,
            lambda language, card=card: card_figures(card, series, language),
            card.observations,
            f"{card.anchor}-figures",
            figures_heading(
                card.observations,
                Text(
                    f"第{card.number}项：{WORDS['figures'].zh}",
                    WORDS["figures"].en.format(n=card.number),
                ),
            ),
            "、".join(dict.fromkeys(card.observations["section"].astype(str))),
            computed=False,
            folded=True,  # the card's evidence, under its summary: opened on demand
        )
