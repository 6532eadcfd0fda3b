"""The book's charts: pure functions from the result table (and observations) to Figures.

What they show is defined in the methodology chapter, sections `methodology-projection`,
`methodology-midterm` and `methodology-status` (MyST labels): trajectory small multiples
(observed values, the projection with its band, the required path and the target),
"progress made vs time elapsed" bars, a status dashboard with one tile per method, and bars of
the latest values. Every function returns a new `matplotlib.figure.Figure` (not registered with
pyplot, so nothing is displayed twice in a notebook and nothing leaks) and writes the source line
under the chart with `add_source`.

Chinese text needs a CJK font: `use_book_style` registers Noto Sans CJK SC from the `mplfonts`
package and puts it first in `font.sans-serif`; each chart function makes sure of that before it
draws. A missing glyph is a bug, and the tests fail on one.
"""

from __future__ import annotations

import math
import os
import re
import sys
import textwrap
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator
from PIL import Image

from analysis.book.tables import (
    BAND_KINDS,
    format_estimate,
    format_number,
    observed_value,
    other_figures,
    period_text,
    stated,
)
from analysis.core.dates import fractional_year, plan_time_share
from analysis.core.language import Language, Text
from analysis.core.report import CITATION, CITATION_ZH, REPORT_SOURCE, section_key
from analysis.core.units import in_english
from analysis.inputs.parameters import Parameters
from analysis.methods import progress
from analysis.methods.assessment import OBSERVED_BY_TARGET_YEAR
from analysis.methods.projection import EXTREME
from analysis.methods.ranges import resolve_range

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
EXTRAPOLATION_NOTE = "extrapolation, not a forecast"
# The words of the trajectory charts, in each edition's language.
TRAJECTORY_WORDS = {
    "extrapolation": Text("外推，非预测", EXTRAPOLATION_NOTE),
    "no_target": Text("无已公布的{year}年目标", "no published {year} target"),
    "observed_by_horizon": Text(
        "{year}年已有观测值，不作预测", "observed in {year}: no projection"
    ),
    "value": Text("数值", "value"),
    "year": Text("年份（刻度为年末）", "Year (ticks at year end)"),
    "observed": Text("观测值（评估报告）", "observed (report)"),
    "outside": Text("观测值（其他来源）", "observed, other source"),
    "range": Text("区间（标示中值）", "range (middle shown)"),
    "projection": Text("预测", "projection"),
    "band_scenario": Text("情景区间（两端见各图注）", "scenario band (ends named in each panel)"),
    "band_interval": Text(
        "{level}%预测区间（示意）", "{level} % prediction interval (illustrative)"
    ),
    "scenario_note": Text(
        "阴影：情景区间，从{first}到{second}",
        "band: a scenario, from {first} to {second}",
    ),
    "interval_note": Text(
        "阴影：{level}%预测区间（示意）", "band: illustrative {level} % prediction interval"
    ),
    "clipped": Text("区间超出纵轴的部分未画出", "band cut at the edge of the axis"),
    "required": Text("实现目标所需路径", "required path"),
    "target": Text("目标", "target"),
    "as_of": Text("本次运行的截止日期", "as-of date of this run"),
    "no_trend": Text(
        "没有可绘制趋势的指标（每项少于两个数值）",
        "no series with a trend (fewer than 2 points each)",
    ),
}
SOURCE_GID = "source"
DPI = 110
# Every chart is drawn this wide and no wider: shown whole, at its natural size, in the book's
# column on a desktop (784 px); on a phone 390 px wide it spans the screen (book.css), where
# text of MIN_FONT_PT (16.8 px in the image) shows at about 12 CSS px.
FIGURE_WIDTH = 4.8  # inches: 528 px at DPI
# A chart's PNG has this many times the pixels of its size on the page: sharp on a phone's or
# a laptop's dense screen and on paper (the PDFs print the same file).
PIXEL_RATIO = 2
PNG_COLOURS = 256
MIN_FONT_PT = 11.0
# Text is wrapped to a share of the figure's width, counted in half-em units of MIN_FONT_PT (a
# Chinese character is two, a Latin letter about one): 62 across FIGURE_WIDTH.
HALF_EMS_ACROSS = FIGURE_WIDTH * 72 / (MIN_FONT_PT / 2)


def across(share: float) -> int:
    """Half-em units in `share` of the figure's width."""
    return int(HALF_EMS_ACROSS * share)


SOURCE_FONTSIZE = MIN_FONT_PT

# Seaborn's colour-blind-safe palette ("colorblind"), named by use.
BLUE, ORANGE, GREEN, VERMILLION = sns.color_palette("colorblind").as_hex()[:4]
OBSERVED_COLOUR = BLUE
PROJECTION_COLOUR = ORANGE
EXTRAPOLATION_COLOUR = "#8c8c8c"
REQUIRED_COLOUR = GREEN
TARGET_COLOUR = VERMILLION

# Units of counted things (facilities, people, items): what `latest_values_bars` shows.
COUNT_UNITS = (
    "个", "家", "户", "人", "名", "人次", "张", "项", "处", "条", "块", "辆", "台", "部", "本",
    "类", "批", "面", "岗", "次",
)  # fmt: skip

# Status colours by group (fill, text): Okabe-Ito hues (blue, bluish green, orange, vermillion),
# lightened for legible dark text, and stepped in lightness so that they differ under every
# colour-vision deficiency; blue-grey for growth without a target; grey for no target to test,
# no data or not assessed.
_GROUP_COLOURS: dict[str, tuple[str, str]] = {
    "achieved": ("#5DA5DA", "#111111"),
    "on_track": ("#7FCDBB", "#111111"),
    "acceleration": ("#F6CF7A", "#111111"),
    "limited": ("#E07B4F", "#111111"),
    "deterioration": ("#A63D00", "#FFFFFF"),
    "none": ("#DDDDDD", "#333333"),
    # growth without a target: not progress towards one, so not in the greens of the statuses
    # that are (a blue-grey, lighter for slower growth)
    "growth": ("#A9BCD0", "#111111"),
    "growth_slower": ("#D3DDE8", "#111111"),
    "growth_slowest": ("#ECF0F5", "#111111"),
}
_STATUS_GROUP: dict[str, str] = {
    progress.TARGET_ACHIEVED: "achieved",
    progress.ON_TRACK_OR_MET: "achieved",
    progress.ACHIEVED_EARLY: "achieved",
    progress.ON_TRACK: "on_track",
    progress.SUBSTANTIAL_PROGRESS: "growth",
    progress.AHEAD: "on_track",
    progress.ON_SCHEDULE: "on_track",
    progress.ACCELERATION_NEEDED: "acceleration",
    progress.MODERATE_PROGRESS: "growth_slower",
    progress.FAIR_PROGRESS: "acceleration",
    progress.LIMITED_PROGRESS: "limited",
    progress.BEHIND: "limited",
    progress.DETERIORATION: "deterioration",
    progress.STAGNATION_OR_REGRESSION: "deterioration",
    progress.GROWTH_ON_TRACK: "growth",
    progress.GROWTH_FAIR: "growth_slower",
    progress.GROWTH_STAGNATION: "growth_slowest",
    progress.SLOW_GROWTH: "growth_slowest",
    progress.WRONG_DIRECTION: "deterioration",
}
# ---------------------------------------------------------------------------------------------
# Style and source line


def cjk_font_path() -> Path:
    """The Noto Sans CJK SC file shipped inside the installed `mplfonts` package."""
    import mplfonts

    path = Path(mplfonts.__file__).parent / "fonts" / CJK_FONT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path}: the CJK font is missing; reinstall mplfonts")
    return path


def _register_cjk_font() -> str:
    """Add the CJK font to matplotlib's font manager, first among the fonts, and return its
    family name. Of two fonts of one name matplotlib draws with the first it lists: a system's
    Noto Sans CJK SC (fonts-noto-cjk, another version with other metrics) came first in some
    font caches, and the same chart was drawn taller on one machine than on another."""
    path = cjk_font_path()
    manager = font_manager.fontManager
    if not manager.ttflist or Path(manager.ttflist[0].fname) != path:
        others = [entry for entry in manager.ttflist if Path(entry.fname) != path]
        manager.ttflist = []
        manager.addfont(str(path))  # (it also forgets the fonts found so far)
        manager.ttflist += others
    return font_manager.FontProperties(fname=str(path)).get_name()


def _in_ipython() -> bool:
    shell = sys.modules.get("IPython")
    return shell is not None and shell.get_ipython() is not None


