"""The book's results: every series assessed with the parameters of the chapter that owns it.

`book_results` is what `results/indicators.csv` holds: each domain chapter's table.
"""

from __future__ import annotations

import pandas as pd

from analysis.chapters import DOMAIN_CHAPTERS
from analysis.data import Dataset
from analysis.indicators import assess, relation_checks
from analysis.parameters import ChapterParameters, to_params

RESULTS_PATH = "results/indicators.csv"


def chapter_series(dataset: Dataset, domain: str, parameters: ChapterParameters) -> pd.DataFrame:
    """The series a domain chapter shows: its domain, narrowed by the `series` parameter."""
    series = dataset.series[dataset.series["domain"] == domain]
    if parameters.series:
        series = series[series["series_id"].isin(parameters.series)]
    return series


def domain_assessment(dataset: Dataset, domain: str, parameters: ChapterParameters) -> pd.DataFrame:
    """The result table of one domain chapter, one row per series it shows."""
    series = chapter_series(dataset, domain, parameters)
    wanted = dataset.observations["series_id"].isin(series["series_id"])
    targets = dataset.targets[dataset.targets["series_id"].isin(series["series_id"])]
    result = assess(dataset.observations[wanted], series, targets, to_params(parameters))
    result.insert(0, "chapter", domain)
    return result


def book_results(
    dataset: Dataset, parameters_by_chapter: dict[str, ChapterParameters]
) -> pd.DataFrame:
    """results/indicators.csv: every domain chapter's results, in chapter and series order."""
    frames = [
        domain_assessment(dataset, chapter.name, parameters_by_chapter[chapter.name])
        for chapter in DOMAIN_CHAPTERS
    ]
    return pd.concat(frames, ignore_index=True)


def all_series_assessment(dataset: Dataset, parameters: ChapterParameters) -> pd.DataFrame:
    """Every series assessed with one chapter's parameters (overview, introduction)."""
    series = dataset.series
    if parameters.series:
        series = series[series["series_id"].isin(parameters.series)]
    return assess(dataset.observations, series, dataset.targets, to_params(parameters))


def relation_results(dataset: Dataset, parameters: ChapterParameters) -> pd.DataFrame:
    """Relation checks now and as projected with one chapter's parameters."""
    return relation_checks(
        dataset.observations, dataset.relations, to_params(parameters), series=dataset.series
    )
