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

from analysis.book.tables import format_number, with_signs
from analysis.core.dates import fractional_year, plan_time_share
from analysis.core.language import Language, Text
from analysis.core.report import CITATION, REPORT_SOURCE
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
    "band": Text(
        "预测区间（情景或{level}%预测区间）",
        "projection band (scenario or {level} % prediction interval)",
    ),
    "required": Text("实现目标所需路径", "required path"),
    "target": Text("目标", "target"),
    "as_of": Text("本次运行的截止日期", "as-of date of this run"),
    "no_trend": Text(
        "没有可绘制趋势的指标（每项少于两个数值）",
        "no series with a trend (fewer than 2 points each)",
    ),
}
SOURCE_GID = "source"
SOURCE_FONTSIZE = 7.5
DPI = 110

# Seaborn's colour-blind-safe palette ("colorblind"), named by use.
BLUE, ORANGE, GREEN, VERMILLION = sns.color_palette("colorblind").as_hex()[:4]
OBSERVED_COLOUR = BLUE
PROJECTION_COLOUR = ORANGE
EXTRAPOLATION_COLOUR = "#8c8c8c"
REQUIRED_COLOUR = GREEN
TARGET_COLOUR = VERMILLION

# Units of counted things (facilities, people, items): what `latest_values_bars` shows.
COUNT_UNITS = (
    "个", "家", "人", "名", "人次", "张", "项", "处", "条", "块", "辆", "台", "部", "本",
    "类", "批", "面", "岗", "次",
)  # fmt: skip

# Status colours by group (fill, text): Okabe-Ito hues (blue, bluish green, orange, vermillion),
# lightened for legible dark text, and stepped in lightness so that they differ under every
# colour-vision deficiency; grey for no target, no data or not assessed.
_GROUP_COLOURS: dict[str, tuple[str, str]] = {
    "achieved": ("#5DA5DA", "#111111"),
    "on_track": ("#7FCDBB", "#111111"),
    "acceleration": ("#F6CF7A", "#111111"),
    "limited": ("#E07B4F", "#111111"),
    "deterioration": ("#A63D00", "#FFFFFF"),
    "none": ("#DDDDDD", "#333333"),
}
_STATUS_GROUP: dict[str, str] = {
    progress.TARGET_ACHIEVED: "achieved",
    progress.ON_TRACK_OR_MET: "achieved",
    progress.ACHIEVED_EARLY: "achieved",
    progress.ON_TRACK: "on_track",
    progress.SUBSTANTIAL_PROGRESS: "on_track",
    progress.AHEAD: "on_track",
    progress.ON_SCHEDULE: "on_track",
    progress.ACCELERATION_NEEDED: "acceleration",
    progress.MODERATE_PROGRESS: "acceleration",
    progress.FAIR_PROGRESS: "acceleration",
    progress.LIMITED_PROGRESS: "limited",
    progress.BEHIND: "limited",
    progress.DETERIORATION: "deterioration",
    progress.STAGNATION_OR_REGRESSION: "deterioration",
    progress.GROWTH_ON_TRACK: "on_track",
    progress.GROWTH_FAIR: "acceleration",
    progress.GROWTH_STAGNATION: "deterioration",
}
# The three methods of the dashboard: result-table column and column heading.
DASHBOARD_COLUMNS = (
    ("category", "Open SDG / Statistics Canada\n进展类别"),
    ("unsd_category", "UNSD projected ratio\n预测值比率"),
    ("midterm_label", "Mid-term test\n时间过半、任务过半"),
)


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
    """Add the CJK font to matplotlib's font manager once; return its family name."""
    path = cjk_font_path()
    registered = {Path(entry.fname) for entry in font_manager.fontManager.ttflist}
    if path not in registered:
        font_manager.fontManager.addfont(str(path))
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
        "font.size": 10,
        "axes.titlesize": 10,
        "axes.labelsize": 9.5,
        "xtick.labelsize": 8.5,
        "ytick.labelsize": 8.5,
        "legend.fontsize": 9,
        "figure.titlesize": 13,
        "axes.titlelocation": "left",
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
) -> str:
    """The standard source line, naming the report sections (and other sources) of the series,
    then `note` (what else the chart draws on), in the edition's language."""
    sections: list[str] = []
    others: list[str] = []
    if observations is not None and len(observations):
        rows = observations
        if series_ids is not None:
            rows = rows[rows["series_id"].isin(list(series_ids))]
        is_report = rows["source"].fillna(REPORT_SOURCE).eq(REPORT_SOURCE)
        sections = list(dict.fromkeys(rows.loc[is_report, "section"].dropna().astype(str)))
        others = list(dict.fromkeys(rows.loc[~is_report, "source"].astype(str)))
    if language == "zh":
        text = f"资料来源：{CITATION}"
        if sections:
            text += f"，{'、'.join(sections)}"
        if others:
            text += f"；其他来源（空心点）：{'；'.join(others)}"
        if note:
            text += f"；{note.zh}"
        return text + "；预测与评估：本书计算。"
    text = f"Source: {CITATION}"
    if sections:
        text += f", section{'s' if len(sections) > 1 else ''} {', '.join(sections)}"
    if others:
        text += f"; other sources (hollow markers): {'; '.join(others)}"
    if note:
        text += f"; {note.en}"
    return text + "; projection and assessment: this book."