def _choose_backend() -> None:
    """Agg for scripts and tests; in a notebook, activate the notebook's own backend.

    Nothing is overridden: a backend chosen by MPLBACKEND, a matplotlibrc or a notebook stays.
    In IPython the notebook's backend (usually inline) is activated, which also registers the
    display of returned Figures.
    """
    if _in_ipython():
        import matplotlib.pyplot as plt

        plt.switch_backend(mpl.get_backend())
        return
    chosen = mpl.rcParams._get_backend_or_none()  # None: nobody has chosen a backend yet
    if chosen is None and not os.environ.get("MPLBACKEND"):
        mpl.use("Agg")


def book_rc(font_name: str) -> dict[str, Any]:
    """rcParams of the book style on top of seaborn's theme."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [font_name, "DejaVu Sans"],
        "axes.unicode_minus": True,  # Noto Sans CJK has U+2212, the true minus sign
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "savefig.bbox": None,
        "font.size": MIN_FONT_PT,
        "axes.titlesize": MIN_FONT_PT,
        "axes.labelsize": MIN_FONT_PT,
        "xtick.labelsize": MIN_FONT_PT,
        "ytick.labelsize": MIN_FONT_PT,
        "legend.fontsize": MIN_FONT_PT,
        "figure.titlesize": 13,
        "axes.titlelocation": "left",
        # A title stays at the top of its axes. Placed automatically, matplotlib would measure
        # every tick label of the axes at each layout pass and draw, only to move the title
        # above ticks on top, which no chart of the book has: a tenth of a chart's drawing.
        "axes.titley": 1.0,
    }


def use_book_style() -> None:
    """Book style: CJK font first, seaborn whitegrid with the colour-blind palette, dpi 110.

    Idempotent: calling it again gives the same settings and registers the font only once.
    """
    font_name = _register_cjk_font()
    _choose_backend()
    sns.set_theme(
        context="notebook", style="whitegrid", palette="colorblind", rc=book_rc(font_name)
    )


def _ensure_style() -> None:
    """Apply the book style unless the CJK font is already first (keeps a reader's own tweaks)."""
    font_name = _register_cjk_font()
    families = mpl.rcParams["font.sans-serif"]
    if mpl.rcParams["font.family"] != ["sans-serif"] or not families or families[0] != font_name:
        use_book_style()


def source_text(
    observations: pd.DataFrame | None = None,
    series_ids: Iterable[str] | None = None,
    note: Text | None = None,
    language: Language = "en",
    *,
    hollow: bool = False,
    computed: bool = True,
) -> str:
    """The standard source line, naming the report sections (and other sources) of the series,
    then `note` (what else the chart draws on), in the edition's language. `hollow`: the chart
    draws the other sources' points as hollow markers, and the line says so; `computed`: it
    shows what this book computed (projections, statuses), and the line says so. A chart whose
    figures all come from other sources names those alone."""
    sections: list[str] = []
    others: list[str] = []
    from_report = True
    if observations is not None and len(observations):
        rows = observations
        if series_ids is not None:
            rows = rows[rows["series_id"].isin(list(series_ids))]
        is_report = rows["source"].fillna(REPORT_SOURCE).eq(REPORT_SOURCE)
        from_report = bool(is_report.any()) or rows.empty
        sections = sorted(set(rows.loc[is_report, "section"].dropna().astype(str)), key=section_key)
        column = "source_zh" if language == "zh" and "source_zh" in rows else "source"
        cited = rows.loc[~is_report, column].fillna("").astype(str)
        # a row without its Chinese citation keeps the English one rather than none
        cited = cited.where(cited != "", rows.loc[~is_report, "source"].astype(str))
        others = list(dict.fromkeys(cited))
    if language == "zh":
        if from_report:
            text = f"资料来源：{CITATION_ZH}"
            if sections:
                text += f"，{'、'.join(sections)}"
            if others:
                text += f"；其他来源{'（空心点）' if hollow else ''}：{'；'.join(others)}"
        else:
            text = f"资料来源：{'；'.join(others)}"
        if note:
            text += f"；{note.zh}"
        return text + ("；预测与评估：本书计算。" if computed else "。")
    if from_report:
        text = f"Source: {CITATION}"
        if sections:
            text += f", section{'s' if len(sections) > 1 else ''} {', '.join(sections)}"
        if others:
            text += f"; other sources{' (hollow markers)' if hollow else ''}: {'; '.join(others)}"
    else:
        text = f"Source: {'; '.join(others)}"
    if note:
        text += f"; {note.en}"
    return text + ("; projection and assessment: this book." if computed else ".")


def display_width(text: str) -> int:
    """Width in half-em units: 2 for a wide (CJK) character, 1 otherwise."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# Punctuation that Chinese typesetting never puts at the start of a line (避头点) or at its end
# (避尾点), and the characters of a number, which stays whole (10.3%).
NO_LINE_START = frozenset("，。、；：！？）》」』】〕”’%…,.;:!?)")
NO_LINE_END = frozenset("（《「『【〔“‘([")
NUMBER = frozenset("0123456789.%")
CLAUSE_ENDS = frozenset("，：；。")


def breakable(before: str, after: str) -> bool:
    """A line may end after `before` and start with `after`; a section of the report (二.(三).3)
    and a number with its measure word (28个) are never broken."""
    return (
        after not in NO_LINE_START
        and before not in NO_LINE_END
        and not (before in NUMBER and after in NUMBER)
        and not (before.isdigit() and display_width(after) == 2)  # 28个, 2023年
        and not (before == "." and after == "(")
    )


def clause_break(text: str, cut: int, width: int) -> int | None:
    """Where a line of Chinese that would break at `cut` is better broken: after the last mark
    that ends a clause (，：；。) in the line's second half, so that a title reads
    儿童福利和未成年人保护： / 6项数量指标… and not …只有一 / 个时点…; None when there is none."""
    for end in range(cut, 0, -1):
        if display_width(text[:end]) * 2 < width:
            return None
        if text[end - 1] in CLAUSE_ENDS and breakable(text[end - 1], text[end]):
            return end
    return None


def last_clause_break(line: str, rest: str, width: int) -> int | None:
    """Where `line` is better broken when all that follows it (`rest`) fits on one line: after
    its last clause mark or before its last opening mark, wherever it is, if what then follows
    still fits on one line, so that a title reads
    2024年至2025年6月， / 困难残疾人生活补贴标准提高9.3% (two lines either way), not
    …补贴标准提 / 高9.3%, and a name …市级社会组织 / （报告未注明时间）, not
    …（报告未注明时 / 间）; None otherwise."""
    if display_width(rest) > width:
        return None
    for end in range(len(line) - 1, 0, -1):
        before, after = line[end - 1], line[end]
        if (before in CLAUSE_ENDS or after in NO_LINE_END) and breakable(before, after):
            return end if display_width(line[end:] + rest) <= width else None
    return None


# Characters after which a Chinese line may end without splitting a word: the particle 的, the
# conjunctions 和、与、及 and the enumeration comma.
SOFT_ENDS = frozenset("的和与及、")
SOFT_REACH = 3  # how many characters a line may give up to end there


def soft_break(text: str, cut: int) -> int:
    """`cut`, or a place at most `SOFT_REACH` characters before it where a line ends between
    words: after 的 (…时点的 / 数值, not …时点的数 / 值) or a conjunction, or before a number
    that follows a Chinese character (…标准提高 / 9.3%)."""
    for end in range(cut, max(cut - SOFT_REACH, 1) - 1, -1):
        before, after = text[end - 1], text[end]
        soft = before in SOFT_ENDS or (after.isdigit() and display_width(before) == 2)
        if soft and breakable(before, after):
            return end
    return cut


def wrap_mixed(text: str, width: int) -> list[str]:
    """Wrap Chinese-English text to `width` half-em units; breaks at spaces, else after a mark
    that ends a clause in the line's second half, else between any two characters but before a
    closing punctuation mark or inside a number (the characters before such a place go down to
    the next line with it), and never leaves one character alone on the last line of a
    word."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        pieces = [word]
        if display_width(word) > width:
            pieces, chunk = [], ""
            for i, ch in enumerate(word):
                if display_width(chunk + ch) <= width:
                    chunk += ch
                    continue
                candidate = chunk + ch
                cut = len(chunk)
                while cut > 1 and not breakable(candidate[cut - 1], candidate[cut]):
                    cut -= 1
                if cut == 1:  # nowhere to break well: break at the width
                    cut = len(chunk)
                cut = (
                    clause_break(candidate, cut, width)
                    or last_clause_break(candidate[:cut], candidate[cut:] + word[i + 1 :], width)
                    or soft_break(candidate, cut)
                )
                pieces.append(candidate[:cut])
                chunk = candidate[cut:]
            last = pieces[-1]
            if len(chunk) == 1 and len(last) > 2 and breakable(last[-2], last[-1]):
                pieces[-1], chunk = last[:-1], last[-1] + chunk  # no character alone on a line
            pieces.append(chunk)
        for piece in pieces:
            candidate = f"{current} {piece}" if current else piece
            if current and display_width(candidate) > width:
                lines.append(current)
                current = piece
            else:
                current = candidate
    if current:
        lines.append(current)
    return lines


def _renderer(fig: Figure) -> Any:
    """The canvas's renderer for measuring text, or None for a canvas without one."""
    get_renderer = getattr(fig.canvas, "get_renderer", None)
    return get_renderer() if get_renderer is not None else None


def _top_fraction(fig: Figure, artist: Any, fallback: float) -> float:
    """Top edge of `artist` as a fraction of the figure height (measured when possible)."""
    renderer = _renderer(fig)
    if renderer is None:
        return fallback
    return float(artist.get_window_extent(renderer).y1 / fig.bbox.height)


def _reserve_bottom(fig: Figure, fraction: float) -> None:
    """Keep the bottom `fraction` of the figure free of axes (constrained layout or not)."""
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=(0, fraction, 1, 1 - fraction))
    else:
        axis_room = 0.6 / fig.get_figheight()  # tick labels and an x label under the axes
        fig.subplots_adjust(bottom=max(fig.subplotpars.bottom, fraction + axis_room))


