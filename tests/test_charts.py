"""The charts, drawn on the real data: no missing glyph, labels, source line, panels, bands."""

from __future__ import annotations

import html
import itertools
import re
import warnings
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from PIL import Image

from analysis.book import charts
from analysis.book.chart_blocks import chapter_counts
from analysis.core.dates import fractional_year
from analysis.core.language import Language
from analysis.inputs.chapters import DOMAIN_CHAPTERS
from analysis.inputs.dataset import load_dataset
from analysis.inputs.parameters import Parameters
from analysis.methods import progress
from analysis.methods.assessment import assess

PROJECT = Path(__file__).resolve().parents[1]
GLYPH_WORDS = ("missing from font", "Glyph")
NAN = float("nan")


@pytest.fixture(scope="module")
def real() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(observations, series, assessment with the default parameters) of the project's data."""
    ds = load_dataset(PROJECT)
    return ds.observations, ds.series, assess(ds.observations, ds.series, ds.targets, Parameters())


def selection(assessment: pd.DataFrame, name: str) -> pd.DataFrame:
    if name == "social_assistance":
        return assessment[assessment["domain"] == "social_assistance"]
    rows = assessment[assessment["headline"].notna()]
    return rows.sort_values("headline", kind="stable")


def make_chart(
    kind: str,
    observations: pd.DataFrame,
    rows: pd.DataFrame,
    source: str,
    language: Language = "en",
) -> Figure:
    if kind == "trajectory_grid":
        return charts.trajectory_grid(
            observations, rows, Parameters(), "Trajectories 轨迹", source, language=language
        )
    if kind == "progress_vs_time":
        title = "Progress vs time 时间过半、任务过半"
        return charts.progress_vs_time(rows, title, source, language=language)
    if kind == "status_dashboard":
        return charts.status_dashboard(rows, source, language=language)
    return charts.latest_values_bars(rows, "Latest values 最新数值", source, language)


