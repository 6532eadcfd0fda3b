"""The chart blocks of the book's pages. Kept apart from `analysis.book.blocks` so that chapters
without a chart do not pay for importing matplotlib and seaborn (about 1.5 s a kernel).

Each chart is drawn once per edition: its title and source line in the edition's language.
"""

from __future__ import annotations

import pandas as pd

from analysis.book import charts, titles
from analysis.book.blocks import (
    KEY_INDICATORS_SECTION,
    assessable,
    chapter_sections,
    key_indicators,
)
from analysis.book.context import ChapterContext, show_figure, show_table
from analysis.book.tables import date_text, dated, distinct_sections, indicator_name
from analysis.core.language import Language, Text


def show_trajectories(context: ChapterContext) -> None:
    """Observed values, the projection with its band, the required path and the target, for
    exactly the series of the chapter's table that have a trend, with the chapter's parameters
    (as_of, range rule, methods) as the table was assessed with."""
    with_trend = charts.series_with_trend(context.assessment)
    # Provincial and national references are compared in the chapter's tables, not drawn as
    # trends of their own beside the city's (they have no projection and no status).
    kind = with_trend["series_id"].map(context.dataset.series.set_index("series_id")["kind"])
    with_trend = with_trend[(kind != "reference").to_numpy()]
    if with_trend.empty:
        return  # nothing to draw: the section is left out of the page
    observations = context.observations()
    title = trends_title(with_trend, context.target_year)

    def figure(language: Language):
        return charts.trajectory_grid(
            observations,
            with_trend,
            context.parameters,
            title[language],
            source=charts.source_text(
                observations,
                with_trend["series_id"],
                language=language,
                hollow=True,
                computed=projects(with_trend),
            ),
            language=language,
        )

    data = observations[observations["series_id"].isin(with_trend["series_id"])]
    alt = trends_alt(context, with_trend)
    show_figure(context, figure, data, "trends", chapter_sections(context), alt=alt)


def change_words(ratio: float) -> Text:
    """A change from base to latest as a reader says it: a multiple from twice on, else a
    percentage."""
    if ratio >= 2:
        return Text(f"增至{ratio:.1f}倍", f"rose {ratio:.1f}-fold")
    change = 100 * (ratio - 1)
    if change >= 0:
        return Text(f"提高{change:.1f}%", f"rose {change:.1f} %")
    return Text(f"下降{-change:.1f}%", f"fell {-change:.1f} %")


def trend_takeaway(rows: pd.DataFrame) -> Text | None:
    """What a trend chart shows, as its title: the fastest and the slowest change between the
    base and the latest figure (series with a positive base); None when there is nothing to
    compare."""
    rows = rows[(rows["base_value"] > 0) & rows["latest_value"].notna()]
    if rows.empty:
        return None
    ratio = rows["latest_value"] / rows["base_value"]
    fastest, slowest = rows.loc[ratio.idxmax()], rows.loc[ratio.idxmin()]
    periods = set(zip(rows["base_date"].astype(str), rows["latest_date"].astype(str), strict=True))
    start, end = (str(fastest["base_date"]), str(fastest["latest_date"]))
    when = Text(f"{date_text(start, 'zh')}至{date_text(end, 'zh')}，", f"From {start} to {end}, ")
    if len(periods) > 1:
        when = Text("", "")
    first = change_words(float(ratio.max()))
    text = Text(
        f"{when.zh}{fastest['name_zh']}{first.zh}",
        f"{when.en}{'the ' if when.en else 'The '}{fastest['name_en'].lower()} {first.en}",
    )
    if fastest["series_id"] == slowest["series_id"]:
        return text
    last = change_words(float(ratio.min()))
    only = (ratio.min() - 1) * 5 < ratio.max() - 1
    return Text(
        f"{text.zh}，{slowest['name_zh']}{'只' if only else ''}{last.zh}",
        f"{text.en}; the {slowest['name_en'].lower()} {'only ' if only else ''}{last.en}",
    )