def add_source(fig: Figure, text: str) -> None:
    """Write `text` under the chart, wrapped to the figure width: the figure grows by the
    height of the source, so that a long source (ten lines in English) never takes its room
    from the chart above it.

    The text is measured after wrapping (and wrapped narrower if it would overflow); with
    constrained layout the layout rectangle starts above it, otherwise the bottom margin grows.
    """
    margin_in = 0.08
    width_in, chart_in = fig.get_figwidth(), fig.get_figheight()
    units = max(20, int((width_in - 2 * margin_in) * 72 / (SOURCE_FONTSIZE * 0.48)))
    artist = fig.text(
        margin_in / width_in,
        margin_in / chart_in,
        "",
        ha="left",
        va="bottom",
        fontsize=SOURCE_FONTSIZE,
        color="#444444",
        linespacing=1.3,
        gid=SOURCE_GID,
    )
    renderer = _renderer(fig)
    usable_px = (width_in - 2 * margin_in) * fig.dpi
    while True:
        lines = wrap_mixed(text, units)
        artist.set_text("\n".join(lines))
        if renderer is None or units <= 20:
            break
        if artist.get_window_extent(renderer).width <= usable_px:
            break
        units = int(units * 0.92)
    block_in = len(lines) * SOURCE_FONTSIZE * 1.3 / 72
    if renderer is not None:
        block_in = float(artist.get_window_extent(renderer).height) / fig.dpi
    height_in = chart_in + block_in + margin_in
    fig.set_figheight(height_in)
    artist.set_y(margin_in / height_in)
    _reserve_bottom(fig, (block_in + 2 * margin_in) / height_in)


# a legend label that still fits half the figure beside its handle and the column spacing
LEGEND_COLUMN_WIDTH = across(0.42)


def legend_columns(labels: list[str]) -> int:
    """Two legend columns when every label fits half the figure's width, else one."""
    return 2 if max(map(display_width, labels), default=0) <= LEGEND_COLUMN_WIDTH else 1


def _add_bottom_legend(fig: Figure, handles: list[Any], labels: list[str]) -> None:
    """A figure legend just above the source line (call after `add_source`)."""
    if not handles:
        return
    source = [t for t in fig.texts if t.get_gid() == SOURCE_GID]
    bottom = _top_fraction(fig, source[0], 0.05) if source else 0.0
    legend = fig.legend(
        handles,
        labels,
        loc="lower center",
        bbox_to_anchor=(0.5, bottom),
        bbox_transform=fig.transFigure,
        ncols=min(legend_columns(labels), len(handles)),
        frameon=False,
    )
    legend.set_gid("legend")
    _reserve_bottom(fig, _top_fraction(fig, legend, bottom + 0.05))


TITLE_WIDTH = across(0.71)  # a figure title at its size


def wrap_lines(text: str, width: int) -> str:
    """Each line of `text` wrapped to `width` half-em units (its line breaks kept)."""
    return "\n".join(line for part in text.split("\n") for line in wrap_mixed(part, width))


def wrap_title(title: str) -> str:
    """A figure title wrapped to the narrow figure."""
    return wrap_lines(title, TITLE_WIDTH)


def _new_figure(width: float, height: float) -> Figure:
    """A Figure with constrained layout and an Agg canvas, outside pyplot."""
    _ensure_style()
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save_png(fig: Figure, path: Path) -> tuple[int, int]:
    """Write `fig` as a PNG with `PIXEL_RATIO` times its pixels and return its size on a page
    in CSS pixels (width, height): what an `<img>` of it says
    (`analysis.book.markup.chart_image`).

    The figure is laid out and drawn once, at the dpi it is written at (savefig would draw it
    twice, a first time only to run the layout), and its pixels are written with a palette of
    `PNG_COLOURS`: a chart has few colours, so the file is a quarter of the size of the full
    colour PNG, for pixels that differ from it by about one level in 255 (a test compares).
    Pillow writes no metadata that would change between runs. The figure is left at its
    own dpi."""
    size = fig.get_size_inches() * fig.dpi
    shown = (round(size[0]), round(size[1]))
    screen_dpi = fig.dpi
    fig.set_dpi(screen_dpi * PIXEL_RATIO)
    try:
        fig.canvas.draw()  # runs the figure's layout engine, then draws
        drawn = Image.frombuffer("RGBA", fig.canvas.get_width_height(), fig.canvas.buffer_rgba())
        palette = drawn.convert("RGB").quantize(PNG_COLOURS, method=Image.Quantize.FASTOCTREE)
    finally:
        fig.set_dpi(screen_dpi)
    palette.save(path, format="png")
    return shown


def _message_figure(title: str, message: str, source: str) -> Figure:
    """A small figure that says there is nothing to draw, and why."""
    fig = _new_figure(FIGURE_WIDTH, 2.6)
    fig.suptitle(wrap_title(title))
    text = "\n".join(wrap_mixed(message, TITLE_WIDTH))
    fig.text(0.5, 0.55, text, ha="center", va="center", fontsize=MIN_FONT_PT, color="#555555")
    add_source(fig, source)
    return fig


# ---------------------------------------------------------------------------------------------
# Shared helpers


def status_colours(code: str | None) -> tuple[str, str]:
    """(fill, text) colour of a category code; grey for no target, no data or not assessed."""
    group = _STATUS_GROUP.get(code, "none") if isinstance(code, str) else "none"
    return _GROUP_COLOURS[group]


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _text(value: Any) -> str:
    """A cell as text; a `Unit` stays one (it knows its English)."""
    return "" if _is_missing(value) else value if isinstance(value, str) else str(value)


def unit_label(unit: Any, language: Language) -> str:
    """A unit for an axis in the edition's language: '元/人·月', 'yuan/person/month'."""
    return _text(unit) if language == "zh" else in_english(_text(unit))


def _number(value: Any) -> float:
    return math.nan if _is_missing(value) else float(value)


def series_label(row: pd.Series, *, with_unit: bool = False) -> str:
    """Axis label: "name_zh (headline)", or "name_zh (unit)" with `with_unit`."""
    name = _text(row.get("name_zh")) or _text(row.get("series_id"))
    if with_unit:
        unit = _text(row.get("unit"))
        return f"{name} ({unit})" if unit else name
    headline = row.get("headline")
    return name if _is_missing(headline) else f"{name} ({int(headline)})"


PANEL_NAME_WIDTH = across(0.77)  # a panel's title, left-aligned over its axes


def panel_title(row: pd.Series, width: int = PANEL_NAME_WIDTH, language: Language = "en") -> str:
    """The Chinese name in the Chinese edition; the English name (wrapped) over the Chinese
    name in the English one."""
    if language == "zh":
        return "\n".join(wrap_mixed(_text(row.get("name_zh")), width))
    english = textwrap.fill(_text(row.get("name_en")), width=width)
    return f"{english}\n{_text(row.get('name_zh'))}".strip()


def _flags(row: pd.Series) -> list[str]:
    return [f for f in _text(row.get("flags")).split(";") if f]


def is_extreme(row: pd.Series) -> bool:
    """True when the projection is flagged as an extreme extrapolation (not a finding)."""
    return any(flag.startswith(EXTREME) for flag in _flags(row))


