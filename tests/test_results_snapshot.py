"""results/indicators.csv, the committed snapshot of the book's numbers, must equal a fresh
computation from the committed data, parameters and library."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.methods.results import RESULTS_FLOAT_FORMAT, book_results
from analysis.runner.build import RESULTS_FILE, read_results, validate_inputs

PROJECT = Path(__file__).resolve().parents[1]


def test_committed_results_equal_a_fresh_computation() -> None:
    dataset, parameters = validate_inputs(PROJECT)
    fresh = book_results(dataset, parameters)
    committed = read_results(PROJECT / RESULTS_FILE)
    # Written to CSV and read back, the fresh table has exactly the committed file's types.
    roundtrip = read_results_from_frame(fresh)
    pd.testing.assert_frame_equal(committed, roundtrip, check_exact=False, rtol=1e-12)


def read_results_from_frame(frame: pd.DataFrame) -> pd.DataFrame:
    import io

    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, float_format=RESULTS_FLOAT_FORMAT)
    buffer.seek(0)
    return read_results(buffer)


def test_results_hold_one_row_per_series_of_the_domain_chapters() -> None:
    committed = read_results(PROJECT / RESULTS_FILE)
    series = pd.read_csv(PROJECT / "data" / "series.csv", dtype=str)
    assert committed["series_id"].is_unique
    assert set(committed["series_id"]) == set(series["series_id"])
