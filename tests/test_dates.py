"""The date convention: a date counts from the start of the period it names."""

import pytest

from analysis.core.dates import DateError, fractional_year, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020", 2020.0),
        ("2023-06", 2023 + 5 / 12),  # June starts 5 of 12 months into the year
        ("2022-12", 2022 + 11 / 12),
        ("2020-07-04", 2020 + 6 / 12 + 3 / (12 * 31)),  # July has 31 days; the 4th starts 3 in
    ],
)
def test_fractional_year_by_hand(text: str, expected: float) -> None:
    assert fractional_year(text) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("20236", "is not YYYY"),
        ("2023-13", "month 13"),
        ("2023-02-30", "day 30 does not exist"),
        ("1850", "outside"),
        ("２０２３", "is not YYYY"),
    ],
)
def test_impossible_dates_are_rejected(text: str, reason: str) -> None:
    with pytest.raises(DateError, match=reason):
        parse_date(text)