def plotted_points(observations: pd.DataFrame, params: Parameters | None = None) -> pd.DataFrame:
    """Numeric observations as drawn: a range at the value `range_rule` takes, as assessed.

    Columns: series_id, t, y, low, high (NaN unless a closed range), outside (source is not the
    report). Rows after `params.as_of` are left out; of several rows at one date the first is
    kept, as `assess` does.
    """
    p = Parameters.coerce(params)
    value = observations["value"].astype(float)
    low = observations["value_low"].astype(float)
    high = observations["value_high"].astype(float)
    closed = low.notna() & high.notna()
    resolved, _ = resolve_range(value.to_numpy(), low.to_numpy(), high.to_numpy(), p.range_rule)
    y = pd.Series(resolved, index=observations.index)
    t = observations["t"].astype(float)
    if t.isna().any():
        t = t.fillna(observations["date"].astype(str).map(fractional_year))
    frame = pd.DataFrame(
        {
            "series_id": observations["series_id"].astype(str),
            "t": t,
            "y": y,
            "low": low.where(value.isna() & closed),
            "high": high.where(value.isna() & closed),
            "outside": observations["source"].fillna(REPORT_SOURCE).astype(str).ne(REPORT_SOURCE),
        }
    )
    frame = frame[frame["y"].notna() & (frame["t"] <= p.as_of_end)]
    frame = frame.drop_duplicates(["series_id", "t"], keep="first")
    return frame.sort_values(["series_id", "t"], kind="stable").reset_index(drop=True)


def series_with_trend(assessment: pd.DataFrame) -> pd.DataFrame:
    """The rows of an assessment whose series have a trend: a base and a later latest point."""
    has_span = assessment["base_date"].notna() & (
        assessment["latest_date"].astype(str) != assessment["base_date"].astype(str)
    )
    return assessment[has_span & (assessment["n_points"] >= 2)]


# ---------------------------------------------------------------------------------------------
# Trajectories


def _horizon(row: pd.Series, params: Parameters) -> float:
    target_year = _number(row.get("target_year"))
    return target_year if math.isfinite(target_year) else float(params.target_year)


def _draw_observed(ax: Axes, points: pd.DataFrame, series_id: str) -> set[str]:
    """Line through the points; filled markers from the report, hollow ones from elsewhere.

    Returns the legend keys of what was drawn: "observed" only when a point is the report's.
    """
    used: set[str] = set()
    ax.plot(points["t"], points["y"], "-", color=OBSERVED_COLOUR, lw=1.6, zorder=3)
    report, outside = points[~points["outside"]], points[points["outside"]]
    if len(report):
        used.add("observed")
        ax.plot(
            report["t"],
            report["y"],
            "o",
            color=OBSERVED_COLOUR,
            ms=5.5,
            zorder=4,
            gid=f"observed:{series_id}",
        )
    if len(outside):
        used.add("outside")
        ax.plot(
            outside["t"],
            outside["y"],
            "o",
            mfc="white",
            mec=OBSERVED_COLOUR,
            mew=1.5,
            ms=5.5,
            zorder=4,
            gid=f"observed-outside:{series_id}",
        )
    ranges = points[points["low"].notna()]
    if len(ranges):
        used.add("range")
        err = np.vstack([ranges["y"] - ranges["low"], ranges["high"] - ranges["y"]])
        ax.errorbar(
            ranges["t"],
            ranges["y"],
            yerr=err,
            fmt="none",
            ecolor=OBSERVED_COLOUR,
            capsize=3,
            lw=1.2,
            zorder=3,
            gid=f"range:{series_id}",
        )
    return used


# The two ends of a scenario band, as the assessment names them in its interval note.
SCENARIO_END_WORDS = {
    "linear": Text("线性外推", "the linear projection"),
    "compound": Text("复合增长外推", "the compound projection"),
    "current pace": Text("按当前速度", "the current pace"),
    "required pace": Text("按实现目标所需速度", "the pace the target requires"),
}
_SCENARIO_ENDS = re.compile(r"scenario band: ([a-z ]+?) vs ([a-z ]+?)(?: projection)?(?: \(|;|$)")


def scenario_ends(row: pd.Series) -> tuple[str, str] | None:
    """The two projection methods a scenario band runs between, when the assessment names both
    and the book knows their words; else None (and no band is drawn)."""
    match = _SCENARIO_ENDS.search(_text(row.get("interval_note")))
    if match is None or not set(match.groups()) <= set(SCENARIO_END_WORDS):
        return None
    return match.group(1), match.group(2)


def band_kind(row: pd.Series) -> str | None:
    """ "interval" (a statistical prediction interval), "scenario" (both ends named) or None:
    a band only where it means something, and none for an extreme extrapolation."""
    low, high = _number(row.get("projected_low")), _number(row.get("projected_high"))
    if not (math.isfinite(low) and math.isfinite(high) and high > low) or is_extreme(row):
        return None
    kind = _text(row.get("interval_kind"))
    if kind == "prediction_interval":
        return "interval"
    if kind == "scenario" and scenario_ends(row) is not None:
        return "scenario"
    return None


def band_note(row: pd.Series, alpha: float, language: Language = "en") -> str:
    """What the band is, naming both ends of a scenario band."""
    if band_kind(row) == "interval":
        level = f"{(1 - alpha) * 100:g}"
        return TRAJECTORY_WORDS["interval_note"][language].format(level=level)
    ends = scenario_ends(row) or ("linear", "compound")
    first, second = (SCENARIO_END_WORDS[end][language] for end in ends)
    return TRAJECTORY_WORDS["scenario_note"][language].format(first=first, second=second)


def observed_by_horizon(row: pd.Series) -> bool:
    """The assessment's decision: the series is observed in or after its target year, so its
    observed value stands in for a projection."""
    return _text(row.get("interval_note")) == OBSERVED_BY_TARGET_YEAR


def _has_projection(row: pd.Series) -> bool:
    projected, latest = _number(row.get("projected_value")), _number(row.get("latest_value"))
    return math.isfinite(projected) and math.isfinite(latest) and not observed_by_horizon(row)


def value_axis(points: pd.DataFrame, row: pd.Series) -> tuple[float, float]:
    """The value axis of a panel: from zero (a level, standard or count is never shown on a
    truncated axis) up to the highest observation, central projection or target, with room
    above. Bands are not part of it: a band is clipped to this axis."""
    values = [*points["y"], *points["high"].dropna()]
    values.append(_number(row.get("target_value")))
    if _has_projection(row):
        values.append(_number(row.get("projected_value")))
    finite = np.array([v for v in values if math.isfinite(v)], dtype=float)
    low = min(0.0, float(finite.min()))
    high = max(float(finite.max()), 0.0)
    span = high - low if high > low else 1.0
    return (low - 0.08 * span if low < 0 else 0.0), high + 0.1 * span


def _draw_projection(
    ax: Axes, row: pd.Series, horizon: float, t_latest: float, axis: tuple[float, float]
) -> set[str]:
    """Dashed projection from the latest point, with its band (if any) as a ribbon to the
    horizon, clipped to the value axis; "clipped" among the keys when the band was cut."""
    if not _has_projection(row):
        return set()
    projected = _number(row.get("projected_value"))
    latest = _number(row.get("latest_value"))
    sid = str(row["series_id"])
    extreme = is_extreme(row)
    colour = EXTRAPOLATION_COLOUR if extreme else PROJECTION_COLOUR
    used = {"extrapolation" if extreme else "projection"}
    ax.plot(
        [t_latest, horizon],
        [latest, projected],
        "--",
        color=colour,
        lw=1.6,
        zorder=3,
        gid=f"projection:{sid}",
    )
    kind = band_kind(row)
    if kind is None:
        return used
    used.add(f"band_{kind}")
    low, high = _number(row.get("projected_low")), _number(row.get("projected_high"))
    clipped_low, clipped_high = np.clip([low, high], *axis)
    if (clipped_low, clipped_high) != (low, high):
        used.add("clipped")
    ax.fill_between(
        [t_latest, horizon],
        [latest, clipped_low],
        [latest, clipped_high],
        color=colour,
        alpha=0.22,
        lw=0,
        zorder=2,
        gid=f"band:{sid}",
    )
    return used


def _draw_target(ax: Axes, row: pd.Series, t_base: float) -> set[str]:
    """Required path from base to target (dotted) and the target as a star."""
    target = _number(row.get("target_value"))
    target_year = _number(row.get("target_year"))
    if not (math.isfinite(target) and math.isfinite(target_year)):
        return set()
    sid = str(row["series_id"])
    base = _number(row.get("base_value"))
    used = {"target"}
    if math.isfinite(base) and math.isfinite(t_base) and t_base < target_year:
        used.add("required")
        ax.plot(
            [t_base, target_year],
            [base, target],
            ":",
            color=REQUIRED_COLOUR,
            lw=1.8,
            zorder=3,
            gid=f"required:{sid}",
        )
    ax.plot(
        [target_year],
        [target],
        "*",
        color=TARGET_COLOUR,
        ms=13,
        mec="white",
        mew=0.6,
        zorder=5,
        gid=f"target:{sid}",
    )
    return used