def render(make: Callable[[], Figure]) -> tuple[Figure, list[str], bytes]:
    """Build, draw and save a figure, recording every warning on the way."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = make()
        fig.canvas.draw()
        buffer = BytesIO()
        fig.savefig(buffer, format="png")
    return fig, [str(w.message) for w in caught], buffer.getvalue()


def glyph_warnings(messages: list[str]) -> list[str]:
    return [m for m in messages if any(word in m for word in GLYPH_WORDS)]


def source_artists(fig: Figure) -> list:
    return [t for t in fig.texts if t.get_gid() == charts.SOURCE_GID]


def squeeze(text: str) -> str:
    return "".join(text.split())


KINDS = ("trajectory_grid", "progress_vs_time", "status_dashboard", "latest_values_bars")
SELECTIONS = ("social_assistance", "headline")


@pytest.mark.parametrize("name", SELECTIONS)
@pytest.mark.parametrize("kind", KINDS)
def test_chart_renders_real_data_without_missing_glyphs(real, kind, name):
    observations, _, assessment = real
    rows = selection(assessment, name)
    source = charts.source_text(observations, rows["series_id"])
    fig, messages, png = render(lambda: make_chart(kind, observations, rows, source))
    assert png.startswith(b"\x89PNG")
    assert glyph_warnings(messages) == []
    assert messages == []  # nothing else either: charts never hide a warning
    if kind == "progress_vs_time" and name == "social_assistance":
        # no series of the chapter has a published target: a message says so
        assert not fig.axes and any("no series with a target" in t.get_text() for t in fig.texts)
    else:
        assert fig.axes, "real data always gives something to draw"
    for ax in fig.axes:
        if kind != "status_dashboard":  # tiles: headings instead of axes
            assert ax.get_ylabel().strip() or ax.get_xlabel().strip(), ax.get_gid()
    (artist,) = source_artists(fig)
    assert squeeze(artist.get_text()) == squeeze(source)
    assert "宿州市民政局" in source and "this book" in source


@pytest.mark.parametrize("kind", KINDS)
def test_chart_without_the_cjk_font_warns_about_missing_glyphs(real, kind):
    """The glyph check can fail: with DejaVu Sans alone the same chart lacks Chinese glyphs."""
    observations, _, assessment = real
    rows = selection(assessment, "headline")
    source = charts.source_text(observations, rows["series_id"])
    fig = make_chart(kind, observations, rows, source, language="zh")
    # a new canvas: text measured while the chart was made (with the CJK font) is measured anew
    FigureCanvasAgg(fig)
    with mpl.rc_context({"font.sans-serif": ["DejaVu Sans"]}):
        _, messages, _ = render(lambda: fig)
    assert glyph_warnings(messages)


def test_chinese_text_needs_the_cjk_font():
    charts.use_book_style()

    def chinese() -> Figure:
        fig = Figure()
        fig.text(0.1, 0.5, "城市最低生活保障标准 元/人·月 −5")
        return fig

    _, with_font, _ = render(chinese)
    assert glyph_warnings(with_font) == []
    with mpl.rc_context({"font.sans-serif": ["DejaVu Sans"]}):
        _, without, _ = render(chinese)
    assert glyph_warnings(without)


def test_charts_draw_with_the_books_cjk_font_whatever_else_is_installed(monkeypatch) -> None:
    """Another font of the same name listed first (a system's Noto Sans CJK SC, of other
    metrics) is not the one the charts draw with: the same chart has the same size on every
    machine."""
    import dataclasses

    from matplotlib import font_manager

    manager = font_manager.fontManager
    charts.use_book_style()
    ours = charts.cjk_font_path()
    entry = next(font for font in manager.ttflist if Path(font.fname) == ours)
    impostor = dataclasses.replace(entry, fname="/usr/share/fonts/other/NotoSansCJK-Regular.ttc")
    monkeypatch.setattr(manager, "ttflist", [impostor, *manager.ttflist])
    manager._findfont_cached.cache_clear()  # what it found before the impostor came first
    charts.use_book_style()
    found = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    assert Path(found) == ours


@pytest.mark.parametrize("kind", KINDS)
def test_source_line_sits_below_everything_else(real, kind):
    observations, _, assessment = real
    rows = selection(assessment, "social_assistance")
    source = charts.source_text(observations, rows["series_id"])
    fig, _, _ = render(lambda: make_chart(kind, observations, rows, source))
    renderer = fig.canvas.get_renderer()
    (artist,) = source_artists(fig)
    box = artist.get_window_extent(renderer)
    assert box.x0 >= 0 and box.x1 <= fig.bbox.width, "the source line is cut off"
    above = [ax.get_tightbbox(renderer) for ax in fig.axes] + [
        legend.get_window_extent(renderer) for legend in fig.legends
    ]
    for other in above:
        assert other.y0 >= box.y1 - 0.5, "the source line overlaps the chart"


def expected_panels(observations: pd.DataFrame, series_ids) -> set[str]:
    """Series with numeric observations at two or more dates, counted from the raw rows."""
    numeric = observations[
        observations["value"].notna()
        | observations["value_low"].notna()
        | observations["value_high"].notna()
    ]
    dates = numeric.groupby("series_id")["t"].nunique()
    return set(dates.index[dates >= 2]) & set(series_ids)


@pytest.mark.parametrize("name", SELECTIONS)
def test_one_trajectory_panel_per_series_with_two_points(real, name):
    observations, _, assessment = real
    rows = selection(assessment, name)
    fig, _, _ = render(lambda: make_chart("trajectory_grid", observations, rows, "Source: x"))
    expected = expected_panels(observations, rows["series_id"])
    assert len(expected) >= 2
    assert len(fig.axes) == len(expected)
    assert {ax.get_gid() for ax in fig.axes} == expected
    units = rows.set_index("series_id")["unit"]
    for ax in fig.axes:
        assert ax.get_ylabel() == units[ax.get_gid()].en  # the English edition's unit
        assert ax.get_xlabel() == "Year (ticks at year end)"
        assert all(float(t).is_integer() for t in ax.get_xticks())
        title = ax.get_title(loc="left")
        row = rows.set_index("series_id").loc[ax.get_gid()]
        assert title.endswith(row["name_zh"]) and title.startswith(row["name_en"].split()[0])


def lines_by_gid(fig: Figure, prefix: str) -> dict[str, Line2D]:
    found = {}
    for ax in fig.axes:
        for line in ax.get_lines():
            gid = line.get_gid() or ""
            if gid.startswith(prefix):
                found[gid.split(":", 1)[1]] = line
    return found


def test_plan_document_points_are_hollow_and_extrapolations_grey(real):
    observations, series, assessment = real
    rows = selection(assessment, "social_assistance")
    # the chapter draws the city's series; provincial references are compared in its tables
    rows = rows[rows["series_id"].map(series.set_index("series_id")["kind"]) != "reference"]
    fig, _, _ = render(lambda: make_chart("trajectory_grid", observations, rows, "Source: x"))
    hollow = lines_by_gid(fig, "observed-outside:")
    assert set(hollow) == {"dibao_standard_urban", "dibao_standard_rural"}
    for line in hollow.values():
        assert list(line.get_xdata()) == [2015.0]
        assert mpl.colors.to_hex(line.get_markerfacecolor()) == "#ffffff"
    projections = lines_by_gid(fig, "projection:")
    extreme = set(rows.loc[rows["flags"].str.contains("extreme_extrapolation"), "series_id"])
    assert extreme and extreme <= set(projections)
    for sid, line in projections.items():
        grey = mpl.colors.to_hex(line.get_color()) == charts.EXTRAPOLATION_COLOUR
        assert grey == (sid in extreme), sid
    for ax in fig.axes:
        notes = " ".join(t.get_text() for t in ax.texts)
        assert (charts.EXTRAPOLATION_NOTE in notes) == (ax.get_gid() in extreme)


def band_tops(fig: Figure) -> dict[str, float]:
    """Highest y of each drawn projection band, read back from the artists."""
    tops = {}
    for ax in fig.axes:
        for artist in ax.collections:
            gid = artist.get_gid() or ""
            if gid.startswith("band:") and isinstance(artist, PolyCollection):
                ys = np.concatenate([path.vertices[:, 1] for path in artist.get_paths()])
                tops[gid.split(":", 1)[1]] = float(ys.max())
    return tops


def synthetic() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A percentage close to its bound of 100, a count behind schedule, a range, a falling rate."""
    rows = [
        *[("rate_a", str(2019 + i), v, NAN, NAN) for i, v in enumerate([90, 93, 95.5, 97, 98.6])],
        ("count_b", "2020", 100.0, NAN, NAN),
        ("count_b", "2022", 120.0, NAN, NAN),
        ("count_b", "2023", 130.0, NAN, NAN),
        ("range_c", "2020", NAN, 10.0, 14.0),
        ("range_c", "2023", NAN, 15.0, 20.0),
        *[("down_d", str(2020 + i), v, NAN, NAN) for i, v in enumerate([50, 47, 45, 41])],
        ("single_e", "2023", 7.0, NAN, NAN),
    ]
    observations = pd.DataFrame(
        [
            {
                "series_id": sid,
                "date": date,
                "t": fractional_year(date),
                "value": value,
                "value_low": low,
                "value_high": high,
                "qualifier": "",
                "section": "二.(一).1",
                "quote": "",
                "source": "report",
                "note": "",
            }
            for sid, date, value, low, high in rows
        ]
    )
    series = pd.DataFrame(
        {
            "series_id": ["rate_a", "count_b", "range_c", "down_d", "single_e"],
            "domain": "test",
            "headline": pd.array([1, 2, pd.NA, 4, 5], dtype="Int64"),
            "name_zh": ["测试覆盖率", "养老机构数量", "每百户面积", "事故发生率", "单点指标"],
            "name_en": ["Test coverage", "Institutions", "Area per 100", "Accident rate", "One"],
            "unit": ["%", "个", "平方米/百户", "%", "个"],
            "direction": ["up", "up", "up", "down", "up"],
            "bound": [100.0, NAN, NAN, 100.0, NAN],
            "kind": ["rate", "count", "standard", "rate", "count"],
            "report_verdict": None,
        }
    )
    targets = pd.DataFrame(
        {
            "series_id": ["rate_a", "count_b", "down_d", "single_e"],
            "target_year": [2025, 2025, 2025, 2025],
            "comparator": [">=", ">=", "<=", ">="],
            "value": [99.9, 200.0, 30.0, 10.0],
            "source": "plan",
        }
    )
    return observations, series, targets


@pytest.mark.parametrize("method", ["ols", "linear"])
def test_bounded_band_never_exceeds_the_bound(method):
    observations, series, targets = synthetic()
    params = Parameters(series_methods={"rate_a": method, "down_d": method})
    assessment = assess(observations, series, targets, params)
    fig, messages, _ = render(
        lambda: charts.trajectory_grid(observations, assessment, params, "Synthetic", "Source: x")
    )
    assert glyph_warnings(messages) == []
    tops = band_tops(fig)
    assert {"rate_a", "down_d"} <= set(tops)
    bounded = series.loc[series["bound"].notna(), "series_id"]
    for sid in bounded:
        assert tops[sid] <= 100.0
    # The book's real bounded series obey the same rule wherever a band is drawn.
    projections = lines_by_gid(fig, "projection:")
    assert max(projections["rate_a"].get_ydata()) <= 100.0