def display_width(text: str) -> int:
    """Width in half-em units: 2 for a wide (CJK) character, 1 otherwise."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap_mixed(text: str, width: int) -> list[str]:
    """Wrap Chinese-English text to `width` half-em units; breaks at spaces, else anywhere."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        pieces = [word]
        if display_width(word) > width:
            pieces, chunk = [], ""
            for ch in word:
                if display_width(chunk + ch) > width:
                    pieces.append(chunk)
                    chunk = ""
                chunk += ch
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
    """Write `text` under the chart, wrapped to the figure width, and keep the axes above it.

    The text is measured after wrapping (and wrapped narrower if it would overflow); with
    constrained layout the layout rectangle starts above it, otherwise the bottom margin grows.
    """
    margin_in = 0.08
    width_in, height_in = fig.get_figwidth(), fig.get_figheight()
    units = max(20, int((width_in - 2 * margin_in) * 72 / (SOURCE_FONTSIZE * 0.48)))
    artist = fig.text(
        margin_in / width_in,
        margin_in / height_in,
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
    estimate = (len(lines) * SOURCE_FONTSIZE * 1.3 / 72 + margin_in) / height_in
    _reserve_bottom(fig, _top_fraction(fig, artist, estimate) + margin_in / height_in)


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
        ncols=min(4, len(handles)),
        frameon=False,
    )
    legend.set_gid("legend")
    _reserve_bottom(fig, _top_fraction(fig, legend, bottom + 0.05))


def _new_figure(width: float, height: float) -> Figure:
    """A Figure with constrained layout and an Agg canvas, outside pyplot."""
    _ensure_style()
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _message_figure(title: str, message: str, source: str) -> Figure:
    """A small figure that says there is nothing to draw, and why."""
    fig = _new_figure(8, 2.2)
    fig.suptitle(title)
    fig.text(0.5, 0.55, message, ha="center", va="center", fontsize=11, color="#555555")
    add_source(fig, source)
    return fig


# ---------------------------------------------------------------------------------------------
# Shared helpers


def status_colours(code: str | None) -> tuple[str, str]:
    """(fill, text) colour of a category code; grey for no target, no data or not assessed."""
    group = _STATUS_GROUP.get(code, "none") if isinstance(code, str) else "none"
    return _GROUP_COLOURS[group]


def status_text(code: str | None) -> str:
    """Chinese and English label of a category code, on two lines."""
    if not isinstance(code, str):
        return "无标签\nNo label"
    return f"{progress.label(code, 'zh')}\n{progress.label(code, 'en')}"


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _text(value: Any) -> str:
    return "" if _is_missing(value) else str(value)


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