def _panel_notes(ax: Axes, notes: list[str], rising: bool) -> None:
    """Notes in the bottom corner the data leaves free on an axis from zero (bottom right for a
    rising series, bottom left for a falling one)."""
    if not notes:
        return
    x, ha = (0.97, "right") if rising else (0.03, "left")
    lines = [line for note in notes for line in wrap_mixed(note, NOTE_WIDTH)]
    ax.text(
        x,
        0.04,
        "\n".join(lines),
        transform=ax.transAxes,
        ha=ha,
        va="bottom",
        fontsize=MIN_FONT_PT,
        color="#333333",
        zorder=6,
        bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": "#bbbbbb", "alpha": 0.9},
    )


NOTE_WIDTH = across(0.71)  # a note line: at most about 60 % of the panel's width


def draw_trajectory(
    ax: Axes, points: pd.DataFrame, row: pd.Series, params: Parameters, language: Language = "en"
) -> set[str]:
    """One trajectory panel; returns the legend keys it used."""
    sid = str(row["series_id"])
    ax.set_gid(sid)
    horizon = _horizon(row, params)
    t_latest = float(points["t"].iloc[-1])
    base_date = _text(row.get("base_date"))
    t_base = fractional_year(base_date) if base_date else float(points["t"].iloc[0])
    axis = value_axis(points, row)
    used = _draw_observed(ax, points, sid)
    used |= _draw_projection(ax, row, horizon, t_latest, axis)
    used |= _draw_target(ax, row, t_base)
    if params.as_of is not None:  # the "as of" date of a scenario run
        ax.axvline(fractional_year(params.as_of), color="#999999", lw=0.9, zorder=1, gid="as_of")
        used.add("as_of")
    words = {key: text[language] for key, text in TRAJECTORY_WORDS.items()}
    notes = []
    if is_extreme(row) and "extrapolation" in used:
        notes.append(words["extrapolation"])
    if used & {"band_scenario", "band_interval"}:
        notes.append(band_note(row, params.interval_alpha, language))
    if "clipped" in used:
        notes.append(words["clipped"])
    if not math.isfinite(_number(row.get("target_value"))):
        notes.append(words["no_target"].format(year=params.target_year))
    if observed_by_horizon(row):
        notes.append(words["observed_by_horizon"].format(year=_text(row.get("latest_date"))[:4]))
    _panel_notes(ax, notes, rising=float(points["y"].iloc[-1]) >= float(points["y"].iloc[0]))
    ax.set_title(panel_title(row, language=language), loc="left", fontsize=MIN_FONT_PT)
    ax.set_ylabel(unit_label(row.get("unit"), language) or words["value"])
    ax.set_xlabel(words["year"])
    ax.set_xlim(min(float(points["t"].min()), horizon) - 0.6, max(horizon, t_latest) + 0.6)
    ax.set_ylim(*axis)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:.0f}"))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: format_number(y, "", language)))
    return used - {"clipped"}


def _trajectory_legend(
    used: set[str], alpha: float, language: Language = "en"
) -> tuple[list[Any], list[str]]:
    """Legend handles for the keys used, in a fixed order."""
    c = OBSERVED_COLOUR
    w = {key: text[language] for key, text in TRAJECTORY_WORDS.items()}
    entries = {
        "observed": (Line2D([], [], color=c, marker="o", ms=5.5), w["observed"]),
        "outside": (
            Line2D([], [], ls="none", marker="o", mfc="white", mec=c, mew=1.5, ms=5.5),
            w["outside"],
        ),
        "range": (Line2D([], [], ls="none", marker="|", color=c, ms=10), w["range"]),
        "projection": (Line2D([], [], color=PROJECTION_COLOUR, ls="--"), w["projection"]),
        "extrapolation": (
            Line2D([], [], color=EXTRAPOLATION_COLOUR, ls="--"),
            w["extrapolation"],
        ),
        "band_scenario": (Patch(fc=PROJECTION_COLOUR, alpha=0.22), w["band_scenario"]),
        "band_interval": (
            Patch(fc=PROJECTION_COLOUR, alpha=0.22),
            w["band_interval"].format(level=f"{(1 - alpha) * 100:g}"),
        ),
        "required": (Line2D([], [], color=REQUIRED_COLOUR, ls=":", lw=1.8), w["required"]),
        "target": (
            Line2D([], [], ls="none", marker="*", color=TARGET_COLOUR, ms=12),
            w["target"],
        ),
        "as_of": (Line2D([], [], color="#999999", lw=0.9), w["as_of"]),
    }
    keys = [k for k in entries if k in used]
    return [entries[k][0] for k in keys], [entries[k][1] for k in keys]


PANEL_HEIGHT = 3.3  # inches, one trajectory panel with its title and axis labels


def trajectory_grid(
    observations: pd.DataFrame,
    assessment: pd.DataFrame,
    params: Parameters | None,
    title: str,
    source: str,
    *,
    columns: int = 1,
    language: Language = "en",
) -> Figure:
    """Small multiples: one trajectory panel per series of `assessment` with >= 2 points, its
    words in `language`. One column by default, so that a phone shows each panel readably."""
    p = Parameters.coerce(params)
    points = plotted_points(observations, p)
    rows = [row for _, row in series_with_trend(assessment).iterrows()]
    if not rows:
        return _message_figure(title, TRAJECTORY_WORDS["no_trend"][language], source)
    ncols = max(1, min(columns, len(rows)))
    nrows = math.ceil(len(rows) / ncols)
    fig = _new_figure(FIGURE_WIDTH * ncols, PANEL_HEIGHT * nrows + 2.4)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    used: set[str] = set()
    by_series = dict(tuple(points.groupby("series_id", sort=False)))
    for ax, row in zip(axes, rows, strict=False):
        used |= draw_trajectory(ax, by_series[str(row["series_id"])], row, p, language)
    for ax in axes[len(rows) :]:
        fig.delaxes(ax)
    fig.suptitle(wrap_title(title))
    add_source(fig, source)
    _add_bottom_legend(fig, *_trajectory_legend(used, p.interval_alpha, language))
    return fig


# ---------------------------------------------------------------------------------------------
# Progress made vs time elapsed


def _time_shares(rows: pd.DataFrame, params: Parameters) -> np.ndarray:
    """Time share per row: the data's, else that of the plan period at the row's latest date
    (`params.as_of` when set, else the latest date of all rows, for a row without one)."""
    shares = rows["time_share"].astype(float).to_numpy(copy=True)
    latest = np.array(
        [fractional_year(d) if d else np.nan for d in map(_text, rows["latest_date"])]
    )
    if params.as_of is not None:
        fallback = fractional_year(params.as_of)
    else:
        fallback = np.nanmax(latest) if np.isfinite(latest).any() else np.nan
    at = np.where(np.isfinite(latest), latest, fallback)
    target_year = rows["target_year"].astype(float).fillna(float(params.target_year)).to_numpy()
    computed = plan_time_share(at, params.base_year, target_year)
    return np.where(np.isfinite(shares), shares, computed)


PROGRESS_WORDS = {
    "subtitle": Text(
        "完成进度（条）与时间进度（虚线）", "Progress made (bars) vs time elapsed (dashed line)"
    ),
    "left_out": Text(
        "另有{left}项（共{total}项）未列出：{reasons}", "{left} of {total} left out:{reasons}"
    ),
    "axis": Text("距{year}年目标已走过的路程（%）", "Share of the way to the {year} target (%)"),
    "met": Text("已实现目标", "target met"),
    "time": Text("时间已过{share:.0f}%", "{share:.0f} % of the time elapsed"),
    "time_legend": Text(
        "时间进度：规划期已过{share:.0f}%", "time elapsed: {share:.0f} % of the plan"
    ),
    "time_ticks": Text("时间进度", "time elapsed"),
    "none": Text("没有可显示的指标（均无目标或无趋势）", "no series with a target and a trend"),
}
# Why a row is left out of the progress chart (`progress_kind`), with the number of rows.
LEFT_OUT_REASONS = {
    "no_target": Text("{n}项无量化目标", "{n} without a numeric target"),
    "no_figure": Text(
        "{n}项有目标但报告未给出数值", "{n} with a target but no figure in the report"
    ),
    "no_trend": Text("{n}项有目标但无趋势", "{n} with a target but no trend"),
}
PROGRESS_LEGEND = {
    "met": Text("已实现目标", "target met (already reached)"),
    "on_track": Text("快于或符合预期", "ahead of / on schedule"),
    "acceleration": Text("需加快进度", "acceleration needed"),
    "limited": Text("滞后", "behind schedule"),
    "deterioration": Text("倒退", "deterioration"),
}


