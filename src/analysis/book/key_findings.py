"""Key findings: the few sentences a chapter opens with, each with its numbers and a link.

Every number is computed here from the results, the series table and the audit; nothing is
typed. Each function returns a `Finding`, or None when its data say nothing for that chapter;
`chapter_findings` orders them by importance (what the report claims against what its figures
support first, then where it contradicts itself, then what the figures show).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from analysis.book.markup import quoted
from analysis.book.tables import date_text, format_estimate, quantity, target_text
from analysis.core.language import Language, Text
from analysis.core.report import VERDICTS
from analysis.inputs.chapters import chapter_named
from analysis.methods.audit import QUALIFIED_VERDICTS
from analysis.methods.progress import TARGET_ACHIEVED

MAX_FINDINGS = 6


@dataclass(frozen=True)
class Finding:
    """One sentence (HTML-safe: data texts are escaped where it is made) and where it is shown."""

    text: Text
    page: str  # the chapter that shows it
    anchor: str = ""  # a MyST label on that page, or "" for the page itself


def section_label(chapter: str, section: str) -> str:
    """The MyST label of a section of a domain chapter: `social-assistance-audit`."""
    return f"{chapter.replace('_', '-')}-{section}"


def _name(row: pd.Series | dict, language: Language) -> str:
    """The series' name in bold; in English with its official Chinese name beside it."""
    if language == "zh":
        return f"<strong>{html.escape(str(row['name_zh']))}</strong>"
    return (
        f"<strong>{html.escape(str(row['name_en']))}</strong> ({html.escape(str(row['name_zh']))})"
    )


def _numbers(numbers: list[int], language: Language) -> str:
    joined = ("、" if language == "zh" else ", ").join(str(n) for n in numbers)
    return f"第{joined}项" if language == "zh" else f"nos. {joined}"


# --- What the report claims, against what its figures support ---------------------------------


def unstated_key_indicators(key_rows: pd.DataFrame, audit: pd.DataFrame) -> list[int]:
    """Key indicators whose own figure the report never states: its measure is never given
    (audit `unstated_measure:`), its sentence gives another indicator's figure (a failed
    `headline_sentence:` check), or none of its series has a figure at all."""
    numbers: set[int] = set()
    for check_id, passed in zip(audit["check_id"], audit["passed"], strict=True):
        if check_id.startswith("unstated_measure:一.") or (
            check_id.startswith("headline_sentence:一.") and passed is False
        ):
            numbers.add(int(check_id.rsplit(".", 1)[1]))
    figures = key_rows.groupby("headline")["n_points"].sum()
    numbers |= {int(h) for h, n in figures.items() if n == 0}
    return sorted(numbers)


def verdicts_against_targets(key_rows: pd.DataFrame, audit: pd.DataFrame) -> Finding | None:
    """How many of the key indicators the report calls achieved can be checked at all."""
    if key_rows.empty:
        return None
    headlines = key_rows["headline"].astype(int)
    total = headlines.nunique()
    with_target = sorted(set(headlines[key_rows["target_value"].notna()]))
    met = sorted(set(headlines[key_rows["category"] == TARGET_ACHIEVED]))
    unstated = unstated_key_indicators(key_rows, audit)
    text = Text(
        f"报告称{total}项重点指标“均实现预期目标”，但其中有公开的量化目标可供对照的只有"
        f"{len(with_target)}项，按报告给出的数值已达到目标的{len(met)}项；另有{len(unstated)}项"
        f"（{_numbers(unstated, 'zh')}）报告并未给出指标本身的数值，其结论无从核验。",
        f"The report says all {total} key indicators met their expected targets, but only "
        f"{len(with_target)} have a published numeric target to check them against, and by the "
        f"report's own figures {len(met)} of those are met; for {len(unstated)} "
        f"({_numbers(unstated, 'en')}) the report never states the indicator's own figure, so "
        "its verdict cannot be checked.",
    )
    return Finding(text, "overview", "overview-dashboard")