def panel_title(row: pd.Series, width: int = 54, language: Language = "en") -> str:
    """The Chinese name in the Chinese edition; the English name (wrapped) over the Chinese
    name in the English one."""
    if language == "zh":
        return "\n".join(wrap_mixed(_text(row.get("name_zh")), 40))
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
    """Line through the points; filled markers from the report, hollow ones from elsewhere."""
    used = {"observed"}
    ax.plot(points["t"], points["y"], "-", color=OBSERVED_COLOUR, lw=1.6, zorder=3)
    report, outside = points[~points["outside"]], points[points["outside"]]
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


def band_note(row: pd.Series, alpha: float, language: Language = "en") -> str:
    """What the band is: "band: <scenario> (scenario)" or "band: 95 % prediction interval"."""
    level = f"{(1 - alpha) * 100:g}"
    if row.get("interval_kind") == "prediction_interval":
        if language == "zh":
            return f"阴影：{level}%预测区间（示意）"
        return f"band: illustrative {level} % prediction interval"
    if language == "zh":
        return "阴影：两种外推方法之间的情景区间"
    match = re.search(r"scenario band: ([^;(]+)", _text(row.get("interval_note")))
    what = match.group(1).strip().removesuffix(" projection") if match else "scenario"
    return f"band: {what} (a scenario)"


def observed_by_horizon(row: pd.Series) -> bool:
    """The assessment's decision: the series is observed in or after its target year, so its
    observed value stands in for a projection."""
    return _text(row.get("interval_note")) == OBSERVED_BY_TARGET_YEAR