def test_target_required_path_and_range_are_drawn():
    observations, series, targets = synthetic()
    params = Parameters(series_methods={"rate_a": "ols"})
    assessment = assess(observations, series, targets, params)
    fig, _, _ = render(
        lambda: charts.trajectory_grid(observations, assessment, params, "Synthetic", "Source: x")
    )
    assert {ax.get_gid() for ax in fig.axes} == {"rate_a", "count_b", "range_c", "down_d"}
    stars = lines_by_gid(fig, "target:")
    assert list(stars["count_b"].get_xydata()[0]) == [2025.0, 200.0]
    required = lines_by_gid(fig, "required:")
    assert list(required["count_b"].get_xdata()) == [2020.0, 2025.0]
    assert list(required["count_b"].get_ydata()) == [100.0, 200.0]
    assert "range_c" not in stars and "range_c" not in required
    ranged = [c for ax in fig.axes for c in ax.collections if c.get_gid() == "range:range_c"]
    assert ranged  # the error bars of the two ranges
    observed = lines_by_gid(fig, "observed:")
    assert list(observed["range_c"].get_ydata()) == [12.0, 17.5]


def test_progress_bars_are_task_shares_and_the_line_is_the_time_share():
    observations, series, targets = synthetic()
    assessment = assess(observations, series, targets, Parameters())
    fig, _, _ = render(lambda: charts.progress_vs_time(assessment, "Synthetic", "Source: x"))
    (ax,) = fig.axes
    # shown: the rows with a target and a task share (rate_a, count_b, down_d); range_c has no
    # target and single_e one observation: left out, and the title says how many
    shown = assessment[assessment["target_value"].notna() & assessment["task_share"].notna()]
    assert len(shown) == 3
    bars = {
        round(p.get_y() + p.get_height() / 2): p.get_width()
        for p in ax.patches
        if (p.get_gid() or "").startswith("bar:")
    }
    assert sorted(bars) == [0, 1, 2]
    for i, (_, row) in enumerate(shown.iterrows()):
        assert bars[i] == pytest.approx(row["task_share"] * 100)
    (line,) = [x for x in ax.get_lines() if x.get_gid() == "time_share"]
    assert line.get_xdata()[0] == pytest.approx(60.0)
    assert ax.get_xlabel() == "Share of the way to the 2025 target (%)"
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Test coverage (1)", "Institutions (2)", "Accident rate (4)"]
    assert "2 of 5 left out" in " ".join(ax.get_title(loc="right").split())


def test_the_progress_chart_says_why_each_row_is_left_out():
    """range_c has no target; single_e a target and one observation, so no trend; a row with a
    target and no observation at all has no figure: each counted under its reason."""
    observations, series, targets = synthetic()
    assessment = assess(observations, series, targets, Parameters())
    no_figure = assessment[assessment["series_id"] == "single_e"].assign(
        series_id="none_f", n_points=0
    )
    rows = pd.concat([assessment, no_figure], ignore_index=True)
    assert charts.left_out_of_progress(rows, "en") == (
        "3 of 6 left out: 1 without a numeric target, 1 with a target but no figure in the "
        "report, 1 with a target but no trend"
    )
    assert charts.left_out_of_progress(rows, "zh") == (
        "另有3项（共6项）未列出：1项无量化目标，1项有目标但报告未给出数值，1项有目标但无趋势"
    )
    assert charts.left_out_of_progress(rows, "zh", lines=True).splitlines() == [
        "另有3项（共6项）未列出：",
        "1项无量化目标；",
        "1项有目标但报告未给出数值；",
        "1项有目标但无趋势",
    ]
    assert charts.left_out_of_progress(assessment.iloc[:0], "en") == ""


def test_progress_on_key_indicators_shows_only_rows_with_something_to_show(real):
    _, _, assessment = real
    rows = selection(assessment, "headline")
    fig, _, _ = render(lambda: charts.progress_vs_time(rows, "Key", "Source: x", language="zh"))
    (ax,) = fig.axes
    met = [p for p in ax.patches if p.get_gid() == "bar:met"]
    achieved = rows["target_value"].notna() & (
        (rows["category"] == progress.TARGET_ACHIEVED)
        | (rows["midterm_label"] == progress.ACHIEVED_EARLY)
    )
    in_progress = rows["target_value"].notna() & rows["task_share"].notna() & ~achieved
    assert len(met) == int(achieved.sum()) > 0
    assert len(ax.get_yticks()) == int(achieved.sum() + in_progress.sum()) < len(rows)
    left = len(rows) - int(achieved.sum() + in_progress.sum())
    assert f"另有{left}项（共{len(rows)}项）" in squeeze(ax.get_title(loc="right"))
    # the subtitle stays inside the figure (it ran past the right edge: "…无趋势，[未]列出")
    fig.canvas.draw()
    # (matplotlib keeps a right-aligned title's Text as _right_title: no public accessor)
    box = ax._right_title.get_window_extent(fig.canvas.get_renderer())
    assert box.x0 >= 0 and box.x1 <= fig.bbox.width
    # No key indicator with a target has two points, so the data carry no time share: it is
    # computed from the latest date (2023) in the plan period 2020-2025.
    (line,) = [x for x in ax.get_lines() if x.get_gid() == "time_share"]
    assert line.get_xdata()[0] == pytest.approx(60.0)
    assert ax.get_xlabel() == "距2025年目标已走过的路程（%）"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_dashboard_has_a_coloured_labelled_tile_per_series_and_method(real, language):
    _, _, assessment = real
    rows = selection(assessment, "headline")
    fig, _, _ = render(lambda: charts.status_dashboard(rows, "Source: x", language=language))
    (ax,) = fig.axes
    tiles = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(tiles) == 3 * len(rows)
    texts = [squeeze(t.get_text()) for t in ax.texts]
    achieved = squeeze(progress.label(progress.TARGET_ACHIEVED, language))
    assert achieved in texts
    other = "en" if language == "zh" else "zh"
    assert squeeze(progress.label(progress.TARGET_ACHIEVED, other)) not in texts
    achieved_tiles = [t for t in tiles if t.get_gid() == f"tile:{progress.TARGET_ACHIEVED}"]
    expected = mpl.colors.to_rgba(charts.status_colours(progress.TARGET_ACHIEVED)[0])
    assert achieved_tiles and all(t.get_facecolor() == expected for t in achieved_tiles)


def test_status_colours_group_the_categories():
    green_blue = {progress.TARGET_ACHIEVED, progress.ON_TRACK, progress.AHEAD}
    red = {progress.DETERIORATION, progress.LIMITED_PROGRESS, progress.BEHIND}
    grey = {progress.NO_TARGET, progress.INSUFFICIENT_DATA, progress.NOT_ASSESSED, None}
    fills = {code: charts.status_colours(code)[0] for code in green_blue | red | grey}
    assert len({fills[c] for c in grey}) == 1
    assert not {fills[c] for c in grey} & {fills[c] for c in green_blue | red}
    amber = charts.status_colours(progress.ACCELERATION_NEEDED)[0]
    assert amber not in {fills[c] for c in green_blue | red | grey}