def target_sentence(row: dict) -> Text:
    """One series against its published target, in both languages."""
    name = Text(_name(row, "zh"), _name(row, "en"))
    goal = Text(html.escape(target_text(row, "zh")), html.escape(target_text(row, "en")))
    if int(row["n_points"] or 0) == 0 or _missing(row["latest_value"]):
        return Text(
            f"{name.zh}有公开的目标（{goal.zh}），但报告没有给出它本身的数值，无从判断是否达标。",
            f"{name.en} has a published target ({goal.en}), but the report states no figure of "
            "its own, so whether it is met cannot be said.",
        )
    latest = Text(
        html.escape(quantity(row["latest_value"], row["unit"], "zh")),
        html.escape(quantity(row["latest_value"], row["unit"], "en")),
    )
    when = Text(date_text(row["latest_date"], "zh"), date_text(row["latest_date"], "en"))
    if row["category"] == TARGET_ACHIEVED:
        verdict = Text(f"已达到目标（{goal.zh}）", f"already meeting its target ({goal.en})")
    else:
        verdict = Text(f"尚未达到目标（{goal.zh}）", f"short of its target ({goal.en})")
    return Text(
        f"{name.zh}{when.zh}为{latest.zh}，{verdict.zh}。",
        f"{name.en} stood at {latest.en} in {when.en}, {verdict.en}.",
    )


def targets_in_chapter(rows: pd.DataFrame) -> list[Finding]:
    """The chapter's series with a published target: a sentence each for one or two, else one
    sentence that counts them."""
    with_target = rows[rows["target_value"].notna()].to_dict(orient="records")
    if not with_target:
        return []
    domain = str(with_target[0]["domain"])
    where = section_label(domain, "status")
    if len(with_target) <= 2:
        return [Finding(target_sentence(row), domain, where) for row in with_target]
    met = [row for row in with_target if row["category"] == TARGET_ACHIEVED]
    unstated = [row for row in with_target if int(row["n_points"] or 0) == 0]
    rest = len(with_target) - len(met) - len(unstated)

    def names(found: list[dict], language: Language) -> str:
        return ("、" if language == "zh" else "; ").join(_name(row, language) for row in found)

    zh = (
        f"本章有公开量化目标的{len(with_target)}项指标中，按报告数值已达标{len(met)}项"
        f"（{names(met, 'zh')}）"
    )
    en = (
        f"Of the {len(with_target)} series of this chapter with a published target, {len(met)} "
        f"are met by the report's figures ({names(met, 'en')})"
    )
    if unstated:
        zh += f"，{len(unstated)}项报告未给出本身的数值（{names(unstated, 'zh')}）"
        en += (
            f"; for {len(unstated)} the report states no figure of its own "
            f"({names(unstated, 'en')})"
        )
    if rest:
        zh += f"，{rest}项尚未达标"
        en += f"; {rest} are not yet met"
    return [Finding(Text(zh + "。", en + "."), domain, where)]


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


# --- Where the report contradicts itself ------------------------------------------------------


# What a failed check of each kind shows about the report (by the prefix of its check_id),
# the most telling first.
FAILURE_KINDS: dict[str, Text] = {
    "repeat": Text("同一数字的两处表述", "figures it states twice"),
    "verdict": Text("评估结论的计数", "the counts of its verdicts"),
    "headline_sentence": Text("指标与其数值的对应", "which figure belongs to which indicator"),
    "sum": Text("分项与合计", "its sums"),
    "period": Text("不同时段的数字", "figures for different periods"),
    "within": Text("总数与其组成部分", "totals against their parts"),
    "names": Text("指标的名称", "the names of an indicator"),
    "relation_strict": Text("标准之间的比例关系", "the ratios between standards"),
}


def failure_kinds(audit: pd.DataFrame) -> list[Text]:
    """What the failed checks concern, in the order of `FAILURE_KINDS`."""
    failed = audit.loc[audit["passed"].eq(False).fillna(False).to_numpy(bool), "check_id"]
    prefixes = {str(check_id).split(":", 1)[0] for check_id in failed}
    return [words for prefix, words in FAILURE_KINDS.items() if prefix in prefixes]


def audit_summary(audit: pd.DataFrame) -> Finding | None:
    """The audit of the whole report: how many checks, how many fail or cannot be verified,
    and what the failures concern."""
    if audit.empty:
        return None
    failed = int(audit["passed"].eq(False).fillna(False).sum())
    open_ = int(audit["passed"].isna().sum())
    kinds = failure_kinds(audit)
    shown, more = kinds[:3], len(kinds) > 3
    where = Text(
        "：报告在" + "、".join(k.zh for k in shown) + ("等方面" if more else "上") + "自相矛盾"
        if kinds
        else "",
        ": the report contradicts itself in "
        + ", ".join(k.en for k in shown)
        + (" and more" if more else "")
        if kinds
        else "",
    )
    text = Text(
        f"本书对报告做了{len(audit)}项前后一致性核查，其中{failed}项不符，{open_}项因报告缺少所需"
        f"数值或表述可作两种理解而无法核验{where.zh}。",
        f"Of {len(audit)} checks of the report against itself, {failed} fail and {open_} cannot "
        f"be verified, for want of a figure or because its words read two ways{where.en}.",
    )
    return Finding(text, "data_quality")