def progress_kind(row: pd.Series) -> str:
    """What the progress chart can show of a row: "met" (the target is reached), "bar" (a task
    share), or why not: "no_target", "no_figure" (the report states none), "no_trend"."""
    if not math.isfinite(_number(row.get("target_value"))):
        return "no_target"
    if row.get("category") == progress.TARGET_ACHIEVED or row.get("midterm_label") == (
        progress.ACHIEVED_EARLY
    ):
        return "met"
    if math.isfinite(_number(row.get("task_share"))):
        return "bar"
    if not _number(row.get("n_points")) > 0:
        return "no_figure"
    return "no_trend"


def shown_in_progress(rows: pd.DataFrame) -> np.ndarray:
    """The rows the progress chart draws: a met target or a task share."""
    return np.array([progress_kind(row) in ("met", "bar") for _, row in rows.iterrows()], bool)


def left_out_of_progress(rows: pd.DataFrame, language: Language, lines: bool = False) -> str:
    """How many rows the progress chart leaves out, of how many, and why ('' when none); with
    `lines`, each reason on a line of its own (the chart's subtitle, right-aligned, would break
    a reason in the middle of a word)."""
    kinds = [progress_kind(row) for _, row in rows.iterrows()]
    left = [kind for kind in kinds if kind in LEFT_OUT_REASONS]
    if not left:
        return ""
    zh = language == "zh"
    separator = ("；" if zh else ";") + "\n" if lines else "，" if zh else ", "
    reasons = separator.join(
        words[language].format(n=left.count(kind))
        for kind, words in LEFT_OUT_REASONS.items()
        if kind in left
    )
    opening = "\n" if lines else "" if zh else " "
    return PROGRESS_WORDS["left_out"][language].format(
        left=len(left), total=len(rows), reasons=opening + reasons
    )


ROW_NAME_WIDTH = across(0.43)  # a bar's name beside the bars
COUNT_NAME_WIDTH = across(0.8)  # a count's name, over its bar across the panel


def row_label(row: pd.Series, language: Language) -> str:
    """A row's name in the edition's language, with its headline number, on one line."""
    if language == "zh":
        return series_label(row)
    name = _text(row.get("name_en")) or _text(row.get("series_id"))
    headline = row.get("headline")
    return name if _is_missing(headline) else f"{name} ({int(headline)})"


def row_name(row: pd.Series, language: Language, width: int = ROW_NAME_WIDTH) -> str:
    """A row's label wrapped to `width`: Chinese anywhere a line may break, English at spaces."""
    label = row_label(row, language)
    if language == "zh":
        return "\n".join(wrap_mixed(label, width))
    return textwrap.fill(label, width=width)


def tallest_in(names: Iterable[str]) -> float:
    """The height in inches of the longest of some names, a line each per LINE_IN."""
    return LINE_IN * max(name.count("\n") + 1 for name in names)


def _draw_progress_row(ax: Axes, i: int, row: pd.Series, language: Language) -> str:
    """Bar and its text of one shown row; returns its legend key.

    A met target is a hatched bar to 100 %; a share in progress is a bar with its value and
    status at the end, clipped to -100..100 %.
    """
    if progress_kind(row) == "met":
        fill = _GROUP_COLOURS["achieved"][0]
        ax.barh(i, 100.0, color=fill, hatch="///", ec="white", height=0.62, gid="bar:met")
        end, text, key = 100.0, PROGRESS_WORDS["met"][language], "met"
    else:
        task = _number(row.get("task_share")) * 100
        length = float(np.clip(task, -100, 100))
        code = row.get("midterm_label")
        ax.barh(i, length, color=status_colours(code)[0], height=0.62, gid="bar:share")
        label = progress.label(code, language) if isinstance(code, str) else ""
        end, text = max(length, 0.0), f"{task:.0f} % {label}".strip()
        key = _STATUS_GROUP.get(code, "none") if isinstance(code, str) else "none"
    ax.text(end + 2, i, text, va="center", ha="left", fontsize=MIN_FONT_PT, color="#222222")
    return key


def progress_vs_time(
    assessment: pd.DataFrame,
    title: str,
    source: str,
    *,
    params: Parameters | None = None,
    language: Language = "en",
) -> Figure:
    """Bars of the share of the way to the target covered, against the share of time elapsed,
    for the rows of `assessment` (in its order) that have something to show: a met target or a
    task share. How many were left out is said under the title.

    `params` gives the plan period (and `as_of`) used when the data carry no time share.
    """
    p = Parameters.coerce(params)
    every = assessment.reset_index(drop=True)
    rows = every[shown_in_progress(every)].reset_index(drop=True) if len(every) else every
    if not len(rows):
        return _message_figure(title, PROGRESS_WORDS["none"][language], source)
    years = rows["target_year"].dropna().astype(int).unique().tolist()
    target_year = years[0] if len(years) == 1 else p.target_year
    names = [row_name(row, language) for _, row in rows.iterrows()]
    # each bar as tall as its tallest name: English names wrap to three or four lines
    pitch = max(PROGRESS_ROW_IN, tallest_in(names) + 0.1)
    fig = _new_figure(FIGURE_WIDTH, 2.9 + pitch * len(rows))
    ax = fig.add_subplot()
    used = {_draw_progress_row(ax, i, row, language) for i, row in rows.iterrows()}
    shares = _time_shares(rows, p) * 100
    _draw_time_share(ax, shares, np.arange(len(rows)), language)
    ax.set_yticks(np.arange(len(rows)), names)
    ax.set_ylim(len(rows) - 0.4, -0.6)
    lowest = rows["task_share"].astype(float).min() * 100
    ax.set_xlim(min(0.0, lowest - 5) if math.isfinite(lowest) else 0.0, 190)
    ax.set_xticks(range(0, 101, 25))
    ax.axvline(100, color="#999999", lw=0.8, zorder=1)
    # ends under the axes' right end: centred under axes narrowed by long names, the English
    # label ran past the figure's edge
    ax.set_xlabel(PROGRESS_WORDS["axis"][language].format(year=target_year), loc="right")
    ax.grid(axis="y", visible=False)
    subtitle = PROGRESS_WORDS["subtitle"][language]
    left_out = left_out_of_progress(every, language, lines=True)
    if left_out:
        subtitle += "\n" + left_out
    # right-aligned with the axes: it may reach left over the names, never past the right edge
    ax.set_title(wrap_lines(subtitle, SUBTITLE_WIDTH), fontsize=MIN_FONT_PT, loc="right")
    fig.suptitle(wrap_title(title))
    add_source(fig, source)
    _add_bottom_legend(fig, *_progress_legend(used, shares, language))
    return fig


SUBTITLE_WIDTH = across(0.57)  # a subtitle right-aligned with its axes, within the figure
PROGRESS_ROW_IN = 0.62  # inches per bar of the progress chart, at least


def _draw_time_share(ax: Axes, shares: np.ndarray, rows: np.ndarray, language: Language) -> None:
    """One vertical line if every row has the same time share, else a tick on each row."""
    finite = shares[np.isfinite(shares)]
    if not finite.size:
        return
    if np.allclose(finite, finite[0], atol=0.05):
        ax.axvline(finite[0], color="#333333", ls="--", lw=1.3, zorder=4, gid="time_share")
        return
    for row, share in zip(rows, shares, strict=True):
        if np.isfinite(share):
            ax.plot([share, share], [row - 0.4, row + 0.4], color="#333333", lw=1.6, zorder=4)


def _progress_legend(
    used: set[str], shares: np.ndarray, language: Language
) -> tuple[list[Any], list[str]]:
    """Legend entries: the time-share line and the bar colours used."""
    finite = shares[np.isfinite(shares)]
    handles: list[Any] = []
    labels: list[str] = []
    if finite.size:
        same = np.allclose(finite, finite[0], atol=0.05)
        handles.append(Line2D([], [], color="#333333", ls="--" if same else "-", lw=1.3))
        words = PROGRESS_WORDS["time_legend" if same else "time_ticks"][language]
        labels.append(words.format(share=finite[0]))
    for key, name in PROGRESS_LEGEND.items():
        if key in used:
            fill = _GROUP_COLOURS["achieved" if key == "met" else key][0]
            handles.append(Patch(fc=fill, hatch="///" if key == "met" else None, ec="white"))
            labels.append(name[language])
    return handles, labels


# ---------------------------------------------------------------------------------------------
# Status dashboard


