"""Report dates as strings (YYYY, YYYY-MM, YYYY-MM-DD) and as fractional years.

Convention used throughout the book: a date counts from the start of the period it names.
"2023" is t = 2023.0, "2023-06" is t = 2023 + 5/12, "2020-07-04" is t = 2020 + 6/12 + 3/(12 * 31).
The plan's base year 2020 and target year 2025 are therefore 2020.0 and 2025.0.
"""

from __future__ import annotations

import calendar
import re

DATE_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$", re.ASCII)
EARLIEST_YEAR = 1949
LATEST_YEAR = 2100


class DateError(ValueError):
    """A date string that is not YYYY, YYYY-MM or YYYY-MM-DD, or names no real day."""


def parse_date(text: str) -> tuple[int, int | None, int | None]:
    """Split a report date into (year, month, day); month and day are None when absent."""
    match = DATE_PATTERN.match(text.strip())
    if not match:
        raise DateError(f"date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match["year"])
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise DateError(f"year {year} is outside {EARLIEST_YEAR}-{LATEST_YEAR}")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"month {month} does not exist")
    if day is not None and month is not None:
        last_day = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last_day:
            raise DateError(f"day {day} does not exist in {year}-{month:02d}")
    return year, month, day


def fractional_year(text: str) -> float:
    """The date as a fractional year, counted from the start of the period it names."""
    year, month, day = parse_date(text)
    if month is None:
        return float(year)
    t = year + (month - 1) / 12
    if day is not None:
        t += (day - 1) / (12 * calendar.monthrange(year, month)[1])
    return t
