"""The chart blocks of the book's pages. Kept apart from `analysis.book.blocks` so that chapters
without a chart do not pay for importing matplotlib and seaborn (about 1.5 s a kernel)."""

from __future__ import annotations

from analysis.book import charts
from analysis.book.blocks import KEY_INDICATORS_SECTION, chapter_sections, key_indicators
from analysis.book.context import ChapterContext, show_figure, show_markdown


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
        show_markdown(
            "No series of this chapter has two figures at different dates: the report gives "
            "one mid-term figure for each, so there is no trend to draw or project."
        )
        return
    observations = context.observations()
    figure = charts.trajectory_grid(
        observations,
        with_trend,
        context.parameters,
        f"{context.chapter.title_en} · {context.chapter.title_zh}: trends and projection to "
        f"{context.target_year}",
        source=charts.source_text(observations, with_trend["series_id"]),
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
        show_markdown("This chapter has no counts to compare.")
        return
    figure = charts.latest_values_bars(
        counts,
        f"{context.chapter.title_en}: the latest counts",
        source=charts.source_text(context.observations(), counts["series_id"]),
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
    figure = charts.progress_vs_time(
        rows,
        "Progress made vs. time elapsed: the key indicators",
        source=charts.source_text(
            context.observations(), rows["series_id"], "targets: their sources (table below)"
        ),
    )
    columns = ["headline", "series_id", "name_zh", "target_value", "task_share", "time_share"]
    show_figure(context, figure, rows[columns], "progress_vs_time", KEY_INDICATORS_SECTION)


def show_status_tiles(context: ChapterContext) -> None:
    rows = key_indicators(context)
    figure = charts.status_dashboard(
        rows,
        source=charts.source_text(
            context.observations(), rows["series_id"], "status by the three methods of this book"
        ),
    )
    columns = ["headline", "series_id", "name_zh", "category", "unsd_category", "midterm_label"]
    show_figure(context, figure, rows[columns], "key_indicator_status", KEY_INDICATORS_SECTION)