# The three methods of the dashboard: result-table column and its heading.
DASHBOARD_COLUMNS = (
    ("category", Text("进展类别\n（Open SDG）", "Progress category\n(Open SDG)")),
    ("unsd_category", Text("预测值比率\n（联合国统计司）", "Projected ratio\n(UNSD)")),
    ("midterm_label", Text("时间过半、\n任务过半", "Mid-term test\n(time vs task)")),
)
DASHBOARD_WORDS = {
    "no_target": Text("无量化目标，不评价", "no target: not assessed"),
    "no_label": Text("无标签", "no label"),
    "none": Text("没有指标", "no series"),
}
TILE_WIDTH = across(0.29)  # text on one tile (a third of the figure)
NAME_WIDTH = across(0.74)  # a series name across the figure
TILE_IN, NAME_LINE_IN, HEADING_IN = 0.62, 0.2, 0.75  # inches
# a series' name stands closer to its own tiles, under it, than to the tiles above it
NAME_ABOVE_IN, NAME_BELOW_IN = 0.14, 0.03


def tile_text(code: str | None, has_target: bool, language: Language) -> str:
    """The label of a tile in the edition's language, wrapped to the tile."""
    if code is None:
        words = DASHBOARD_WORDS["no_label" if has_target else "no_target"][language]
    else:
        words = progress.label(code, language)
    return "\n".join(wrap_mixed(words, TILE_WIDTH))


TITLE_LINE_IN = 0.27  # a line of a figure's title, with its spacing


def status_dashboard(
    assessment: pd.DataFrame,
    source: str,
    *,
    title: str = "Progress status by method",
    language: Language = "en",
) -> Figure:
    """One block per series: its name across the figure, then a coloured tile per method with
    the category in the edition's language. Narrow enough for a phone."""
    rows = assessment.reset_index(drop=True)
    if not len(rows):
        return _message_figure(title, DASHBOARD_WORDS["none"][language], source)
    names = [row_name(row, language, NAME_WIDTH).split("\n") for _, row in rows.iterrows()]
    block = NAME_ABOVE_IN + NAME_BELOW_IN + TILE_IN
    height = HEADING_IN + sum(len(n) * NAME_LINE_IN + block for n in names)
    # the blocks are laid out in inches: the figure adds only its title (the source adds its
    # own height), so that an inch of the axes is an inch of the figure
    title_in = TITLE_LINE_IN * (wrap_title(title).count("\n") + 1) + 0.3
    fig = _new_figure(FIGURE_WIDTH, height + title_in)
    ax = fig.add_subplot()
    for j, (_, heading) in enumerate(DASHBOARD_COLUMNS):
        ax.text(
            j + 0.5,
            HEADING_IN / 2,
            heading[language],
            ha="center",
            va="center",
            fontsize=MIN_FONT_PT,
        )
    y = HEADING_IN
    for (_, row), name in zip(rows.iterrows(), names, strict=True):
        ax.text(
            0.02,
            y + NAME_ABOVE_IN,
            "\n".join(name),
            ha="left",
            va="top",
            fontsize=MIN_FONT_PT,
            linespacing=1.15,
            gid=f"name:{row['series_id']}",
        )
        y += NAME_ABOVE_IN + len(name) * NAME_LINE_IN + NAME_BELOW_IN
        for j, (column, _heading) in enumerate(DASHBOARD_COLUMNS):
            _draw_tile(ax, j, y, row, column, language)
        y += TILE_IN
    ax.set_xlim(0, len(DASHBOARD_COLUMNS))
    ax.set_ylim(y, 0)
    ax.set_axis_off()
    fig.suptitle(wrap_title(title))
    add_source(fig, source)
    return fig


def _draw_tile(ax: Axes, x: int, y: float, row: pd.Series, column: str, language: Language) -> None:
    """One coloured tile with the label of the row's code in `column`."""
    code = None if _is_missing(row.get(column)) else str(row.get(column))
    fill, ink = status_colours(code)
    has_target = math.isfinite(_number(row.get("target_value")))
    ax.add_patch(Rectangle((x, y), 1, TILE_IN, fc=fill, ec="white", lw=2.5, gid=f"tile:{code}"))
    ax.text(
        x + 0.5,
        y + TILE_IN / 2,
        tile_text(code, has_target, language),
        ha="center",
        va="center",
        fontsize=MIN_FONT_PT,
        color=ink,
        linespacing=1.1,
    )


# ---------------------------------------------------------------------------------------------
# Latest values


def count_like(assessment: pd.DataFrame, units: Sequence[str] = COUNT_UNITS) -> pd.DataFrame:
    """Rows whose unit counts things (facilities, people, items) and that have a latest value."""
    mask = assessment["unit"].isin(list(units)) & assessment["latest_value"].astype(float).notna()
    return assessment[mask]


COUNT_WORDS = {
    "none": Text("没有有数值的数量类指标", "no count-like series with a value"),
    "axis": Text("最新值（{unit}）", "Latest value ({unit})"),
}
BAR_IN, PANEL_EXTRA_IN = 0.42, 0.9  # inches per bar and per panel (axis and its label)
COUNT_BAR_IN, COUNT_ROW_GAP_IN = 0.3, 0.22  # a count's bar, and the space after it
# names and values on a background of their own, so that no grid line runs through them
TEXT_OVER_GRID = {"facecolor": "white", "edgecolor": "none", "pad": 0.5}
LINE_IN = 0.2  # inches per line of a bar's name (MIN_FONT_PT with its line spacing)


# Measure words that count the same thing: 名 counts people as 人 does (儿童主任1498人,
# 儿童保护专干1448名), so both are drawn on one axis of people.
SAME_UNIT = {"名": "人"}


