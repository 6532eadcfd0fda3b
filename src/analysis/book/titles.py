"""Titles that state what a table or chart shows, counted from the rows it shows ("of the 15
series that can be assessed, 5 have achieved their target"), not only its topic. Each function
takes the rows the block shows and returns the title in both languages."""

from __future__ import annotations

import pandas as pd

from analysis.core.language import Language, Text
from analysis.methods.progress import TARGET_ACHIEVED, label


def tally(codes: pd.Series, language: Language) -> str:
    """Status codes counted, the most frequent first: '9项无目标·增长较快、5项已实现目标' or
    'no target: fast growth for 9, target achieved for 5'."""
    counts = codes.dropna().value_counts(sort=False)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    if language == "zh":
        return "、".join(f"{n}项{label(code, 'zh')}" for code, n in ordered)
    return ", ".join(f"{label(code, 'en').lower()} for {n}" for code, n in ordered)


def counted(*parts: tuple[int, Text]) -> Text:
    """The clauses of a title whose count is not zero, in both languages."""
    shown = [text for count, text in parts if count]
    return Text("".join(t.zh for t in shown), "".join(t.en for t in shown))


def outcomes(values: pd.Series) -> tuple[int, int, int]:
    """How many of a column of check results are True, False, and unknown (None or NA)."""
    known = [bool(v) for v in values if v is not None and v is not pd.NA]
    return sum(known), len(known) - sum(known), len(values) - len(known)


def dashboard_title(rows: pd.DataFrame, assessable: int) -> Text:
    """The key indicators' dashboard: how many series can be assessed, how many a published
    target can confirm, and how many of those the report's figures meet."""
    indicators = rows["headline"].nunique()
    with_target = rows[rows["target_value"].notna()]
    stated = with_target[with_target["n_points"] > 0]
    met = int((stated["category"] == TARGET_ACHIEVED).sum())
    return Text(
        f"{indicators}项主要目标指标的{len(rows)}个数据系列：{assessable}个可评估进展；"
        f"{len(with_target)}个有已公布目标，其中报告数据证实已达标的{met}个",
        f"The {indicators} key indicators' {len(rows)} series: {assessable} can be assessed; "
        f"{len(with_target)} have a published target, and the report's figures show {met} of "
        "them met",
    )


def status_title(
    chapter_zh: str, chapter_en: str, shown: pd.DataFrame, stated: int, year: int
) -> Text:
    """A chapter's status table: its assessable series counted by status, and the year the
    projections reach, when it shows any."""
    n = len(shown)
    projects = "projected_value" in shown and bool(shown["projected_value"].notna().any())
    return Text(
        f"{chapter_zh}：可评估的{n}项指标（本章共{stated}个数据系列）中，"
        f"{tally(shown['category'], 'zh')}" + (f"（预测至{year}年）" if projects else ""),
        f"{chapter_en}: of the {n} series that can be assessed (of {stated}), "
        f"{tally(shown['category'], 'en')}" + (f" (projected to {year})" if projects else ""),
    )


def relations_title(relations: pd.DataFrame) -> Text:
    """The report's rules between series: how many hold on its figures, fail, or cannot be
    checked."""
    yes, no, unknown = outcomes(relations["holds"])
    zh = f"报告所述{len(relations)}条规则：按报告数值{yes}条成立"
    rules = "rule" if len(relations) == 1 else "rules"
    verb = "holds" if yes == 1 else "hold"
    en = f"The report's {len(relations)} {rules}: {yes} {verb} on its figures"
    extra = counted(
        (no, Text(f"，{no}条不成立", f", {no} fail")),
        (
            unknown,
            Text(
                f"，{unknown}条因缺少数值无法核验",
                f", {unknown} cannot be checked for want of a figure",
            ),
        ),
    )
    return Text(zh + extra.zh, en + extra.en)


def audit_title(chapter_zh: str, chapter_en: str, open_checks: pd.DataFrame) -> Text:
    """A chapter's failed and unverifiable checks, counted."""
    _, failed, unknown = outcomes(open_checks["passed"])
    parts_zh, parts_en = [], []
    if failed:
        parts_zh.append(f"{failed}处与报告自身不符")
        parts_en.append(f"{failed} where the report disagrees with itself")
    if unknown:
        parts_zh.append(f"{unknown}处无法核验")
        parts_en.append(f"{unknown} that cannot be checked")
    return Text(f"{chapter_zh}：{'，'.join(parts_zh)}", f"{chapter_en}: {' and '.join(parts_en)}")


def progress_title(shown: pd.DataFrame, kinds: list[str]) -> Text:
    """Progress against time: how many of the series with a target have reached it (`kinds`:
    "met", or "bar" for a share of the way, as the chart draws them), and how many of the
    others are ahead of or behind the time elapsed."""
    met = pd.Series([kind == "met" for kind in kinds], index=shown.index)
    bars = shown[~met]
    ahead = int((bars["task_share"] >= bars["time_share"]).sum())
    behind = int((bars["task_share"] < bars["time_share"]).sum())
    zh = f"有已公布目标和数据的{len(shown)}个系列：{int(met.sum())}个已达到目标"
    en = f"The {len(shown)} series with a target and a figure: {int(met.sum())} met it"
    extra = counted(
        (ahead, Text(f"，{ahead}个进度快于时间", f", {ahead} ahead of time")),
        (behind, Text(f"，{behind}个进度落后于时间", f", {behind} behind time")),
    )
    return Text(zh + extra.zh, en + extra.en)


def tiles_title(rows: pd.DataFrame, every: int) -> Text:
    """The status tiles: the assessable key-indicator series counted by the first method's
    status."""
    return Text(
        f"主要目标指标中可评估的{len(rows)}个数据系列（共{every}个），按增速比法："
        f"{tally(rows['category'], 'zh')}",
        f"The {len(rows)} key-indicator series that can be assessed (of {every}), by the growth "
        f"ratio: {tally(rows['category'], 'en')}",
    )


def counts_title(chapter_zh: str, chapter_en: str, counts: pd.DataFrame) -> Text:
    """The count bars: whether any count has more than one date to compare."""
    once = bool((counts["n_points"] == 1).all())
    if once and len(counts) == 1:
        return Text(
            f"{chapter_zh}：唯一的数量指标只有一个时点的数值，无从比较变化",
            f"{chapter_en}: its one count has a figure for one date only, so it shows no change",
        )
    if once:
        return Text(
            f"{chapter_zh}：{len(counts)}项数量指标均只有一个时点的数值，无从比较变化",
            f"{chapter_en}: each of the {len(counts)} counts has a figure for one date only, so "
            "none shows a change",
        )
    return Text(
        f"{chapter_zh}：各数量指标的最新值", f"{chapter_en}: the latest value of each count"
    )