def test_growth_without_a_target_is_never_coloured_as_progress_towards_one():
    """无目标·增长较快 (a standard that grew 1.5 % a year or more, with no target to reach) was
    drawn in the green of 按进度推进: a reader took it for progress. Growth without a target has
    colours of its own, and its labels say there is no target."""
    growth = {
        progress.SUBSTANTIAL_PROGRESS,
        progress.MODERATE_PROGRESS,
        progress.GROWTH_ON_TRACK,
        progress.GROWTH_FAIR,
    }
    towards_target = {
        progress.TARGET_ACHIEVED,
        progress.ON_TRACK,
        progress.AHEAD,
        progress.ACCELERATION_NEEDED,
        progress.FAIR_PROGRESS,
        progress.ON_TRACK_OR_MET,
    }
    fills = {code: charts.status_colours(code)[0] for code in growth | towards_target}
    assert not {fills[c] for c in growth} & {fills[c] for c in towards_target}
    assert all(progress.label(code, "zh").startswith("无目标") for code in growth)
    assert all(progress.label(code, "en").startswith("No target") for code in growth)


@pytest.mark.parametrize("domain", ["social_organisations", "elderly_care", "children"])
def test_counts_of_different_units_never_share_an_axis(real, domain):
    """One panel per unit, each linear from zero with its unit in the axis label: people,
    units and person-times are not compared on one (log) axis."""
    _, _, assessment = real
    rows = assessment[assessment["domain"] == domain]
    counted = rows[rows["unit"].isin(charts.COUNT_UNITS) & rows["latest_value"].notna()]
    # 名 counts people as 人 does: one axis of people
    counted = counted.assign(unit=counted["unit"].map(lambda u: charts.SAME_UNIT.get(u, u)))
    units = set(counted["unit"])
    assert len(units) >= 2, domain  # the point of the test: several units in a chapter
    fig, _, _ = render(lambda: charts.latest_values_bars(rows, "C", "S", language="zh"))
    assert len(fig.axes) == len(units)
    seen = set()
    for ax in fig.axes:
        unit = ax.get_gid().removeprefix("unit:")
        seen.add(unit)
        assert ax.get_xscale() == "linear" and ax.get_xlim()[0] == 0
        assert ax.get_xlabel() == f"最新值（{unit}）"
        bars = [p for p in ax.patches if p.get_gid() == "latest"]
        expected = counted.loc[counted["unit"] == unit, "latest_value"]
        assert sorted(p.get_width() for p in bars) == sorted(expected)
        assert max(expected) <= ax.get_xlim()[1]
    assert seen == units
    english = charts.latest_values_bars(rows, "C", "S", language="en")
    assert all(ax.get_xlabel().startswith("Latest value (") for ax in english.axes)


def test_every_count_with_a_value_gets_a_bar(real):
    """The chart's title counts a chapter's counts; each of them has a bar (居家适老化改造,
    counted in 户, had none: 9 counts in the title, 8 bars)."""
    _, series, assessment = real
    kind = assessment["series_id"].map(series.set_index("series_id")["kind"])
    counts = assessment[(kind == "count") & assessment["latest_value"].notna()]
    assert "elderly_home_adaptations" in set(counts["series_id"])
    drawn = charts.latest_values_bars(counts, "C", "S", language="zh")
    bars = sum(1 for ax in drawn.axes for patch in ax.patches if patch.get_gid() == "latest")
    assert bars == len(counts)


def test_no_series_with_a_trend_gives_a_message(real):
    observations, _, assessment = real
    rows = assessment[assessment["n_points"] < 2]
    fig, messages, _ = render(
        lambda: charts.trajectory_grid(observations, rows, Parameters(), "None", "Source: x")
    )
    assert not fig.axes and glyph_warnings(messages) == []
    assert any("no series with a trend" in t.get_text() for t in fig.texts)


def test_use_book_style_is_idempotent():
    charts.use_book_style()
    first = {k: mpl.rcParams[k] for k in ("font.sans-serif", "axes.unicode_minus", "figure.dpi")}
    fonts = len(mpl.font_manager.fontManager.ttflist)
    charts.use_book_style()
    assert {k: mpl.rcParams[k] for k in first} == first
    assert len(mpl.font_manager.fontManager.ttflist) == fonts
    assert first["font.sans-serif"][:2] == ["Noto Sans CJK SC", "DejaVu Sans"]
    assert first["axes.unicode_minus"] is True


def test_source_text_names_sections_and_other_sources(real):
    observations, _, _ = real
    text = charts.source_text(observations, ["dibao_standard_urban"])
    assert "section 一.1" in text
    assert "宿民发〔2022〕86号" in text and text.endswith("this book.")


def test_a_source_line_names_only_what_the_chart_draws_on(real):
    """The disability subsidies' figures all come from the city's 2025 half-year summary: the
    line does not start with the report. A chart of the report's counts computes nothing: the
    line does not claim projections."""
    from analysis.core.report import CITATION, CITATION_ZH

    observations, _, _ = real
    summary = ["disability_living_subsidy_standard"]
    chinese = charts.source_text(observations, summary, None, "zh")
    english = charts.source_text(observations, summary, None, "en")
    assert CITATION_ZH not in chinese and CITATION not in english
    assert "summary of work in the first half of 2025" in english
    counts = ["welfare_lottery_outlets"]
    chinese = charts.source_text(observations, counts, None, "zh", computed=False)
    english = charts.source_text(observations, counts, None, "en", computed=False)
    assert chinese == f"资料来源：{CITATION_ZH}，一.14。"
    assert english == f"Source: {CITATION}, section 一.14."


def test_source_text_speaks_of_hollow_markers_only_for_a_chart_that_draws_them(real):
    observations, _, _ = real
    for language, words in (("en", "hollow markers"), ("zh", "空心点")):
        drawn = charts.source_text(
            observations, ["dibao_standard_urban"], None, language, hollow=True
        )
        bars = charts.source_text(observations, ["dibao_standard_urban"], None, language)
        assert words in drawn and words not in bars
        assert "宿民发〔2022〕86号" in bars


def test_wrap_mixed_keeps_the_text_and_the_width():
    text = charts.source_text() + " 《宿州市“十四五”民政事业发展规划》" * 3
    lines = charts.wrap_mixed(text, 40)
    assert squeeze("".join(lines)) == squeeze(text)
    assert all(charts.display_width(line) <= 40 for line in lines)