def audit_in_chapter(audit: pd.DataFrame, chapter: str, admitted: int = 0) -> Finding | None:
    """The checks of this chapter's figures that fail or cannot be verified; `admitted`: the
    admissions of section 五 weighed against this chapter's verdicts, shown in a section of
    their own and counted apart."""
    if audit.empty:
        return None
    failed = int(audit["passed"].eq(False).fillna(False).sum())
    open_ = int(audit["passed"].isna().sum())
    if failed + open_ == 0:
        return None
    parts_zh = [f"{failed}项不符"] * bool(failed) + [f"{open_}项无法核验"] * bool(open_)
    parts_en = [f"{failed} fail{'s' * (failed == 1)}"] * bool(failed) + [
        f"{open_} cannot be verified"
    ] * bool(open_)
    example = Text("", "")
    if failed:
        first_failed = audit[audit["passed"].eq(False).fillna(False).to_numpy(bool)].iloc[0]
        note_zh = str(first_failed.get("note_zh") or first_failed.get("description_zh") or "")
        note_en = str(first_failed.get("note") or first_failed.get("description") or "")
        example = Text(
            f"。不符之处，例如：{html.escape(note_zh.rstrip('。'))}" if note_zh else "",
            f". For example: {html.escape(note_en.rstrip('.'))}" if note_en else "",
        )
    apart = Text(
        f"（另有{admitted}项是报告第五部分承认的问题与第一部分结论的对照，见“报告承认的问题”）"
        if admitted
        else "",
        f" (besides {admitted} comparison{'s' * (admitted != 1)} of the problems section 五 "
        "admits with the verdicts of section 一, under the problems the report admits)"
        if admitted
        else "",
    )
    text = Text(
        f"本章数据涉及{len(audit)}项一致性核查{apart.zh}，其中{'，'.join(parts_zh)}{example.zh}。",
        f"The figures of this chapter enter {len(audit)} checks of the report against "
        f"itself{apart.en}: {' and '.join(parts_en)}{example.en}.",
    )
    return Finding(text, chapter, section_label(chapter, "audit"))


# --- What the figures show ---------------------------------------------------------------------


