"""Date strings: what is a date at all (the end-of-period rule is tested in
test_published_definitions.py)."""

import pytest

from analysis.core.dates import DateError, parse_date


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