def test_a_wrapped_line_never_ends_with_an_opening_mark_nor_breaks_a_section():
    # 16 wide characters and 二.( fill 36 half-em units: the break would fall inside 二.(三).3
    text = "一" * 16 + "二.(三).3、四.5"
    lines = charts.wrap_mixed(text, 36)
    assert lines == ["一" * 16, "二.(三).3、四.5"]
    # 《 never ends a line: it goes down with the title it opens
    lines = charts.wrap_mixed("一" * 17 + "《宿州》", 36)
    assert lines == ["一" * 17, "《宿州》"]
    # a number keeps its measure word: 共28个, not 共28 / 个
    lines = charts.wrap_mixed("一" * 16 + "共28个）", 38)
    assert lines == ["一" * 16 + "共", "28个）"]
    assert not any(line[-1] in charts.NO_LINE_END for line in lines)


def test_a_wrapped_line_never_starts_with_a_closing_punctuation_mark():
    # 20 wide characters fill a line of 40 half-em units; the comma would start the next line
    text = "一" * 20 + "，二二。" + "三" * 19 + "、四"
    lines = charts.wrap_mixed(text, 40)
    assert lines == ["一" * 19, "一，二二。" + "三" * 15, "三" * 4 + "、四"]
    assert not any(line[0] in charts.NO_LINE_START for line in lines)
    assert "".join(lines) == text
    assert all(charts.display_width(line) <= 40 for line in lines)
    # a number stays whole: 10.3% goes down together, not "%，" at a line's start
    title = "2020年至2023年，农村特困对象基本生活标准提高10.3%，城市特困对象基本生活标准只提高1.2%"
    lines = charts.wrap_mixed(title, 50)
    assert lines == [
        "2020年至2023年，农村特困对象基本生活标准提高",
        "10.3%，城市特困对象基本生活标准只提高1.2%",
    ]
    assert all(charts.display_width(line) <= 50 for line in lines)
    # no character alone on the last line: 化 goes down with 变
    lines = charts.wrap_mixed("一" * 24 + "变化", 50)
    assert lines == ["一" * 24, "变化"]


def test_a_chinese_line_breaks_after_a_clause_in_its_second_half():
    # 养老服务：9项数量指标均只给出一个数值， is 37 half-em units, over half of 50: the line
    # ends there rather than inside 无从比较
    lines = charts.wrap_mixed("养老服务：9项数量指标均只给出一个数值，无从比较变化", 50)
    assert lines == ["养老服务：9项数量指标均只给出一个数值，", "无从比较变化"]
    # 儿童福利和未成年人保护： is 24 of 44, over half: not …只有一 / 个时点…
    title = "儿童福利和未成年人保护：6项数量指标均只有一个时点的数值，无从比较变化"
    assert charts.wrap_mixed(title, 44) == [
        "儿童福利和未成年人保护：",
        "6项数量指标均只有一个时点的数值，",
        "无从比较变化",
    ]
    # a clause mark in the first half is too early to end the line: 2020年至2023年， is 16 of
    # 50 (the title of 特困 standards above keeps its first line)


def test_the_chinese_trend_chart_speaks_chinese(real) -> None:
    """Panel titles, notes, axis labels and legend of the Chinese edition's trend chart are
    Chinese (units and numbers aside); the English edition's are English."""
    observations, _, assessment = real
    rows = charts.series_with_trend(selection(assessment, "social_assistance"))
    words: dict[str, list[str]] = {}
    for language in ("zh", "en"):
        fig = charts.trajectory_grid(
            observations, rows, Parameters(), "标题", "Source: x", language=language
        )
        texts = [ax.get_title(loc="left") for ax in fig.axes]
        texts += [ax.get_xlabel() for ax in fig.axes]
        texts += [t.get_text() for ax in fig.axes for t in ax.texts]  # the panel notes
        texts += [t.get_text() for legend in fig.legends for t in legend.get_texts()]
        words[language] = [t for t in texts if t]
    has_chinese = re.compile(r"[\u4e00-\u9fff]")
    assert words["zh"] and all(has_chinese.search(t) for t in words["zh"]), words["zh"]
    english_only = [t for t in words["en"] if not has_chinese.search(t)]
    assert "Year (ticks at year end)" in english_only and "projection" in english_only


def test_value_ticks_are_written_as_each_edition_writes_numbers(real) -> None:
    """Chinese writes 1000 where English writes 1,000 (as the tables do): the urban 特困
    standard of about 1000 元 puts ticks of 1000 and more on its panel."""
    observations, _, assessment = real
    rows = assessment[assessment["series_id"] == "tekun_basic_standard_urban"]
    for language, expected, unexpected in (("zh", "1000", "1,000"), ("en", "1,000", None)):
        fig = charts.trajectory_grid(
            observations, rows, Parameters(), "T", "Source: x", language=language
        )
        fig.canvas.draw()
        ticks = [label.get_text() for label in fig.axes[0].get_yticklabels()]
        assert expected in ticks, ticks
        assert unexpected is None or unexpected not in ticks


def test_the_chinese_count_chart_labels_its_axis_in_chinese(real) -> None:
    _, _, assessment = real
    counts = charts.count_like(assessment[assessment["n_points"] > 0])
    chinese = charts.latest_values_bars(counts, "标题", "资料来源", language="zh")
    english = charts.latest_values_bars(counts, "title", "Source", language="en")
    assert all(ax.get_xlabel().startswith("最新值（") for ax in chinese.axes)
    assert all(ax.get_xlabel().startswith("Latest value (") for ax in english.axes)


# Axes that do not exaggerate, bands that mean something, legends that tell the truth ----------


def social_assistance_trends(real, language: Language = "en") -> tuple[pd.DataFrame, Figure]:
    observations, series, assessment = real
    rows = selection(assessment, "social_assistance")
    rows = rows[rows["series_id"].map(series.set_index("series_id")["kind"]) != "reference"]
    rows = charts.series_with_trend(rows)
    fig, _, _ = render(
        lambda: charts.trajectory_grid(
            observations, rows, Parameters(), "T", "Source: x", language=language
        )
    )
    return rows, fig


def test_standards_are_drawn_on_axes_from_zero(real):
    """The urban 特困 basic standard rose 993 -> 1,005 (1.2 %): on an axis from zero that rise
    takes about 1 % of the axis height, not all of it (as on an axis of 992-1,012)."""
    observations, _, _ = real
    rows, fig = social_assistance_trends(real)
    panels = {ax.get_gid(): ax for ax in fig.axes}
    assert set(panels) == set(rows["series_id"])
    for sid, ax in panels.items():
        values = observations.loc[observations["series_id"] == sid, "value"].dropna()
        assert (values >= 0).all()
        low, high = ax.get_ylim()
        assert low == 0, sid
        assert high >= values.max()
    ax = panels["tekun_basic_standard_urban"]
    tekun = observations[observations["series_id"] == "tekun_basic_standard_urban"]
    base, latest = tekun.sort_values("t")["value"].iloc[[0, -1]]
    assert latest / base - 1 < 0.015  # a rise of about 1 %
    assert (latest - base) / (ax.get_ylim()[1] - ax.get_ylim()[0]) < 0.02


