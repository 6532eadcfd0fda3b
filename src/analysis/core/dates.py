"""Report dates as strings (YYYY, YYYY-MM, YYYY-MM-DD) and as fractional years.

Convention used throughout the book: a date stands for the end of the period it names, and the
fractional year Y is the end of year Y (the close of 31 December). "2020" is t = 2020.0, the end
of 2020 and so the plan's base; "2023-06", the end of June 2023, is t = 2022 + 6/12;
"2020-07-04", the end of that day, is t = 2019 + 6/12 + 4/(12 * 31). A year and a month then mix
correctly: 2020 -> 2023-06 is 2.5 years. The 14th plan runs from 2021-01-01 to 2025-12-31, that
is from t = 2020.0 to t = 2025.0, so a target year Y is t = Y as well.
"""

from __future__ import annotations

import calendar
import math
import re

import numpy as np
from numpy.typing import ArrayLike

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
    """The end of the period the date names, as a fractional year (Y is the end of year Y)."""
    year, month, day = parse_date(text)
    if month is None:
        return float(year)
    if day is None:
        return year - 1 + month / 12
    return year - 1 + (month - 1) / 12 + day / (12 * calendar.monthrange(year, month)[1])


def period_label(t: float) -> str:
    """The date a fractional year stands for: "2021" for 2021.0, "2023-06" for 2022.5."""
    year = math.floor(t + 1e-9)
    month = round((t - year) * 12)
    return str(year) if month == 0 else f"{year + 1}-{month:02d}"


def years_between(start: str, end: str) -> float:
    """Years from the end of the period `start` names to the end of the one `end` names."""
    return fractional_year(end) - fractional_year(start)


def plan_time_share(t: ArrayLike, base_year: ArrayLike, target_year: ArrayLike) -> np.ndarray:
    """Share of the plan period elapsed at fractional year `t`, between 0 and 1.

    The period runs from the end of `base_year` to the end of `target_year` (2021-01-01 to
    2025-12-31 for the 14th plan): 0.6 at the end of 2023, 0.5 at the end of June 2023. NaN
    where `t` is missing or the period is empty.
    """
    t, t0, t_end = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(v, float)) for v in (t, base_year, target_year))
    )
    with np.errstate(all="ignore"):
        share = np.where(t_end > t0, (t - t0) / (t_end - t0), np.nan)
    return np.clip(share, 0.0, 1.0)