def report_standards(rows: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """The city's policy standards (kind standard, figures from the report) with a trend from a
    non-zero base: latest / base is their multiple."""
    kind = rows["series_id"].map(series.set_index("series_id")["kind"])
    keep = (
        (kind == "standard")
        & (rows["n_points"] >= 2)
        & (rows["base_value"] > 0)
        & rows["latest_value"].notna()
        & (rows["base_date"] != rows["latest_date"])
    )
    found = rows[keep].copy()
    found["multiple"] = found["latest_value"] / found["base_value"]
    return found


def standards_spread(rows: pd.DataFrame, series: pd.DataFrame) -> Finding | None:
    """The fastest and the slowest rise among the standards since the base."""
    standards = report_standards(rows, series)
    if len(standards) < 2:
        return None
    fast = standards.loc[standards["multiple"].idxmax()]
    slow = standards.loc[standards["multiple"].idxmin()]
    if fast["multiple"] < 2 * slow["multiple"]:
        return None  # no contrast worth a finding
    rise = f"{(slow['multiple'] - 1) * 100:.1f}"

    def amount(row: pd.Series, end: str, language: Language) -> str:
        return html.escape(quantity(row[f"{end}_value"], row["unit"], language))

    def when(end: str, language: Language) -> str:
        return date_text(fast[f"{end}_date"], language)

    text = Text(
        f"各项标准涨幅悬殊：{_name(fast, 'zh')}由{when('base', 'zh')}的{amount(fast, 'base', 'zh')}"
        f"提高到{when('latest', 'zh')}的{amount(fast, 'latest', 'zh')}，为原来的"
        f"{format_estimate(fast['multiple'], '', 'zh')}倍；{_name(slow, 'zh')}同期只提高了{rise}%"
        f"（{amount(slow, 'base', 'zh')}至{amount(slow, 'latest', 'zh')}）。",
        f"The standards rose at very different paces: {_name(fast, 'en')} went from "
        f"{amount(fast, 'base', 'en')} in {when('base', 'en')} to {amount(fast, 'latest', 'en')} "
        f"in {when('latest', 'en')}, {format_estimate(fast['multiple'], '', 'en')} times as "
        f"much, while {_name(slow, 'en')} rose by only {rise} % ({amount(slow, 'base', 'en')} to "
        f"{amount(slow, 'latest', 'en')}).",
    )
    chapter = str(fast["domain"])
    return Finding(text, chapter, section_label(chapter, "trends"))


class Admission(NamedTuple):
    """A problem of section 五 beside the verdicts of key indicators it bears on."""

    section: str
    quote: str
    quote_en: str
    headlines: tuple[int, ...]

    def quoted(self, language: Language) -> str:
        """The report's words, escaped, in quotation marks; in English with what they say."""
        words = quoted(html.escape(self.quote))
        return words if language == "zh" else f"{words} ({html.escape(self.quote_en)})"


def admitted_problems(headlines: set[int]) -> list[Admission]:
    """The problems of section 五 that bear on verdicts of these key indicators."""
    return [
        Admission(
            item.section,
            item.quote,
            item.quote_en,
            tuple(h for h in item.headlines if h in headlines),
        )
        for item in QUALIFIED_VERDICTS
        if set(item.headlines) & headlines
    ]


def admitted_finding(verdicts: Mapping[int, str], page: str, anchor: str = "") -> Finding | None:
    """Section 五's admissions beside the verdicts of section 一 they qualify; `verdicts`: the
    report's verdict on each key indicator of the page, by number."""
    items = admitted_problems(set(verdicts))
    if not items:
        return None
    first = items[0]
    numbers = first.headlines
    others = len(items) - 1
    more = {
        "zh": f"此类问题共{len(items)}处" if others else "",
        "en": f"; {len(items)} such admissions in all" if others else "",
    }
    by_verdict: dict[str, list[int]] = {}
    for number in numbers:
        by_verdict.setdefault(verdicts[number], []).append(number)
    groups = list(by_verdict.items())
    found_zh = "，".join(
        f"对{_numbers(group, 'zh')}{'重点指标的结论' if i == 0 else ''}为“{verdict}”"
        for i, (verdict, group) in enumerate(groups)
    )
    found_en = " and ".join(
        f"key indicator{'s' * (len(group) > 1)} {', '.join(map(str, group))} "
        f"‘{VERDICTS[verdict]}’ ({verdict})"
        for verdict, group in groups
    )
    text = Text(
        f"报告第五部分“存在问题”承认{first.quoted('zh')}（{first.section}），而第一部分"
        f"{found_zh}" + (f"；{more['zh']}。" if more["zh"] else "。"),
        f"The report admits in {first.section} that {first.quoted('en')}, while section 一 "
        f"rates {found_en}{more['en']}.",
    )
    return Finding(text, page, anchor)


def single_figures(rows: pd.DataFrame, chapter: str) -> Finding | None:
    """How many of the chapter's series the report states only once (facts, not trends)."""
    stated = rows[rows["n_points"] > 0]
    once = int((stated["base_date"] == stated["latest_date"]).sum())
    if len(stated) == 0 or once == 0:
        return None
    if once == len(stated):
        text = Text(
            f"本章全部{once}个数据系列，报告都只给出一个时点的数值，无从判断变化趋势，只作为事实列出。",
            f"The report states each of the {once} series of this chapter at one date only: "
            "none shows a trend, and they are listed as facts.",
        )
    else:
        text = Text(
            f"本章{len(stated)}个数据系列中，有{once}个报告只给出一个时点的数值，无从判断变化趋势，"
            "只作为事实列出。",
            f"Of the {len(stated)} series of this chapter, the report states {once} at one date "
            "only: they show no trend and are listed as facts.",
        )
    return Finding(text, chapter, section_label(chapter, "figures"))


# --- Ordering and display ----------------------------------------------------------------------


def in_report(rows: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """Rows of the city's own series (outside references compared elsewhere)."""
    kind = rows["series_id"].map(series.set_index("series_id")["kind"])
    return rows[kind != "reference"]


def first(found: list[Finding | None]) -> list[Finding]:
    return [f for f in found if f is not None][:MAX_FINDINGS]


def link_words(finding: Finding, language: Language) -> str:
    title = chapter_named(finding.page)
    name = title.title(language)
    href = f"{finding.page}.html" + (f"#{finding.anchor}" if finding.anchor else "")
    words = Text("详见：{}", "see {}")[language].format(html.escape(name))
    return f'<a href="{html.escape(href)}">{words}</a>'


def findings_html(findings: list[Finding], language: Language, here: str) -> str:
    """A list of findings, each with a link to where it is shown ("this chapter" below)."""
    items = []
    for finding in findings:
        if finding.page == here:
            href = f"#{finding.anchor}" if finding.anchor else "#"
            words = Text("见本章下文", "shown below")[language]
            link = f'<a href="{html.escape(href)}">{words}</a>'
        else:
            link = link_words(finding, language)
        end = "（{}）" if language == "zh" else " ({})"
        items.append(f"<li>{finding.text[language]}{end.format(link)}</li>")
    return f'<ul class="book-findings">{"".join(items)}</ul>' if items else ""


def later_province_finding(comparisons: pd.DataFrame, series: pd.DataFrame) -> Finding | None:
    """The city's standards against the province's where only later provincial figures exist
    (the orphan allowances of 2023 against the province's for December 2025): the ratio, and
    that the dates differ. Only exact provincial figures (no 以上) and no targets."""
    if comparisons.empty:
        return None
    later = comparisons[
        (comparisons["reference_basis"] == "dates_differ")
        & ~comparisons["is_target"].astype(bool)
        & (comparisons["reference_qualifier"].fillna("") == "")
        & (comparisons["suzhou_qualifier"].fillna("") == "")
    ]
    if later.empty or later["suzhou_date"].nunique() != 1 or later["reference_date"].nunique() != 1:
        return None
    names = series.set_index("series_id")
    units = [names.at[sid, "unit"] for sid in later["suzhou_series"]]
    rows = list(later.itertuples())
    city = {
        "zh": "、".join(
            f"{_name(names.loc[row.suzhou_series], 'zh')}为{quantity(row.suzhou, unit, 'zh')}"
            for row, unit in zip(rows, units, strict=True)
        ),
        "en": " and ".join(
            f"{_name(names.loc[row.suzhou_series], 'en')} {'was ' * (i == 0)}"
            f"{quantity(row.suzhou, unit, 'en')}"
            for i, (row, unit) in enumerate(zip(rows, units, strict=True))
        ),
    }
    province = {
        language: ("、" if language == "zh" else ", ").join(
            quantity(row.reference, unit, language) for row, unit in zip(rows, units, strict=True)
        )
        for language in ("zh", "en")
    }
    shares = [f"{100 * row.ratio:.1f}" for row in rows]
    when, then = str(rows[0].suzhou_date), str(rows[0].reference_date)
    each = "分别" if len(rows) > 1 else ""
    text = Text(
        f"本市{date_text(when, 'zh')}的{city['zh']}，{each}相当于全省{date_text(then, 'zh')}"
        f"标准（{province['zh']}）的{'%和'.join(shares)}%；两者并非同期，全省为其后的标准。",
        f"In {when} the city's {city['en']}, {' % and '.join(shares)} % of the province's "
        f"standard{'s' * (len(rows) > 1)} for {then} ({province['en']}); the dates differ, the "
        "province's being the later.",
    )
    chapter = str(rows[0].chapter)
    return Finding(text, chapter, section_label(chapter, "analysis"))


def province_finding(comparisons: pd.DataFrame, series: pd.DataFrame) -> Finding | None:
    """Suzhou's standards against the province's: where they stood at the base and where the
    city's own pace takes them by the plan's end (a projection, labelled so)."""
    if comparisons.empty:
        return None
    base = comparisons[
        (comparisons["suzhou_basis"] == "stated") & (comparisons["reference_basis"] == "stated")
    ]
    ahead = comparisons[
        (comparisons["suzhou_basis"] == "projected") & (comparisons["reference_basis"] == "stated")
    ]
    if base.empty or ahead.empty or not (base["ratio"] < 1).all():
        return None
    names = series.set_index("series_id")
    low = ahead.loc[ahead["ratio"].idxmin()]
    row = names.loc[low["suzhou_series"]]
    start = date_text(str(base["suzhou_date"].iloc[0]), "zh")
    share = Text.made_by(lambda language: f"{100 * low['ratio']:.1f}")
    lowest = Text(_name(row, "zh"), _name(row, "en"))
    text = Text(
        f"{start}，本市{len(base)}项救助标准全部低于全省，为全省标准的"
        f"{100 * base['ratio'].min():.1f}%至{100 * base['ratio'].max():.1f}%；按本市2020年以来的"
        f"增速预测，到规划期末{lowest.zh}只及全省{date_text(str(low['reference_date']), 'zh')}"
        f"标准的{share.zh}%。",
        f"In {base['suzhou_date'].iloc[0]} each of the city's {len(base)} assistance standards was "
        f"below the province's, at {100 * base['ratio'].min():.1f} % to "
        f"{100 * base['ratio'].max():.1f} % of it; at the city's pace since 2020, {lowest.en} "
        f"is projected to reach only {share.en} % of the province's standard for "
        f"{low['reference_date']} by the end of the plan.",
    )
    chapter = str(low["chapter"])
    return Finding(text, chapter, section_label(chapter, "analysis"))