def projects(rows: pd.DataFrame) -> bool:
    """Whether a trend chart of `rows` draws a projection (a series whose figures are less
    than a year apart has none: `analysis.methods.assessment.MIN_SPAN_YEARS`)."""
    return bool(rows["projected_value"].notna().any())


def trends_title(rows: pd.DataFrame, year: int) -> Text:
    """The takeaway of a trend chart, and on a line of its own what it draws."""
    projected = projects(rows)
    takeaway = trend_takeaway(rows)
    if takeaway is None:
        if projected:
            return Text(f"变化趋势及至{year}年的预测", f"Trends and projection to {year}")
        return Text("变化趋势（不作预测）", "Trends (no projection)")
    if projected:
        what = Text(f"观测值及至{year}年的预测", f"Observed, and projected to {year}")
    else:
        what = Text("观测值（不作预测）", "Observed (no projection)")
    return Text(f"{takeaway.zh}\n{what.zh}", f"{takeaway.en}\n{what.en}")


def plural(n: int, noun: str) -> str:
    """ "1 count", "6 counts": an English noun with its number."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def names(rows: pd.DataFrame, language: Language) -> str:
    """The series' names in the edition's language, as a list in running text."""
    column = "name_zh" if language == "zh" else "name_en"
    return ("、" if language == "zh" else "; ").join(rows[column].astype(str))


def trends_alt(context: ChapterContext, rows: pd.DataFrame) -> Text:
    """What the trend chart shows, for a reader who cannot see it."""
    n, year = len(rows), context.target_year
    drawn = (
        Text(
            f"观测值、至{year}年的预测（及其情景区间）",
            f"the observed values, the projection to {year} (with its scenario band)",
        )
        if projects(rows)
        else Text("观测值（不作预测）", "the observed values (no projection)")
    )
    return Text(
        f"折线图，共{n}幅小图，每项指标一幅，纵轴从零开始：{drawn.zh}和目标（如有）。"
        f"指标：{names(rows, 'zh')}。",
        f"Line charts, {n} small panels, one per series, each value axis from zero: "
        f"{drawn.en} and the target where there is one. Series: {names(rows, 'en')}.",
    )


def chapter_counts(context: ChapterContext) -> pd.DataFrame:
    """The chapter's results of the series of kind count with at least one figure."""
    kind = context.assessment["series_id"].map(
        context.dataset.series.set_index("series_id")["kind"]
    )
    return context.assessment[(context.assessment["n_points"] > 0) & (kind == "count")]


COUNT_HEADERS = {"name": Text("指标", "Series"), "latest": Text("最新值", "Latest value")}
COUNT_COLUMNS = ["series_id", "name_zh", "name_en", "unit", "latest_date", "latest_value"]


def show_latest_values(context: ChapterContext) -> None:
    """Bars of the latest value of every count in the chapter; a chapter with one count shows
    it in a line of a table (one bar would say nothing more than its number)."""
    counts = chapter_counts(context)
    if counts.empty:
        return  # nothing to draw: the section is left out of the page
    title = titles.counts_title(context.chapter.title_zh, context.chapter.title_en, counts)
    if len(counts) == 1:
        show_one_count(context, counts, title)
        return

    def figure(language: Language):
        return charts.latest_values_bars(
            counts,
            title[language],
            source=charts.source_text(
                context.observations(), counts["series_id"], language=language, computed=False
            ),
            language=language,
            observations=context.observations(),
        )

    counted = charts.count_like(counts)
    units = [unit for unit, _ in charts.count_groups(counted)]
    alt = Text(
        f"条形图：本章{len(counted)}项数量指标的最新值，按单位分为{len(units)}组，"
        f"每组一个从零开始的横轴（{'、'.join(units)}）。",
        f"Bar charts: the latest value of the chapter's {plural(len(counted), 'count')}, "
        f"in {plural(len(units), 'panel')} by measure word, each on an axis from zero; "
        "each value names what it counts.",
    )
    show_figure(
        context,
        figure,
        counts[COUNT_COLUMNS],
        "latest_counts",
        chapter_sections(context),
        computed=False,
        alt=alt,
    )