def band_polygons(fig: Figure) -> dict[str, tuple[Axes, np.ndarray]]:
    found = {}
    for ax in fig.axes:
        for artist in ax.collections:
            gid = artist.get_gid() or ""
            if gid.startswith("band:"):
                ys = np.concatenate([path.vertices[:, 1] for path in artist.get_paths()])
                found[gid.split(":", 1)[1]] = (ax, ys)
    return found


def test_bands_only_where_they_mean_something_and_never_past_the_axis(real):
    rows, fig = social_assistance_trends(real)
    bands = band_polygons(fig)
    extreme = set(rows.loc[rows["flags"].str.contains("extreme_extrapolation"), "series_id"])
    assert extreme and not extreme & set(bands), "an extreme extrapolation has no band"
    scenario = rows[
        (rows["interval_kind"] == "scenario")
        & rows["interval_note"].str.contains("scenario band: linear vs compound")
        & ~rows["series_id"].isin(extreme)
    ]
    assert len(scenario) >= 2 and set(bands) == set(scenario["series_id"])
    for sid, (ax, ys) in bands.items():
        low, high = ax.get_ylim()
        assert low <= ys.min() and ys.max() <= high, sid
        notes = " ".join(t.get_text() for t in ax.texts)
        assert "linear" in notes and "compound" in notes, sid  # both ends named


def test_a_band_taller_than_the_axis_is_cut_and_the_panel_says_so(real):
    observations, _, _ = real
    rows, _ = social_assistance_trends(real)
    row = rows[rows["series_id"] == "tekun_basic_standard_rural"].copy()
    row["projected_high"] = 10 * row["projected_value"]  # a band far above everything drawn
    fig, _, _ = render(
        lambda: charts.trajectory_grid(observations, row, Parameters(), "T", "Source: x")
    )
    ((ax, ys),) = band_polygons(fig).values()
    top = ax.get_ylim()[1]
    assert ys.max() == pytest.approx(top)
    assert top < 2 * float(row["projected_value"].iloc[0])  # the axis is not stretched to 10x
    notes = " ".join(" ".join(t.get_text().split()) for t in ax.texts)
    assert "band cut at the edge of the axis" in notes


def legend_labels(fig: Figure) -> list[str]:
    return [t.get_text() for legend in fig.legends for t in legend.get_texts()]


def test_the_legend_names_the_source_of_the_points_drawn():
    observations, series, targets = synthetic()
    observations.loc[observations["series_id"] == "count_b", "source"] = "a plan document"
    assessment = assess(observations, series, targets, Parameters())
    only_b = assessment[assessment["series_id"] == "count_b"]
    fig, _, _ = render(
        lambda: charts.trajectory_grid(observations, only_b, Parameters(), "T", "Source: x")
    )
    labels = legend_labels(fig)
    assert "observed, other source" in labels and "observed (report)" not in labels
    both = assessment[assessment["series_id"].isin(["count_b", "rate_a"])]
    fig, _, _ = render(
        lambda: charts.trajectory_grid(observations, both, Parameters(), "T", "Source: x")
    )
    assert {"observed, other source", "observed (report)"} <= set(legend_labels(fig))


# Readable on a phone -----------------------------------------------------------------------------

PHONE_COLUMN_PX = 358  # the book's text column at a 390 px wide window (measured in Chromium)
LEAST_CSS_PX = 10


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_chart_text_is_at_least_10_css_px_on_a_phone(real, kind, language):
    """Shown in a phone's column (scaled to 358 px wide when wider), every text of the chart is
    at least 10 CSS px tall, and the chart is shown at no less than half its natural width."""
    observations, _, assessment = real
    rows = selection(assessment, "headline" if kind != "trajectory_grid" else "social_assistance")
    fig, _, _ = render(lambda: make_chart(kind, observations, rows, "Source: x", language))
    width_px = fig.get_figwidth() * fig.dpi
    scale = min(1.0, PHONE_COLUMN_PX / width_px)
    assert scale >= 0.5
    texts = [t for t in fig.findobj(mpl.text.Text) if t.get_visible() and t.get_text().strip()]
    assert len(texts) > 5
    for text in texts:
        shown_px = text.get_fontsize() * fig.dpi / 72 * scale
        assert shown_px >= LEAST_CSS_PX - 0.2, (text.get_text()[:30], text.get_fontsize())


def test_a_charts_img_says_its_size_on_the_page_and_escapes_its_alt_text() -> None:
    from analysis.book.markup import chart_image

    alt = '标准(全失能) [x] <b>bold</b> "quoted" a&b\nnext line'
    tag = chart_image("children/x<1>.png", alt, (528, 301))
    assert tag.startswith('<img src="children/x&lt;1&gt;.png" ')
    assert 'width="528" height="301"' in tag
    match = re.search(r'alt="([^"]*)"', tag)
    assert match, tag
    assert html.unescape(match.group(1)) == '标准(全失能) [x] <b>bold</b> "quoted" a&b next line'
    assert "<b>" not in tag


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_legend_fits_the_narrow_figure(real, language):
    _, fig = social_assistance_trends(real, language)
    renderer = fig.canvas.get_renderer()
    (legend,) = fig.legends
    box = legend.get_window_extent(renderer)
    assert box.x0 >= 0 and box.x1 <= fig.bbox.width


def test_count_bars_say_the_value_as_stated_and_the_period_of_a_total() -> None:
    from analysis.book.context import open_chapter

    elderly = open_chapter("elderly_care")
    counts = chapter_counts(elderly)
    fig = charts.latest_values_bars(
        counts, "标题", "资料来源", language="zh", observations=elderly.observations()
    )
    labels = [t.get_text().strip() for ax in fig.axes for t in ax.texts if t.get_gid() == "value"]
    names = [t.get_text() for ax in fig.axes for t in ax.texts if t.get_gid() == "name"]
    # 三.(三): 近50人 keeps its 近; 1.4万人次 (in the report's notation) trained 2021年至20235月
    # is a total of that period.
    assert "近50人" in labels and "1.4万人次" in labels
    assert any(name.replace("\n", "").endswith("（2021年至2023年5月累计）") for name in names)
    assert not any("," in label for label in labels)  # Chinese numbers have no separators