def _draw_projection(ax: Axes, row: pd.Series, horizon: float, t_latest: float) -> set[str]:
    """Dashed projection from the latest point, with its band as a ribbon to the horizon."""
    projected = _number(row.get("projected_value"))
    latest = _number(row.get("latest_value"))
    if not (math.isfinite(projected) and math.isfinite(latest)) or observed_by_horizon(row):
        return set()
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
    low, high = _number(row.get("projected_low")), _number(row.get("projected_high"))
    if _text(row.get("interval_kind")) in ("scenario", "prediction_interval") and (
        math.isfinite(low) and math.isfinite(high) and high > low
    ):
        used.add("band")
        ax.fill_between(
            [t_latest, horizon],
            [latest, low],
            [latest, high],
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
    """Small notes in the corner the data leaves free (top left for a rising series)."""
    if not notes:
        return
    x, ha = (0.03, "left") if rising else (0.97, "right")
    ax.text(
        x,
        0.97,
        "\n".join(notes),
        transform=ax.transAxes,
        ha=ha,
        va="top",
        fontsize=7.5,
        color="#444444",
        zorder=6,
        bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": "#bbbbbb", "alpha": 0.85},
    )


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
    used = _draw_observed(ax, points, sid)
    used |= _draw_projection(ax, row, horizon, t_latest)
    used |= _draw_target(ax, row, t_base)
    if params.as_of is not None:  # the "as of" date of a scenario run
        ax.axvline(fractional_year(params.as_of), color="#999999", lw=0.9, zorder=1, gid="as_of")
        used.add("as_of")
    words = {key: text[language] for key, text in TRAJECTORY_WORDS.items()}
    notes = []
    if is_extreme(row) and "extrapolation" in used:
        notes.append(words["extrapolation"])
    if "band" in used:
        notes.append(band_note(row, params.interval_alpha, language))
    if not math.isfinite(_number(row.get("target_value"))):
        notes.append(words["no_target"].format(year=params.target_year))
    if observed_by_horizon(row):
        notes.append(words["observed_by_horizon"].format(year=_text(row.get("latest_date"))[:4]))
    _panel_notes(ax, notes, rising=float(points["y"].iloc[-1]) >= float(points["y"].iloc[0]))
    ax.set_title(panel_title(row, language=language), loc="left", fontsize=9)
    ax.set_ylabel(_text(row.get("unit")) or words["value"])
    ax.set_xlabel(words["year"])
    ax.set_xlim(min(float(points["t"].min()), horizon) - 0.6, max(horizon, t_latest) + 0.6)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:.0f}"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: format_number(y)))
    return used


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
        "band": (
            Patch(fc=PROJECTION_COLOUR, alpha=0.22),
            w["band"].format(level=f"{(1 - alpha) * 100:g}"),
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


def trajectory_grid(
    observations: pd.DataFrame,
    assessment: pd.DataFrame,
    params: Parameters | None,
    title: str,
    source: str,
    *,
    columns: int = 3,
    language: Language = "en",
) -> Figure:
    """Small multiples: one trajectory panel per series of `assessment` with >= 2 points, its
    words in `language`."""
    p = Parameters.coerce(params)
    points = plotted_points(observations, p)
    rows = [row for _, row in series_with_trend(assessment).iterrows()]
    if not rows:
        return _message_figure(title, TRAJECTORY_WORDS["no_trend"][language], source)
    ncols = max(1, min(columns, len(rows)))
    nrows = math.ceil(len(rows) / ncols)
    fig = _new_figure(4.3 * ncols, 3.5 * nrows + 1.2)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    used: set[str] = set()
    by_series = dict(tuple(points.groupby("series_id", sort=False)))
    for ax, row in zip(axes, rows, strict=False):
        used |= draw_trajectory(ax, by_series[str(row["series_id"])], row, p, language)
    for ax in axes[len(rows) :]:
        fig.delaxes(ax)
    fig.suptitle(title)
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


def _progress_row_text(row: pd.Series) -> tuple[str, str]:
    """(kind, label) of one row: "met", "bar", "no_target" or "no_trend"."""
    if not math.isfinite(_number(row.get("target_value"))):
        return "no_target", "no published target · 无量化目标"
    comparator = with_signs(_text(row.get("target_comparator")))
    target = f"{comparator} {format_number(_number(row['target_value']))}"
    latest = format_number(_number(row.get("latest_value")))
    unit = _text(row.get("unit"))
    if row.get("category") == progress.TARGET_ACHIEVED or row.get("midterm_label") == (
        progress.ACHIEVED_EARLY
    ):
        return "met", f"target met · 已实现目标 ({latest} {unit}, target {target} {unit})"
    if math.isfinite(_number(row.get("task_share"))):
        return "bar", status_text(row.get("midterm_label")).replace("\n", " · ")
    if int(_number(row.get("n_points")) or 0) == 0:
        return "no_trend", f"no data yet · 暂无数据 (target {target} {unit})"
    return "no_trend", f"no trend: one observation · 数据不足 (target {target} {unit})"


STATUS_COLUMN_X = 103.0  # the status texts of the progress chart start right of 100 %


def _draw_progress_row(ax: Axes, i: int, row: pd.Series) -> str | None:
    """Bar and status text of one row; returns its legend key (None: no bar, grey text).

    A met target is a hatched bar to 100 %; a share in progress is a bar with its value at the
    end, clipped to -100..100 %.
    """
    kind, text = _progress_row_text(row)
    key: str | None = None
    if kind == "met":
        fill = _GROUP_COLOURS["achieved"][0]
        ax.barh(i, 100.0, color=fill, hatch="///", ec="white", height=0.62, gid="bar:met")
        key = "met"
    elif kind == "bar":
        task = _number(row.get("task_share")) * 100
        length = float(np.clip(task, -100, 100))
        label_code = row.get("midterm_label")
        ax.barh(i, length, color=status_colours(label_code)[0], height=0.62, gid="bar:share")
        ax.text(max(length, 0) + 1.5, i, f"{task:.0f} %", va="center", ha="left", fontsize=8)
        key = _STATUS_GROUP.get(label_code, "none")
    ax.text(
        STATUS_COLUMN_X,
        i,
        text,
        va="center",
        ha="left",
        fontsize=8,
        color="#222222" if key else "#6f6f6f",
    )
    return key


def progress_vs_time(
    assessment: pd.DataFrame, title: str, source: str, *, params: Parameters | None = None
) -> Figure:
    """Bars of the share of the way to the target covered, against the share of time elapsed.

    Rows are the series of `assessment` in its order. `params` gives the plan period (and
    `as_of`) used when the data carry no time share.
    """
    p = Parameters.coerce(params)
    rows = assessment.reset_index(drop=True)
    if not len(rows):
        return _message_figure(title, "no series", source)
    has_target = rows["target_value"].astype(float).notna().to_numpy()
    years = rows.loc[has_target, "target_year"].dropna().astype(int).unique().tolist()
    target_year = years[0] if len(years) == 1 else p.target_year
    fig = _new_figure(11, 2.2 + 0.36 * len(rows))
    ax = fig.add_subplot()
    used = {_draw_progress_row(ax, i, row) for i, row in rows.iterrows()} - {None}
    timed = rows[has_target] if has_target.any() else rows
    shares = _time_shares(timed, p) * 100
    _draw_time_share(ax, shares, np.flatnonzero(has_target) if has_target.any() else None)
    ax.set_yticks(np.arange(len(rows)), [series_label(row) for _, row in rows.iterrows()])
    ax.set_ylim(len(rows) - 0.4, -0.6)
    lowest = rows["task_share"].astype(float).min() * 100
    ax.set_xlim(min(-5.0, lowest - 5 if math.isfinite(lowest) else 0.0), 200)
    ax.set_xticks(range(0, 101, 20))
    ax.axvline(100, color="#999999", lw=0.8, zorder=1)
    ax.set_xlabel(f"Share of the way to the {target_year} target (%)")
    ax.grid(axis="y", visible=False)
    ax.set_title("Progress made (bars) vs time elapsed (line) · 时间过半、任务过半", fontsize=9.5)
    fig.suptitle(title)
    add_source(fig, source)
    _add_bottom_legend(fig, *_progress_legend({str(k) for k in used}, shares))
    return fig


def _draw_time_share(ax: Axes, shares: np.ndarray, rows: np.ndarray | None) -> None:
    """One vertical line if every row has the same time share, else a tick on each row."""
    finite = shares[np.isfinite(shares)]
    if not finite.size:
        return
    if np.allclose(finite, finite[0], atol=0.05) or rows is None:
        ax.axvline(finite[0], color="#333333", ls="--", lw=1.3, zorder=4, gid="time_share")
        ax.annotate(
            f"{finite[0]:.0f} % of the time elapsed",
            (finite[0], 1),
            xycoords=("data", "axes fraction"),
            xytext=(3, -3),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=8,
            color="#333333",
        )
        return
    for row, share in zip(rows, shares, strict=True):
        if np.isfinite(share):
            ax.plot([share, share], [row - 0.4, row + 0.4], color="#333333", lw=1.6, zorder=4)


def _progress_legend(used: set[str], shares: np.ndarray) -> tuple[list[Any], list[str]]:
    """Legend entries: the time-share line and the bar colours used."""
    finite = shares[np.isfinite(shares)]
    handles: list[Any] = []
    labels: list[str] = []
    if finite.size:
        same = np.allclose(finite, finite[0], atol=0.05)
        handles.append(Line2D([], [], color="#333333", ls="--" if same else "-", lw=1.3))
        labels.append(
            f"time elapsed: {finite[0]:.0f} % of the plan period" if same else "time elapsed"
        )
    names = {
        "met": "target met (already reached)",
        "on_track": "ahead of / on schedule",
        "limited": "behind schedule",
        "acceleration": "acceleration needed",
        "deterioration": "deterioration",
    }
    for key, name in names.items():
        if key in used:
            fill = _GROUP_COLOURS["achieved" if key == "met" else key][0]
            handles.append(Patch(fc=fill, hatch="///" if key == "met" else None, ec="white"))
            labels.append(name)
    return handles, labels


# ---------------------------------------------------------------------------------------------
# Status dashboard


def status_dashboard(
    assessment: pd.DataFrame, source: str, *, title: str = "Progress status by method"
) -> Figure:
    """Tiles: one row per series, one column per method, coloured by category, labelled zh/en."""
    rows = assessment.reset_index(drop=True)
    if not len(rows):
        return _message_figure(title, "no series", source)
    fig = _new_figure(12, 1.7 + 0.56 * len(rows))
    ax = fig.add_subplot()
    for i, row in rows.iterrows():
        for j, (column, _heading) in enumerate(DASHBOARD_COLUMNS):
            _draw_tile(ax, j, i, row, column)
    ax.set_xlim(0, len(DASHBOARD_COLUMNS))
    ax.set_ylim(len(rows), 0)
    ax.set_xticks(
        np.arange(len(DASHBOARD_COLUMNS)) + 0.5, [h for _, h in DASHBOARD_COLUMNS], fontsize=8.5
    )
    ax.xaxis.tick_top()
    ax.set_yticks(np.arange(len(rows)) + 0.5, [_dashboard_row_label(r) for _, r in rows.iterrows()])
    ax.tick_params(axis="y", labelsize=8, length=0)
    ax.tick_params(axis="x", length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel("Method (tile text: 中文 label / English label)")
    ax.xaxis.set_label_position("top")
    fig.suptitle(title)
    add_source(fig, source)
    return fig


def _draw_tile(ax: Axes, x: int, y: int, row: pd.Series, column: str) -> None:
    """One coloured tile with the Chinese and English label of the row's code in `column`."""
    code = None if _is_missing(row.get(column)) else str(row.get(column))
    fill, ink = status_colours(code)
    text = status_text(code)
    if code is None and not math.isfinite(_number(row.get("target_value"))):
        text = "无量化目标，不评价\nNo target: no label"
    ax.add_patch(Rectangle((x, y), 1, 1, fc=fill, ec="white", lw=2.5, gid=f"tile:{code}"))
    ax.text(x + 0.5, y + 0.5, text, ha="center", va="center", fontsize=7.8, color=ink)


def _dashboard_row_label(row: pd.Series) -> str:
    """Chinese name (with the headline number) over the English name, at most two lines."""
    lines = textwrap.wrap(_text(row.get("name_en")), width=62)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width=62, placeholder=" …")]
    return "\n".join([series_label(row), *lines])


