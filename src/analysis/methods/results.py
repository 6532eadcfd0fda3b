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

RESULTS_PATH = "results/indicators.csv"


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
    return assess(dataset.observations, series, dataset.targets, parameters)


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
