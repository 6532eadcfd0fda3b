"""The chart blocks of the book's pages. Kept apart from `analysis.book.blocks` so that chapters
without a chart do not pay for importing matplotlib and seaborn (about 1.5 s a kernel).

Each chart is drawn once per edition: its title and source line in the edition's language.
"""

from __future__ import annotations

from analysis.book import charts
from analysis.book.blocks import KEY_INDICATORS_SECTION, chapter_sections, key_indicators
from analysis.book.context import ChapterContext, show_figure
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
    year = context.target_year
    title = Text(
        f"{context.chapter.title_zh}：变化趋势及至{year}年的预测",
        f"{context.chapter.title_en}: trends and projection to {year}",
    )

    def figure(language: Language):
        return charts.trajectory_grid(
            observations,
            with_trend,
            context.parameters,
            title[language],
            source=charts.source_text(observations, with_trend["series_id"], language=language),
            language=language,
        )

    data = observations[observations["series_id"].isin(with_trend["series_id"])]
    show_figure(context, figure, data, "trends", chapter_sections(context))


def show_latest_values(context: ChapterContext) -> None:
    """Bars of the latest value of every count in the chapter."""
    kind = context.assessment["series_id"].map(
        context.dataset.series.set_index("series_id")["kind"]
    )
    counts = context.assessment[(context.assessment["n_points"] > 0) & (kind == "count")]
    if counts.empty:
        return  # nothing to draw: the section is left out of the page
    title = Text(
        f"{context.chapter.title_zh}：各数量指标的最新值",
        f"{context.chapter.title_en}: the latest counts",
    )

    def figure(language: Language):
        return charts.latest_values_bars(
            counts,
            title[language],
            source=charts.source_text(
                context.observations(), counts["series_id"], language=language
            ),
            language=language,
        )

    show_figure(
        context,
        figure,
        counts[["series_id", "name_zh", "name_en", "unit", "latest_date", "latest_value"]],
        "latest_counts",
        chapter_sections(context),
        computed=False,
    )


def show_progress_chart(context: ChapterContext) -> None:
    rows = key_indicators(context)
    title = Text(
        "主要目标指标：任务完成进度与时间进度", "Progress made vs. time elapsed: the key indicators"
    )
    note = Text("目标：见下表所列出处", "targets: their sources (table below)")

    def figure(language: Language):
        return charts.progress_vs_time(
            rows,
            title[language],
            source=charts.source_text(context.observations(), rows["series_id"], note, language),
        )

    columns = ["headline", "series_id", "name_zh", "target_value", "task_share", "time_share"]
    show_figure(context, figure, rows[columns], "progress_vs_time", KEY_INDICATORS_SECTION)


def show_status_tiles(context: ChapterContext) -> None:
    rows = key_indicators(context)
    note = Text("进展状态：本书采用的三种方法", "status by the three methods of this book")

    def figure(language: Language):
        return charts.status_dashboard(
            rows,
            source=charts.source_text(context.observations(), rows["series_id"], note, language),
            title=Text("主要目标指标：三种方法的进展评估", "Progress status by method")[language],
        )

    columns = ["headline", "series_id", "name_zh", "category", "unsd_category", "midterm_label"]
    show_figure(context, figure, rows[columns], "key_indicator_status", KEY_INDICATORS_SECTION)