def test_people_counted_in_ren_and_ming_share_one_axis_and_keep_their_words() -> None:
    """儿童主任1498人 and 儿童保护专干1448名 (二.(二).2 and 三.(二).2) are counts of people: one
    panel of 人, each bar labelled with the report's own measure word."""
    from analysis.book.context import open_chapter

    children = open_chapter("children")
    counts = chapter_counts(children)
    assert {"人", "名"} <= set(counts["unit"])
    fig = charts.latest_values_bars(
        counts, "T", "S", language="zh", observations=children.observations()
    )
    units = [ax.get_gid().removeprefix("unit:") for ax in fig.axes]
    assert "名" not in units and units.count("人") == 1
    labels = [t.get_text().strip() for ax in fig.axes for t in ax.texts if t.get_gid() == "value"]
    assert any(label.endswith("名") for label in labels)
    assert any(label.endswith("人") for label in labels)


def test_an_english_panel_of_counts_says_what_it_counts() -> None:
    """English has no measure words: a panel says what its bars count, and no two panels of a
    chart say the same. The children's chart has a panel of 人 and 名 (child directors,
    children, mentors, supervisors) and one of 个 (townships and street offices, stations)."""
    labels = {
        chapter: [ax.get_xlabel() for ax in fig.axes] for chapter, fig in drawn_count_charts("en")
    }
    assert labels["children"] == [
        "Latest value (people)",
        "Latest value (townships and street offices, stations)",
    ]
    assert all(len(set(panels)) == len(panels) for panels in labels.values()), labels


def drawn_count_charts(language: Language) -> Iterator[tuple[str, Figure]]:
    """Every domain chapter's chart of counts (those that have counts), drawn."""
    from analysis.book.context import open_chapter

    for chapter in (chapter.name for chapter in DOMAIN_CHAPTERS):
        context = open_chapter(chapter)
        counts = chapter_counts(context)
        if counts.empty:
            continue
        fig = charts.latest_values_bars(
            counts, "T", "S", language=language, observations=context.observations()
        )
        fig.canvas.draw()
        yield chapter, fig


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_names_over_count_bars_never_overlap(language: str) -> None:
    """A count's name stands over its bar, across the panel: no name, value or bar runs into
    another, however many lines a name wraps to, in any chapter's chart."""

    def overlap(a, b) -> bool:  # more than half a pixel both ways
        return a.x0 < b.x1 - 0.5 and b.x0 < a.x1 - 0.5 and a.y0 < b.y1 - 0.5 and b.y0 < a.y1 - 0.5

    for chapter, fig in drawn_count_charts(language):
        renderer = fig.canvas.get_renderer()
        for ax in fig.axes:
            names = [t for t in ax.texts if t.get_gid() == "name"]
            assert len(names) == len(ax.patches) > 0, (chapter, ax.get_gid())
            # a value too long for beside its bar is written inside it (white on the bar)
            inside = [t for t in ax.texts if t.get_gid() == charts.VALUE_INSIDE]
            for text in inside:
                box = text.get_window_extent(renderer)
                bar = ax.patches[round(text.get_position()[1])].get_window_extent(renderer)
                assert bar.x0 <= box.x0 and box.x1 <= bar.x1 + 0.5, (chapter, text.get_text())
                assert bar.y0 <= box.y0 and box.y1 <= bar.y1, (chapter, text.get_text())
            beside = [t for t in ax.texts if t not in inside]
            boxes = [a.get_window_extent(renderer) for a in [*beside, *ax.patches]]
            boxes += [t.get_window_extent(renderer) for t in inside]
            for i, j in itertools.combinations(range(len(boxes)), 2):
                if i >= len(beside) and j >= len(beside):  # a bar, or a value inside a bar
                    continue
                assert not overlap(boxes[i], boxes[j]), (chapter, ax.get_gid(), boxes[i], boxes[j])


@pytest.mark.parametrize("kind", KINDS)
def test_save_png_writes_what_savefig_draws_with_a_palette(real, kind, tmp_path: Path) -> None:
    """`save_png` lays the figure out and draws it once, with PIXEL_RATIO times its pixels,
    and writes those with a palette. Its pixels must be savefig's at that dpi (on a figure
    built alike) within a mean of 2 levels in 255 and its file at most half the size; the size
    on the page is the figure's at its own dpi (4.8 in at 110 dpi is 528 px, by hand)."""
    observations, _, assessment = real
    rows = selection(assessment, "social_assistance")

    def make() -> Figure:
        return make_chart(kind, observations, rows, "Source 来源", "zh")

    ours, theirs = make(), make()
    size = charts.save_png(ours, tmp_path / "ours.png")
    theirs.savefig(
        tmp_path / "theirs.png",
        format="png",
        dpi=theirs.dpi * charts.PIXEL_RATIO,
        metadata={"Software": None},
    )
    assert ours.get_layout_engine() is not None and ours.dpi == charts.DPI  # as it was found
    with Image.open(tmp_path / "ours.png") as png, Image.open(tmp_path / "theirs.png") as full:
        assert png.mode == "P" and png.size == full.size
        assert png.size[0] == 2 * 528
        difference = np.abs(
            np.asarray(png.convert("RGB"), dtype=int) - np.asarray(full.convert("RGB"), dtype=int)
        )
    assert difference.mean() < 2, difference.mean()
    assert (tmp_path / "ours.png").stat().st_size * 2 < (tmp_path / "theirs.png").stat().st_size
    assert size == (528, round(ours.get_figheight() * 110))
    assert abs(png.size[1] - 2 * size[1]) <= 1


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_value_beside_a_count_bar_fits_in_the_figure(language: str) -> None:
    """The value at a bar's end ('14,000 person-times', '1.4万人次') is drawn whole, inside
    the axes, in every chapter's count chart; and no axis is stretched past 1.5 times the one
    its bars were drawn on (1.6 times the largest value) to make room for a value: the
    English children's axis once ran to 12,000 for 1,498, to fit '1,498 child directors
    (1,448 elsewhere)' (now inside its bar)."""

    for chapter, fig in drawn_count_charts(language):
        renderer = fig.canvas.get_renderer()
        for ax in fig.axes:
            axes_box = ax.get_window_extent(renderer)
            for text in ax.texts:
                box = text.get_window_extent(renderer)
                assert box.x1 <= axes_box.x1, (chapter, text.get_text(), box.x1, axes_box.x1)
            largest = max(patch.get_width() for patch in ax.patches)
            assert ax.get_xlim()[1] <= largest * 1.6 * 1.5 + 1e-9, (chapter, ax.get_xlim())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_names_beside_bars_never_overlap_and_the_legend_fits(real, kind, language) -> None:
    """Every chart of the key indicators, in both editions, at the book's figure width: the
    names beside the bars (three or four lines in English) do not run into each other, and
    the legend under the chart stays inside the figure."""
    observations, _, assessment = real
    rows = selection(assessment, "headline")
    # the real source, ten lines in English: it must not take its room from the bars
    source = charts.source_text(observations, rows["series_id"], language=language)
    fig = make_chart(kind, observations, rows, source, language)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        boxes = sorted(
            (label.get_window_extent(renderer) for label in ax.get_yticklabels()),
            key=lambda box: -box.y1,
        )
        for upper, lower in itertools.pairwise(boxes):
            assert lower.y1 <= upper.y0 + 0.5, (kind, upper, lower)
    for legend in fig.legends:
        box = legend.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= fig.bbox.width, (kind, box)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("name", SELECTIONS)