def count_groups(rows: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The count rows grouped by unit, largest group first, each largest value first: counts
    of people, of units and of person-times are never drawn on one axis."""
    units = rows["unit"].fillna("").map(lambda unit: SAME_UNIT.get(unit, unit))
    groups = [
        (str(unit), group.sort_values("latest_value", ascending=False, kind="stable"))
        for unit, group in rows.groupby(units, sort=False)
    ]
    return sorted(groups, key=lambda item: -len(item[1]))


def latest_values_bars(
    assessment: pd.DataFrame,
    title: str,
    source: str,
    language: Language = "en",
    observations: pd.DataFrame | None = None,
) -> Figure:
    """Horizontal bars of the latest value of each count-like series: one panel per unit, each
    on a linear axis from zero labelled with its unit. Given the observations, each bar says
    its value as the report states it (its qualifier: 近50人) and its name the period a total
    covers (2021年至2023年5月累计)."""
    rows = count_like(assessment)
    if not len(rows):
        return _message_figure(title, COUNT_WORDS["none"][language], source)
    groups = [(unit, group.reset_index(drop=True)) for unit, group in count_groups(rows)]
    labels = [count_labels(group, language, observations) for _, group in groups]
    # each row as tall as its longest name over its bar
    names_in = [tallest_in(name for _, name in panel) for panel in labels]
    heights = [
        (name_in + COUNT_BAR_IN + COUNT_ROW_GAP_IN) * len(group) + PANEL_EXTRA_IN
        for name_in, (_, group) in zip(names_in, groups, strict=True)
    ]
    fig = _new_figure(FIGURE_WIDTH, sum(heights) + 1.0)
    axes = fig.subplots(len(groups), 1, squeeze=False, height_ratios=heights).ravel()
    for ax, (unit, group), panel, name_in in zip(axes, groups, labels, names_in, strict=True):
        _draw_count_panel(ax, unit, group, panel, language, name_in)
    fig.suptitle(wrap_title(title))
    add_source(fig, source)
    make_room_for_values(fig)
    return fig


# A panel's axis is lengthened to fit a value beside its bar up to this many times the axis the
# bars were drawn on; a longer value goes inside its bar instead, where it fits there.
MAX_STRETCH = 1.5
VALUE_INSIDE = "value_inside"  # the gid of a value written inside its bar


def make_room_for_values(fig: Figure) -> None:
    """Fit each panel's values ('1,498 child directors (1,448 elsewhere)'), measured on the
    figure as laid out: a value that runs past the axes goes inside its bar, in white, where
    the bar holds it and lengthening the axis would squeeze the bars (an English label can be
    most of a phone's width: the axis ran to 12,000 for 1,498); else the axis is lengthened
    so that the bar's end plus its label fit."""
    fig.get_layout_engine().execute(fig)
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        width = ax.get_window_extent(renderer).width
        start, drawn_end = ax.get_xlim()
        end = drawn_end
        for text in (text for text in ax.texts if text.get_gid() == "value"):
            label = text.get_window_extent(renderer).width + 8  # air between it and the frame
            value = float(text.get_position()[0])
            if label >= width or value <= 0:
                continue
            needed = value * width / (width - label)
            if needed <= drawn_end:
                continue
            if needed > drawn_end * MAX_STRETCH and value / drawn_end * width >= label + 4:
                text.set_text(f"{text.get_text().strip()} ")
                text.set(ha="right", color="white", bbox=None, gid=VALUE_INSIDE)
                continue
            end = max(end, needed)
        ax.set_xlim(start, end)


def count_labels(
    rows: pd.DataFrame, language: Language, observations: pd.DataFrame | None
) -> list[tuple[str, str]]:
    """(the value at the bar's end, the name over the bar) of each count: the value as the
    report states it (its qualifier), the name with the date or the period a total covers."""
    labels = []
    for _, row in rows.iterrows():
        value = float(row["latest_value"])
        date = _text(row.get("latest_date"))
        observation = stated(observations, str(row["series_id"]), date)
        if observation is None:
            label, when = format_number(value, "", language), date[:4]
        else:  # in the row's own measure word (1448名 on the axis of 人)
            label = observed_value(observation, row["unit"], language)
            when = period_text(date, str(observation.get("note") or ""), language)
            for other in other_figures(observations, str(row["series_id"]), date):
                if language == "zh":
                    label += f"（另一处为{observed_value(other, row['unit'], language)}）"
                else:  # the unit once: '1,498 child directors (1,448 elsewhere)'
                    label += f" ({observed_value(other, '', language)} elsewhere)"
        name = row_label(row, language)
        if when:
            name = f"{name}（{when}）" if language == "zh" else f"{name}, {when}"
        labels.append((label, "\n".join(wrap_mixed(name, COUNT_NAME_WIDTH))))
    return labels


def _draw_count_panel(
    ax: Axes,
    unit: str,
    rows: pd.DataFrame,
    labels: list[tuple[str, str]],
    language: Language,
    name_in: float,
) -> None:
    """Bars of one unit's counts, on a linear axis from zero, each with its name over it across
    the panel's whole width (a phone shows it in one or two lines, not squeezed beside the
    bars) and its value at its end. `name_in`: the height of the longest name, in inches."""
    ax.set_gid(f"unit:{unit}")
    values = rows["latest_value"].astype(float).to_numpy()
    y = np.arange(len(rows))
    pitch = name_in + COUNT_BAR_IN + COUNT_ROW_GAP_IN  # inches per row: one unit of y
    bar = COUNT_BAR_IN / pitch
    ax.barh(y, values, color=BLUE, height=bar, gid="latest")
    over = ax.get_yaxis_transform()  # x across the axes, y in rows
    for i, (label, name) in enumerate(labels):
        ax.text(
            max(values[i], 0.0), i, f" {label}", va="center", ha="left", fontsize=MIN_FONT_PT,
            gid="value", bbox=TEXT_OVER_GRID, in_layout=False,  # fitted by make_room_for_values
        )  # fmt: skip
        ax.text(
            0.01, i - bar / 2 - 0.03 / pitch, name, va="bottom", ha="left", fontsize=MIN_FONT_PT,
            transform=over, gid="name", bbox=TEXT_OVER_GRID,
        )  # fmt: skip
    ax.set_yticks([])
    ax.set_ylim(
        len(rows) - 1 + bar / 2 + COUNT_ROW_GAP_IN / 2 / pitch, -bar / 2 - (name_in + 0.1) / pitch
    )
    ax.set_xlim(0, max(float(values.max()), 1.0) * 1.6)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.set_xlabel(COUNT_WORDS["axis"][language].format(unit=count_axis_unit(unit, rows, language)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_number(x, "", language)))
    ax.grid(axis="y", visible=False)


# What every count of a measure word counts, where English has one word for it: 人 and 名
# count people, whatever their role (child directors beside volunteers).
COUNTED_IN_ENGLISH = {"人": "people", "户": "households"}


# An English panel of counts names up to this many kinds of thing; more are a 'number'.
NAMED_KINDS = 3


def count_axis_unit(unit: str, rows: pd.DataFrame, language: Language) -> str:
    """What a panel of counts counts: its measure word in Chinese. In English, which has no
    measure words, what its measure word always counts ('people'), else the things its bars
    count ('beds'; 'foundations, organisations'), else 'number' (more than NAMED_KINDS
    kinds): two panels, of 家 and of 个, are not both a 'number'."""
    if language == "zh":
        return unit
    nouns = list(dict.fromkeys(in_english(_text(u)) for u in rows["unit"]))
    if len(nouns) > 1 and unit in COUNTED_IN_ENGLISH:
        return COUNTED_IN_ENGLISH[unit]
    return ", ".join(nouns) if len(nouns) <= NAMED_KINDS else "number"


# ---------------------------------------------------------------------------------------------
# A sweep's comparison

SCENARIO_NAME_WIDTH = across(0.23)  # a scenario's name beside its bar

SCENARIO_WORDS = {
    "axis": Text("预测值（{unit}）", "projected value ({unit})"),
    "target": Text("目标值", "target"),
    "none": Text("各情景下均无预测值。", "No scenario has a projection."),
}


def scenario_bars(comparison: pd.DataFrame, title: str, source: str, language: Language) -> Figure:
    """The projection of each series under each scenario: one panel per series (those in
    `comparison`, the rows of `analysis.book.scenarios.comparison_table` to draw), a bar per
    scenario on a linear axis from zero labelled with the unit, the band as a whisker and the
    target as a dashed mark on the scenario's own bar."""
    rows = comparison[comparison["projected_value"].notna()]
    groups = [group.reset_index(drop=True) for _, group in rows.groupby("series_id", sort=False)]
    if not groups:
        return _message_figure(title, SCENARIO_WORDS["none"][language], source)
    heights = [BAR_IN * len(group) + PANEL_EXTRA_IN for group in groups]
    fig = _new_figure(FIGURE_WIDTH, sum(heights) + 1.8)
    axes = fig.subplots(len(groups), 1, squeeze=False, height_ratios=heights).ravel()
    drew_target = False
    band_kinds: set[str] = set()
    for ax, group in zip(axes, groups, strict=True):
        unit = _text(group.at[0, "unit"])
        values = group["projected_value"].astype(float).to_numpy()
        low = group["projected_low"].astype(float).fillna(group["projected_value"]).to_numpy()
        high = group["projected_high"].astype(float).fillna(group["projected_value"]).to_numpy()
        targets = group["target_value"].astype(float).to_numpy()
        y = np.arange(len(group))
        ax.set_gid(f"series:{group.at[0, 'series_id']}")
        # blue, not the projection's orange: the target's vermillion must stand out on a bar
        ax.barh(y, values, color=BLUE, height=0.62, gid="projection")
        banded = high > low
        if banded.any():
            ax.errorbar(
                values[banded], y[banded], xerr=[values[banded] - low[banded],
                high[banded] - values[banded]], fmt="none", ecolor="#444444", capsize=3,
            )  # fmt: skip
            band_kinds |= set(group.loc[banded, "interval_kind"].dropna())
        for i in np.flatnonzero(~np.isnan(targets)):
            ax.plot([targets[i]] * 2, [i - 0.4, i + 0.4], color=TARGET_COLOUR, ls="--", lw=2)
            drew_target = True
        for i, value in enumerate(values):
            ax.text(max(high[i], value), i, f" {format_estimate(value, unit, language)}",
                    va="center", ha="left", fontsize=MIN_FONT_PT)  # fmt: skip
        ax.set_yticks(y, [wrap_lines(str(name), SCENARIO_NAME_WIDTH) for name in group["scenario"]])
        ax.set_ylim(len(group) - 0.4, -0.6)
        top = np.nanmax(np.concatenate([high, targets, [1.0]]))
        bottom = np.nanmin(np.concatenate([low, targets, [0.0]]))  # from zero, or below it
        ax.set_xlim(bottom * 1.35, top * 1.35)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_number(x, "", language)))
        ax.set_xlabel(SCENARIO_WORDS["axis"][language].format(unit=unit_label(unit, language)))
        ax.set_title(panel_title(group.iloc[0], language=language), loc="left")
        ax.grid(axis="y", visible=False)
    fig.suptitle(wrap_title(title))
    add_source(fig, source)
    handles, labels = [], []
    if drew_target:
        handles.append(Line2D([], [], color=TARGET_COLOUR, ls="--", lw=2))
        labels.append(SCENARIO_WORDS["target"][language])
    if band_kinds:
        handles.append(Line2D([], [], color="#444444", marker="|", ls="-"))
        kinds = [BAND_KINDS[kind][language] for kind in sorted(band_kinds) if kind in BAND_KINDS]
        labels.append(("、" if language == "zh" else ", ").join(kinds))
    _add_bottom_legend(fig, handles, labels)
    return fig