# ---------------------------------------------------------------------------------------------
# Latest values


def count_like(assessment: pd.DataFrame, units: Sequence[str] = COUNT_UNITS) -> pd.DataFrame:
    """Rows whose unit counts things (facilities, people, items) and that have a latest value."""
    mask = assessment["unit"].isin(list(units)) & assessment["latest_value"].astype(float).notna()
    return assessment[mask]


COUNT_WORDS = {
    "none": Text("没有有数值的数量类指标", "no count-like series with a value"),
    "log": Text(
        "最新值（对数刻度：数值相差100倍以上）",
        "Latest value (log scale: values span more than 100×)",
    ),
    "linear": Text("最新值", "Latest value"),
}


def latest_values_bars(
    assessment: pd.DataFrame, title: str, source: str, language: Language = "en"
) -> Figure:
    """Horizontal bars of the latest value of each count-like series, largest first."""
    rows = count_like(assessment)
    rows = rows.sort_values("latest_value", ascending=False, kind="stable").reset_index(drop=True)
    if not len(rows):
        return _message_figure(title, COUNT_WORDS["none"][language], source)
    values = rows["latest_value"].astype(float).to_numpy()
    positive = values[values > 0]
    log = positive.size > 0 and positive.max() / positive.min() > 100
    fig = _new_figure(10, 1.5 + 0.32 * len(rows))
    ax = fig.add_subplot()
    y = np.arange(len(rows))
    drawn = np.where(values > 0, values, np.nan) if log else values
    ax.barh(y, drawn, color=BLUE, height=0.62, gid="latest")
    for i, row in rows.iterrows():
        end = drawn[i] if np.isfinite(drawn[i]) else (positive.min() if log else 0)
        ax.text(
            end,
            i,
            f"  {format_number(values[i])} ({_text(row.get('latest_date'))})",
            va="center",
            ha="left",
            fontsize=8,
        )
    ax.set_yticks(y, [series_label(row, with_unit=True) for _, row in rows.iterrows()])
    ax.set_ylim(len(rows) - 0.4, -0.6)
    if log:
        ax.set_xscale("log")
        ax.set_xlim(positive.min() / 2, positive.max() * 12)
        ax.set_xlabel(COUNT_WORDS["log"][language])
    else:
        ax.set_xlim(0, max(values.max(), 1) * 1.25)
        ax.set_xlabel(COUNT_WORDS["linear"][language])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_number(x)))
    ax.grid(axis="y", visible=False)
    fig.suptitle(title)
    add_source(fig, source)
    return fig