def test_no_text_of_a_chart_runs_past_the_figures_edges(real, kind, language, name) -> None:
    """Every text of every chart, in both editions, is inside the figure from side to side,
    by a pixel at least (drawn with twice the pixels, text measures a little otherwise): the
    English progress axis ended at 528.15 of 528 px and lost its closing bracket."""
    observations, _, assessment = real
    rows = selection(assessment, name)
    source = charts.source_text(observations, rows["series_id"], language=language)
    fig = make_chart(kind, observations, rows, source, language)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    # what is drawn (tick labels past an axis' limits are not): its box, in pixels
    drawn = [ax.get_tightbbox(renderer) for ax in fig.axes]
    drawn += [artist.get_window_extent(renderer) for artist in [*fig.texts, *fig.legends]]
    cut = [(box.x0, box.x1) for box in drawn if box.x0 < 1 or box.x1 > fig.bbox.width - 1]
    labels = [ax.xaxis.label.get_text() for ax in fig.axes]
    assert not cut, (kind, cut, labels)


def test_a_count_stated_twice_with_two_values_shows_both() -> None:
    """儿童主任1498人 (二.(二).2) and 村(居)儿童保护专干1448名 (三.(二).2), both 2023: the bar is
    drawn at the first figure, as the assessment takes it, and its label gives the other."""
    from analysis.book.context import open_chapter

    children = open_chapter("children")
    counts = chapter_counts(children)
    rows = charts.count_like(counts)
    ids = rows["series_id"]
    zh = dict(zip(ids, charts.count_labels(rows, "zh", children.observations()), strict=True))
    en = dict(zip(ids, charts.count_labels(rows, "en", children.observations()), strict=True))
    assert zh["child_director_count"][0] == "1498人（另一处为1448人）"
    assert en["child_director_count"][0] == "1,498 child directors (1,448 elsewhere)"
    assert zh["child_supervisor_count"][0] == "149人"  # stated twice, the same both times


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_series_name_on_the_dashboard_stands_closer_to_its_own_tiles(real, language) -> None:
    """Each name heads its own row of tiles: the space under it, to its tiles, is smaller than
    the space over it, to the row above (a reader must not read it with the wrong tiles)."""
    observations, _, assessment = real
    rows = selection(assessment, "headline")
    source = charts.source_text(observations, rows["series_id"], language=language)
    fig = charts.status_dashboard(rows, source, language=language)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    (ax,) = fig.axes
    tiles = [patch.get_window_extent(renderer) for patch in ax.patches]
    names = [
        t.get_window_extent(renderer) for t in ax.texts if (t.get_gid() or "").startswith("name:")
    ]
    assert len(names) == len(rows) and len(tiles) == 3 * len(rows)
    for name in names[1:]:  # display coordinates: y grows upwards
        own_top = max(tile.y1 for tile in tiles if tile.y1 <= name.y0 + 1)
        above_bottom = min(tile.y0 for tile in tiles if tile.y0 >= name.y1 - 1)
        assert name.y0 - own_top < above_bottom - name.y1, (name, own_top, above_bottom)


def test_the_progress_chart_cites_the_sections_of_what_it_draws() -> None:
    """The overview's progress chart draws the 5 series with a published target and a figure
    (key indicators 5, 7, 10, 16, 17); its source named all 28 series' sections."""
    from analysis.book import chart_blocks
    from analysis.book.context import open_chapter

    overview = open_chapter("overview")
    seen: list[str] = []
    original = charts.progress_vs_time

    def recorded(*args, source: str, **kwargs):
        seen.append(source)
        return original(*args, source=source, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(charts, "progress_vs_time", recorded)
        patch.setattr(chart_blocks, "show_figure", lambda context, figure, *a, **k: figure("zh"))
        chart_blocks.show_progress_chart(overview)
    (source,) = seen
    assert "一.5、" in source and "一.17" in source
    assert "一.1、" not in source and "一.19" not in source


def test_a_source_line_lists_the_report_s_sections_in_the_report_s_order():
    """一.5 before 一.15 before 二.(七).1 before 三.(七) before 三.(九): as strings, 一.15 came
    before 一.5 and 三 (U+4E09) before 二 (U+4E8C)."""
    observations = pd.DataFrame(
        {
            "series_id": ["a", "b", "c", "d", "e"],
            "section": ["三.(九)", "一.15", "二.(七).1", "三.(七)", "一.5"],
            "source": ["report"] * 5,
        }
    )
    line = charts.source_text(observations, None, None, "en", computed=False)
    assert line.endswith("sections 一.5, 一.15, 二.(七).1, 三.(七), 三.(九).")


def test_a_short_last_line_moves_back_to_the_clause_mark():
    """Greedy, the title ends …补贴标准提 / 高9.3%; the text after its comma fits on one line
    (13 wide characters and 9.3%: 30 of 44 half-em units), so the line ends at the comma."""
    title = "2024年至2025年6月，困难残疾人生活补贴标准提高9.3%"
    assert charts.wrap_mixed(title, 44) == ["2024年至2025年6月，", "困难残疾人生活补贴标准提高9.3%"]
    # before an opening mark likewise: the parenthesis goes down whole
    name = "参与疫情防控志愿服务的市级社会组织（报告未注明时间）"
    assert charts.wrap_mixed(name, 50) == [
        "参与疫情防控志愿服务的市级社会组织",
        "（报告未注明时间）",
    ]
    # what follows the comma does not fit on one line: the break stays where it was
    long = "2024年至2025年6月，困难残疾人生活补贴标准和重度残疾人护理补贴标准均提高9.3%"
    assert charts.wrap_mixed(long, 44)[0] != "2024年至2025年6月，"


def test_a_line_ends_between_words_where_one_is_near():
    """Greedy, 基层社会治理：… ends …一个时点的数 / 值，; 的 one character back ends it between
    words. No such place within reach: the break stays at the width."""
    title = "基层社会治理：6项数量指标均只有一个时点的数值，无从比较变化"
    assert charts.wrap_mixed(title, 44) == [
        "基层社会治理：6项数量指标均只有一个时点的",
        "数值，无从比较变化",
    ]
    assert charts.soft_break("一二三四五六七八", 6) == 6
    assert charts.soft_break("一二三的五六七八", 6) == 4  # after 的, two characters back
    assert charts.soft_break("一二三四五提高93", 6) == 6  # nothing within reach before 提高
    assert charts.soft_break("一二三四提高93", 7) == 6  # before the number