def show_one_count(context: ChapterContext, counts: pd.DataFrame, title: Text) -> None:
    """A chapter's one count as a line of a table: its name, its value as the report states
    it and its date, with the sections of that figure alone."""
    observations = context.observations()

    def table(language: Language) -> pd.DataFrame:
        rows = [
            {
                COUNT_HEADERS["name"][language]: indicator_name(row, language),
                COUNT_HEADERS["latest"][language]: dated(row, "latest", language, observations),
            }
            for row in counts.to_dict(orient="records")
        ]
        return pd.DataFrame(rows, columns=[h[language] for h in COUNT_HEADERS.values()])

    stated = observations[observations["series_id"].isin(counts["series_id"])]
    show_table(
        context,
        table,
        counts[COUNT_COLUMNS],
        "latest_counts",
        title,
        distinct_sections(stated["section"]),
        computed=False,
    )


def show_progress_chart(context: ChapterContext) -> None:
    rows = key_indicators(context)
    drawn = rows[charts.shown_in_progress(rows.reset_index(drop=True))]
    title = titles.progress_title(drawn, [charts.progress_kind(row) for _, row in drawn.iterrows()])
    note = Text(
        "目标出处见本章“已公布的目标”一节", "targets: sources in the section The published targets"
    )

    def figure(language: Language):
        return charts.progress_vs_time(
            rows,
            title[language],
            # the sections of the series drawn, not of the 23 left out
            source=charts.source_text(context.observations(), drawn["series_id"], note, language),
            params=context.parameters,
            language=language,
        )

    left_out = Text.made_by(lambda language: charts.left_out_of_progress(rows, language))
    alt = Text(
        f"条形图：{len(drawn)}项主要目标指标距目标已走过的路程与时间进度（虚线）对比；"
        f"{left_out.zh}。指标：{names(drawn, 'zh')}。",
        f"Bar chart: the share of the way to the target covered by {len(drawn)} key "
        f"indicators, against the time elapsed (dashed line); {left_out.en}. "
        f"Series: {names(drawn, 'en')}.",
    )
    columns = ["headline", "series_id", "name_zh", "target_value", "task_share", "time_share"]
    show_figure(context, figure, rows[columns], "progress_vs_time", KEY_INDICATORS_SECTION, alt=alt)


def show_status_tiles(context: ChapterContext) -> None:
    """The three methods' status of the key indicators' series that can be assessed (a trend
    or a published target); the title says how many of all they are."""
    every = key_indicators(context)
    rows = every[every["series_id"].isin(assessable(context)["series_id"])]
    if rows.empty:
        return
    note = Text("进展状态：本书采用的三种方法", "status by the three methods of this book")
    title = titles.tiles_title(rows, len(every))

    def figure(language: Language):
        return charts.status_dashboard(
            rows,
            source=charts.source_text(context.observations(), rows["series_id"], note, language),
            title=title[language],
            language=language,
        )

    alt = Text(
        f"色块图：主要目标指标中可评估的{len(rows)}个数据系列（共{len(every)}个），每个三个色块，"
        "分别为三种方法的进展评估（进展类别、预测值比率、时间过半任务过半）；"
        "数据见图下的下载文件。",
        f"Coloured tiles: the {len(rows)} key-indicator series that can be assessed (of "
        f"{len(every)}), three tiles each, the status by the three methods (progress "
        "category, projected ratio, mid-term test); the data are in the download under it.",
    )
    columns = ["headline", "series_id", "name_zh", "category", "unsd_category", "midterm_label"]
    show_figure(
        context, figure, rows[columns], "key_indicator_status", KEY_INDICATORS_SECTION, alt=alt
    )
