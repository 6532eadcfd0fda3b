"""The book's results: every series assessed with the parameters of the chapter that owns it.

`book_results` is what `results/indicators.csv` holds: each domain chapter's table.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import tolerance
from analysis.inputs.chapters import DOMAIN_CHAPTERS
from analysis.inputs.dataset import Dataset
from analysis.inputs.parameters import Parameters
from analysis.methods.assessment import assess, relation_checks
from analysis.methods.progress import NOT_ASSESSED

RESULTS_PATH = "results/indicators.csv"
# Results are written to 14 significant digits: the last bits of a float (a power computed by
# another CPU's maths library) then never change the committed snapshot, and 14 digits are far
# finer than `tolerance.RELATIVE`.
RESULTS_FLOAT_FORMAT = "%.14g"

# Kinds whose series are shown with their figures but never given a progress status, and why.
WITHHELD = {
    "fact": "not_assessed: kind is fact (a stated fact, not an indicator), no progress status",
    "reference": (
        "not_assessed: kind is reference (a provincial or national figure from outside the "
        "report, for comparison), no progress status"
    ),
}
# The change of a reference is described (how the province's standard moved); a fact's is not.
GROWTH_COLUMNS = ("total_change", "annual_change", "cagr")
KEEPS_GROWTH = ("reference",)
# What a status is made of: emptied for a withheld series (its stated figures are kept).
STATUS_COLUMNS = (
    "required_cagr",
    "required_annual_change",
    "method",
    "projection_year",
    "projected_value",
    "projected_low",
    "projected_high",
    "ratio",
    "unsd_ratio",
    "task_share",
    "time_share",
    "midterm_label",
)


def withhold_status(result: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """No progress status for a series that is not an indicator (a minimum age, a frequency,
    the report's own count of its indicators): its category is not_assessed and the pieces of
    a status are empty; base and latest figures stay, as stated."""
    kind = result["series_id"].map(series.set_index("series_id")["kind"])
    result = result.copy()
    result["method"] = result["method"].astype(object)
    for name, flag in WITHHELD.items():
        rows = (kind == name).to_numpy()
        if not rows.any():
            continue
        emptied = STATUS_COLUMNS if name in KEEPS_GROWTH else GROWTH_COLUMNS + STATUS_COLUMNS
        for column in emptied:
            result.loc[rows, column] = None if result[column].dtype == object else float("nan")
        if name not in KEEPS_GROWTH:
            result.loc[rows, "cagr_reason"] = f"undefined: kind is {name}"
        result.loc[rows, "interval_kind"] = "none"
        result.loc[rows, "interval_note"] = f"not assessed: kind is {name}"
        result.loc[rows, ["category", "unsd_category"]] = NOT_ASSESSED
        result.loc[rows, "flags"] = flag
    return result


def chapter_series(dataset: Dataset, domain: str, parameters: Parameters) -> pd.DataFrame:
    """The series a domain chapter shows: its domain, narrowed by the `series` parameter."""
    series = dataset.series[dataset.series["domain"] == domain]
    if parameters.series:
        series = series[series["series_id"].isin(parameters.series)]
    return series


def domain_assessment(dataset: Dataset, domain: str, parameters: Parameters) -> pd.DataFrame:
    """The result table of one domain chapter, one row per series it shows."""
    series = chapter_series(dataset, domain, parameters)
    wanted = dataset.observations["series_id"].isin(series["series_id"])
    targets = dataset.targets[dataset.targets["series_id"].isin(series["series_id"])]
    result = assess(dataset.observations[wanted], series, targets, parameters)
    result = withhold_status(result, series)
    result.insert(0, "chapter", domain)
    return result


def book_results(dataset: Dataset, parameters_by_chapter: dict[str, Parameters]) -> pd.DataFrame:
    """results/indicators.csv: every domain chapter's results, in chapter and series order."""
    frames = [
        domain_assessment(dataset, chapter.name, parameters_by_chapter[chapter.name])
        for chapter in DOMAIN_CHAPTERS
    ]
    return pd.concat(frames, ignore_index=True)


def all_series_assessment(dataset: Dataset, parameters: Parameters) -> pd.DataFrame:
    """Every series assessed with one chapter's parameters (overview, introduction)."""
    series = dataset.series
    if parameters.series:
        series = series[series["series_id"].isin(parameters.series)]
    return withhold_status(
        assess(dataset.observations, series, dataset.targets, parameters), series
    )


def relation_results(dataset: Dataset, parameters: Parameters) -> pd.DataFrame:
    """Relation checks now and as projected with one chapter's parameters."""
    return relation_checks(
        dataset.observations, dataset.relations, parameters, series=dataset.series
    )


def compare_results(published: pd.DataFrame, recomputed: pd.DataFrame) -> pd.DataFrame:
    """Every difference between two result tables, as (series_id, column, published,
    recomputed); numbers equal within `tolerance.RELATIVE` count as equal. Missing or extra
    series and columns are differences too."""
    rows = []
    left = published.set_index("series_id")
    right = recomputed.set_index("series_id")
    for column in sorted(set(left.columns) ^ set(right.columns)):
        where = "published" if column in left.columns else "recomputed"
        rows.append(("(all)", column, f"only in {where}", ""))
    for series_id in left.index.symmetric_difference(right.index):
        where = "published" if series_id in left.index else "recomputed"
        rows.append((series_id, "(row)", f"only in {where}", ""))
    common = left.index.intersection(right.index)
    for column in [c for c in left.columns if c in right.columns]:
        for series_id in common:
            a, b = left.at[series_id, column], right.at[series_id, column]
            if not same_value(a, b):
                rows.append((series_id, column, a, b))
    return pd.DataFrame(rows, columns=["series_id", "column", "published", "recomputed"])


def same_value(a: object, b: object) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if pd.isna(a) or pd.isna(b):
        return False
    if isinstance(a, int | float) and isinstance(b, int | float):
        return tolerance.same_relative(float(a), float(b))
    return str(a) == str(b)
