"""Load and validate the book's data files (data/*.csv and data/source/report.txt).

Validation collects every problem with its file, line and column before anything is loaded, so
an analyst who edited a CSV by hand sees all mistakes at once. The typed frames returned by
`load_dataset` are what the rest of the library works on.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.core.dates import DateError, fractional_year, parse_date
from analysis.core.problems import InputError, Problem
from analysis.core.report import REPORT_SOURCE, VERDICTS
from analysis.core.tolerance import RELATIVE
from analysis.core.units import ENGLISH_NOUN, KNOWN_UNITS, MEASURE_WORDS, Unit, english_unit

DATA_DIR = "data"
REPORT_PATH = "data/source/report.txt"

SERIES_COLUMNS = (
    "series_id", "domain", "headline", "name_zh", "name_en", "unit", "unit_en",
    "direction", "bound", "kind", "report_verdict", "note",
)  # fmt: skip
OBSERVATION_COLUMNS = (
    "series_id", "date", "value", "value_low", "value_high", "qualifier",
    "section", "quote", "source", "source_zh", "note",
)  # fmt: skip
# `source_zh`, `reading_zh` and `reason_zh`: the same citation, reading or reason, written for
# the Chinese edition.
TARGET_COLUMNS = ("series_id", "target_year", "comparator", "value", "source", "source_zh")
REPAIR_COLUMNS = ("damaged", "reading", "reading_zh", "reason", "reason_zh")
RELATION_COLUMNS = (
    "relation_id", "left_series_id", "comparator", "factor", "right_series_id",
    "section", "quote", "source",
)  # fmt: skip
OPTIONAL_COLUMNS = {"note"}

DOMAINS = (
    "social_assistance",
    "children",
    "elderly_care",
    "community",
    "social_organisations",
    "charity_social_work",
    "special_affairs",
    "divisions_place_names",
)
DIRECTIONS = ("up", "down", "none")
KINDS = ("level", "rate", "count", "standard", "date", "fact", "reference")
REFERENCE = "reference"  # a provincial or national figure from outside the report
QUALIFIERS = ("about", "over", "at_least", "nearly", "at_most", NOT_STATED := "not_stated")
COMPARATORS = (">=", "<=", "==")
HEADLINE_COUNT = 19
SECTION_PATTERN = re.compile(
    r"^(前言|[一二三四五六]\.(\d{1,2}|\([一二三四五六七八九十]+\)(\.\d{1,2})?))$"
)
SERIES_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
INTEGER = re.compile(r"^[0-9]+$")
PLAIN_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")  # ASCII only: \d takes full-width digits
FULL_WIDTH = re.compile(r"[０-９％．，－]")
# Control characters (a NUL from a damaged file, a form feed) are never meant; a tab is.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# 5600多万 is "over 5600 万": 多 or 余 may stand between a number and its 万 or 亿.
NUMBER_IN_TEXT = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(?:多|余)?(万|亿)?")
CHINESE_NUMERALS = {
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
    "九": 9, "十": 10, "百": 100, "千": 1000,
}  # fmt: skip
MULTIPLIERS = {"万": 1e4, "亿": 1e8}


@dataclass(frozen=True)
class Record:
    """One CSV row as text, with the line of the file it starts on."""

    line: int
    fields: dict[str, str]


@dataclass(frozen=True)
class Dataset:
    """Everything the book computes from: typed frames plus the report's text."""

    series: pd.DataFrame
    observations: pd.DataFrame
    targets: pd.DataFrame
    repairs: pd.DataFrame
    relations: pd.DataFrame
    report_text: str


def series_names(series: pd.DataFrame, language: str) -> dict[str, str]:
    """series_id -> the series' name in a language ("zh" or "en"), from data/series.csv."""
    return dict(zip(series["series_id"], series[f"name_{language}"], strict=True))


def read_records(
    root: Path, relative: str, columns: tuple[str, ...]
) -> tuple[list[Record], list[Problem]]:
    """Read a CSV file strictly: UTF-8 (a byte-order mark is accepted), the expected header,
    the same number of fields on every row. Blank lines are skipped."""
    path = root / relative
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], [Problem(relative, "file is missing")]
    except OSError as error:
        return [], [Problem(relative, f"cannot be read: {error.strerror}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return [], [
            Problem(
                relative,
                "is not UTF-8 text (saved as GBK or another encoding?); "
                "save it as UTF-8 and try again",
                line,
            )
        ]
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    records: list[Record] = []
    problems: list[Problem] = []
    line_of_next_row = 1
    try:
        for row in reader:
            line = line_of_next_row
            line_of_next_row = reader.line_num + 1
            if not row or all(not cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip() for cell in row]
                problems += check_header(relative, header, columns)
                if problems:
                    return [], problems
                continue
            if len(row) != len(header):
                problems.append(
                    Problem(
                        relative,
                        f"has {len(row)} fields but the header has {len(header)} "
                        "(a comma inside a field needs the field in double quotes)",
                        line,
                    )
                )
                continue
            fields = {name: cell.strip() for name, cell in zip(header, row, strict=True)}
            for name, cell in fields.items():
                control = CONTROL.search(cell)
                if control:
                    problems.append(
                        Problem(
                            relative,
                            f"contains the control character U+{ord(control.group()):04X} "
                            "(a damaged or binary file?); retype the field",
                            line,
                            name,
                        )
                    )
            for name in OPTIONAL_COLUMNS & set(columns):
                fields.setdefault(name, "")
            records.append(Record(line, fields))
    except csv.Error as error:
        problems.append(Problem(relative, f"is not valid CSV: {error}", reader.line_num))
    if header is None and not problems:
        problems.append(Problem(relative, "is empty: it needs at least the header row"))
    return records, problems


def check_header(relative: str, header: list[str], columns: tuple[str, ...]) -> list[Problem]:
    """The header must hold every required column and nothing unknown."""
    problems = []
    required = [name for name in columns if name not in OPTIONAL_COLUMNS]
    missing = [name for name in required if name not in header]
    unknown = [name for name in header if name not in columns]
    if missing:
        problems.append(Problem(relative, f"header lacks column(s): {', '.join(missing)}", 1))
    if unknown:
        problems.append(
            Problem(
                relative,
                f"header has unknown column(s): {', '.join(unknown)}; "
                f"expected: {', '.join(columns)}",
                1,
            )
        )
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        problems.append(Problem(relative, f"header repeats column(s): {', '.join(duplicated)}", 1))
    return problems


def number_problem(text: str) -> str | None:
    """Why a field is not a plain number, or None when it is one."""
    if PLAIN_NUMBER.match(text):
        return None
    if FULL_WIDTH.search(text):
        ascii_text = unicodedata.normalize("NFKC", text)
        meant = ascii_text.removesuffix("%").replace(",", "")
        hint = f" (here: {meant})" if PLAIN_NUMBER.match(meant) else ""
        percent = " without the percent sign" if ascii_text.endswith("%") else ""
        return (
            f"{text!r} contains full-width characters; write ASCII digits, '.' and '-'"
            f"{percent}{hint}"
        )
    if text.endswith("%"):
        return (
            f"{text!r} has a percent sign; write the number only, in the unit data/series.csv "
            f"gives the series: {text.removesuffix('%').strip()}"
        )
    if re.fullmatch(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", text):
        return (
            f"{text!r} has a thousands separator; write it without commas: {text.replace(',', '')}"
        )
    return f"{text!r} is not a number"


def date_problem(text: str, error: DateError) -> str:
    """Why a date field is wrong, with the ASCII form when full-width digits are the cause."""
    ascii_text = unicodedata.normalize("NFKC", text)
    if ascii_text != text:
        return (
            f"date {text!r} contains full-width characters; write ASCII digits and '-' "
            f"(here: {ascii_text})"
        )
    return str(error)


def unknown_series(series_id: str, series: Iterable[str]) -> str:
    """The message for a series_id that data/series.csv lacks, with the closest id."""
    if not series_id:
        return "is empty; a series_id of data/series.csv is needed"
    close = difflib.get_close_matches(series_id, list(series), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else "; add it to data/series.csv first"
    return f"{series_id!r} is not in data/series.csv{hint}"


class RowChecker:
    """Collects problems for one file, so each check reads as one line."""

    def __init__(self, relative: str) -> None:
        self.relative = relative
        self.problems: list[Problem] = []

    def add(self, record: Record, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.relative, message, record.line, column))

    def required(self, record: Record, *columns: str) -> None:
        for column in columns:
            if not record.fields[column]:
                self.add(record, column, "is empty")

    def one_of(self, record: Record, column: str, allowed: Iterable[str], empty_ok=False) -> None:
        value = record.fields[column]
        allowed = tuple(allowed)
        if (value or not empty_ok) and value not in allowed:
            self.add(record, column, f"{value!r} is not one of: {', '.join(allowed)}")

    def number(self, record: Record, column: str, empty_ok: bool = True) -> float | None:
        text = record.fields[column]
        if not text:
            if not empty_ok:
                self.add(record, column, "is empty; a number is needed")
            return None
        reason = number_problem(text)
        if reason:
            self.add(record, column, reason)
            return None
        return float(text)

    def within_bound(self, record: Record, column: str, number: float | None, bound: str) -> None:
        """A bounded quantity (a percentage) lies between 0 and its bound."""
        if number is not None and PLAIN_NUMBER.match(bound) and not 0 <= number <= float(bound):
            self.add(record, column, f"{number:g} is outside 0-{bound}")

    def unique(self, records: list[Record], key: Callable[[Record], tuple], what: str) -> None:
        first_line: dict[tuple, int] = {}
        for record in records:
            k = key(record)
            if k in first_line:
                self.add(record, None, f"repeats {what} {k} of line {first_line[k]}")
            else:
                first_line[k] = record.line


def check_english_unit(check: RowChecker, record: Record) -> None:
    """A measure word needs the English noun of what it counts; a unit of measure has its
    English in the vocabulary and leaves `unit_en` empty."""
    unit, noun = record.fields["unit"], record.fields["unit_en"]
    if unit in MEASURE_WORDS and not noun:
        check.add(
            record,
            "unit_en",
            f"is empty; {unit} is a measure word: write what it counts, in English and plural "
            "(70个 stations: 'stations')",
        )
    elif unit in MEASURE_WORDS and not ENGLISH_NOUN.match(noun):
        check.add(record, "unit_en", f"{noun!r} is not an English noun (letters and spaces)")
    elif noun and unit not in MEASURE_WORDS:
        check.add(
            record,
            "unit_en",
            f"{noun!r}: {unit or 'no unit'} is not a measure word"
            + (f"; its English ('{english_unit(unit)}') is the vocabulary's" if unit else "")
            + "; leave it empty",
        )


def numbers_in_text(text: str) -> list[float]:
    """Every number a phrase can mean: digits (times 万 or 亿 when one follows) and the
    single Chinese numerals (千余名 means about 1000)."""
    numbers = []
    for digits, multiplier in NUMBER_IN_TEXT.findall(text):
        numbers.append(float(digits))
        if multiplier:
            numbers.append(float(digits) * MULTIPLIERS[multiplier])
    numbers += [float(value) for char, value in CHINESE_NUMERALS.items() if char in text]
    return numbers


def appears_in(value: float, candidates: Iterable[float]) -> bool:
    return any(math.isclose(value, candidate, rel_tol=RELATIVE) for candidate in candidates)


def validate_series(root: Path) -> tuple[list[Record], list[Problem]]:
    relative = f"{DATA_DIR}/series.csv"
    records, problems = read_records(root, relative, SERIES_COLUMNS)
    check = RowChecker(relative)
    for record in records:
        f = record.fields
        check.required(record, "series_id", "name_zh", "name_en")
        if f["kind"] == "date" and f["unit"]:
            check.add(record, "unit", "a milestone (kind date) has no unit; leave it empty")
        elif f["kind"] != "date" and not f["unit"]:
            check.add(record, "unit", "is empty")
        if f["series_id"] and not SERIES_ID_PATTERN.match(f["series_id"]):
            check.add(record, "series_id", f"{f['series_id']!r} is not snake_case ASCII")
        check.one_of(record, "domain", DOMAINS)
        check.one_of(record, "direction", DIRECTIONS)
        check.one_of(record, "kind", KINDS)
        check.one_of(record, "report_verdict", VERDICTS, empty_ok=True)
        if f["kind"] in ("fact", REFERENCE) and f["direction"] != "none":
            check.add(
                record,
                "direction",
                f"{f['direction']!r}: a {f['kind']} (not a Suzhou indicator) has no better "
                "direction; "
                "write none",
            )
        if f["kind"] == REFERENCE and (f["headline"] or f["report_verdict"]):
            check.add(record, "headline", "an outside reference is never a key indicator")
        if f["unit"] and f["unit"] not in KNOWN_UNITS:
            check.add(
                record,
                "unit",
                f"{f['unit']!r} is not a known unit; known: {' '.join(KNOWN_UNITS)} "
                "(a new unit is added to src/analysis/core/units.py)",
            )
        check_english_unit(check, record)
        bound = check.number(record, "bound")
        if bound is not None and bound <= 0:
            check.add(record, "bound", f"{bound:g} must be positive")
        if f["unit"] == "%" and bound is None and not f["bound"]:
            check.add(record, "bound", "is empty; a percentage needs bound 100")
        headline = f["headline"]
        if headline:
            if not INTEGER.match(headline) or not 1 <= int(headline) <= HEADLINE_COUNT:
                check.add(record, "headline", f"{headline!r} is not a number from 1 to 19")
            elif not f["report_verdict"]:
                check.add(record, "report_verdict", "is empty; key indicators quote the verdict")
        elif f["report_verdict"]:
            check.add(record, "report_verdict", "is set but the series is not a key indicator")
    check.unique(records, lambda r: (r.fields["series_id"],), "series_id")
    return records, problems + check.problems


def validate_repairs(root: Path, report: str) -> tuple[list[Record], list[Problem]]:
    relative = f"{DATA_DIR}/repairs.csv"
    records, problems = read_records(root, relative, REPAIR_COLUMNS)
    check = RowChecker(relative)
    for record in records:
        check.required(record, "damaged", "reading", "reading_zh", "reason", "reason_zh")
        damaged = record.fields["damaged"]
        if damaged and damaged not in report:
            check.add(record, "damaged", f"{damaged!r} is not in {REPORT_PATH}")
    check.unique(records, lambda r: (r.fields["damaged"],), "damaged text")
    return records, problems + check.problems


def check_quote(check: RowChecker, record: Record, report: str) -> None:
    quote = record.fields["quote"]
    if record.fields["source"] == REPORT_SOURCE and quote and quote not in report:
        check.add(record, "quote", f"is not a verbatim substring of {REPORT_PATH}")


def check_section(check: RowChecker, record: Record) -> None:
    section = record.fields["section"]
    if section and not SECTION_PATTERN.match(section):
        check.add(
            record,
            "section",
            f"{section!r} is not a report section such as 一.7, 二.(三).2, 三.(七) or 前言",
        )


def check_chinese_source(check: RowChecker, record: Record) -> None:
    """An outside figure's citation has its Chinese twin; the report's rows have none (the
    Chinese edition names the report itself)."""
    source, source_zh = record.fields["source"], record.fields["source_zh"]
    if source and source != REPORT_SOURCE and not source_zh:
        check.add(
            record,
            "source_zh",
            "is empty; an outside figure needs its citation in Chinese for the Chinese edition "
            "(as source, in Chinese bibliographic style)",
        )
    elif source == REPORT_SOURCE and source_zh:
        check.add(record, "source_zh", "is set for a figure of the report; leave it empty")


def readings_for(quote: str, repairs: list[Record]) -> list[Record]:
    return [r for r in repairs if r.fields["damaged"] and r.fields["damaged"] in quote]


def check_values(
    check: RowChecker,
    record: Record,
    kind: str | None,
    numbers: tuple[float | None, float | None, float | None],
    series: dict[str, Record],
) -> None:
    """A value or a complete range (never both), none for a milestone, within the bound."""
    f = record.fields
    _, low, high = numbers
    if bool(f["value_low"]) != bool(f["value_high"]):
        check.add(record, "value_low", "a range needs both value_low and value_high")
    if low is not None and high is not None:
        if low > high:
            check.add(record, "value_low", f"range {low:g}-{high:g}: low is above high")
        if f["value"]:
            check.add(record, "value", "is set together with a range; leave it empty")
    if kind == "date":
        if f["value"] or f["value_low"] or f["value_high"]:
            check.add(record, "value", "a milestone (kind date) has no value; leave it empty")
    elif f["qualifier"] == NOT_STATED:
        if f["value"] or f["value_low"] or f["value_high"]:
            check.add(record, "value", "a figure marked not_stated has no value; leave it empty")
    elif kind and not (f["value"] or f["value_low"] or f["value_high"]):
        check.add(record, "value", "is empty; give a value or value_low and value_high")
    if kind:
        bound = series[f["series_id"]].fields["bound"]
        for number, column in zip(numbers, VALUE_COLUMNS, strict=True):
            check.within_bound(record, column, number, bound)


def check_numbers_quoted(
    check: RowChecker,
    record: Record,
    kind: str | None,
    numbers: tuple[float | None, float | None, float | None],
    year: int | None,
    repairs: list[Record],
) -> None:
    """Every number of a row appears in its quote or in the recorded reading of its damage."""
    f = record.fields
    # An outside figure converted to the series' unit says how in its note.
    converted_outside = f["source"] != REPORT_SOURCE and bool(f["note"])
    if not f["quote"] or converted_outside:
        return
    candidates = numbers_in_text(f["quote"])
    for repair in readings_for(f["quote"], repairs):
        candidates += numbers_in_text(repair.fields["reading"])
    for number, column in zip(numbers, VALUE_COLUMNS, strict=True):
        if number is not None and not appears_in(number, candidates):
            check.add(
                record,
                column,
                f"{number:g} does not appear in the quote, and no repair in "
                "data/repairs.csv explains it",
            )
    if kind == "date" and year is not None and not appears_in(float(year), candidates):
        check.add(record, "date", f"year {year} does not appear in the quote or a repair")


VALUE_COLUMNS = ("value", "value_low", "value_high")


def validate_observations(
    root: Path, report: str, series: dict[str, Record], repairs: list[Record]
) -> tuple[list[Record], list[Problem]]:
    relative = f"{DATA_DIR}/observations.csv"
    records, problems = read_records(root, relative, OBSERVATION_COLUMNS)
    check = RowChecker(relative)
    for record in records:
        f = record.fields
        check.required(record, "series_id", "date", "section", "quote", "source")
        if f["series_id"] and f["series_id"] not in series:
            check.add(record, "series_id", unknown_series(f["series_id"], series))
        year = None
        if f["date"]:
            try:
                year = parse_date(f["date"])[0]
            except DateError as error:
                check.add(record, "date", date_problem(f["date"], error))
        value = check.number(record, "value")
        low = check.number(record, "value_low")
        high = check.number(record, "value_high")
        check.one_of(record, "qualifier", QUALIFIERS, empty_ok=True)
        check_section(check, record)
        check_quote(check, record, report)
        kind = series[f["series_id"]].fields["kind"] if f["series_id"] in series else None
        if kind == REFERENCE and f["source"] == REPORT_SOURCE:
            check.add(
                record,
                "source",
                "an outside reference (a provincial or national figure) is never the report's; "
                "cite the document it comes from",
            )
        check_chinese_source(check, record)
        check_values(check, record, kind, (value, low, high), series)
        check_numbers_quoted(check, record, kind, (value, low, high), year, repairs)
    check.unique(
        records,
        lambda r: (
            r.fields["series_id"],
            r.fields["date"],
            r.fields["section"],
            r.fields["source"],
        ),
        "(series_id, date, section, source)",
    )
    if not records and not problems:
        # A header alone used to pass as "data: OK" with every check "cannot be verified".
        problems.append(
            Problem(
                relative,
                "has a header but no rows: the book needs the report's figures; restore the "
                "file (git checkout -- data/observations.csv) or add rows",
                1,
            )
        )
    return records, problems + check.problems


def validate_targets(root: Path, series: dict[str, Record]) -> tuple[list[Record], list[Problem]]:
    relative = f"{DATA_DIR}/targets.csv"
    records, problems = read_records(root, relative, TARGET_COLUMNS)
    check = RowChecker(relative)
    for record in records:
        f = record.fields
        check.required(record, "series_id", "target_year", "source", "source_zh")
        if f["series_id"] and f["series_id"] not in series:
            check.add(record, "series_id", unknown_series(f["series_id"], series))
        year = f["target_year"]
        if year and not (INTEGER.match(year) and 2021 <= int(year) <= 2050):
            check.add(record, "target_year", f"{year!r} is not a year from 2021 to 2050")
        check.one_of(record, "comparator", COMPARATORS)
        value = check.number(record, "value", empty_ok=False)
        if f["series_id"] in series:
            check.within_bound(record, "value", value, series[f["series_id"]].fields["bound"])
    check.unique(records, lambda r: (r.fields["series_id"], r.fields["target_year"]), "target")
    return records, problems + check.problems


def validate_relations(
    root: Path, report: str, series: dict[str, Record]
) -> tuple[list[Record], list[Problem]]:
    relative = f"{DATA_DIR}/relations.csv"
    records, problems = read_records(root, relative, RELATION_COLUMNS)
    check = RowChecker(relative)
    for record in records:
        f = record.fields
        check.required(record, "relation_id", "section", "quote", "source")
        for column in ("left_series_id", "right_series_id"):
            if f[column] not in series:
                check.add(record, column, unknown_series(f[column], series))
        check.one_of(record, "comparator", COMPARATORS)
        factor = check.number(record, "factor", empty_ok=False)
        if factor is not None and factor <= 0:
            check.add(record, "factor", f"{factor:g} must be positive")
        check_section(check, record)
        check_quote(check, record, report)
    check.unique(records, lambda r: (r.fields["relation_id"],), "relation_id")
    return records, problems + check.problems


def unreferenced_series(
    series: list[Record], referring: Iterable[tuple[list[Record], tuple[str, ...]]]
) -> list[Problem]:
    """A series that no observation, target or relation names: a leftover or a typo."""
    named = {
        record.fields[column]
        for records, columns in referring
        for record in records
        for column in columns
    }
    return [
        Problem(
            f"{DATA_DIR}/series.csv",
            f"{record.fields['series_id']!r}: no observation, target or relation refers to it; "
            "add its data or remove the row",
            record.line,
            "series_id",
        )
        for record in series
        if record.fields["series_id"] and record.fields["series_id"] not in named
    ]


def read_report(root: Path) -> tuple[str, list[Problem]]:
    try:
        return (root / REPORT_PATH).read_text(encoding="utf-8"), []
    except FileNotFoundError:
        return "", [Problem(REPORT_PATH, "file is missing")]
    except (OSError, UnicodeDecodeError) as error:
        return "", [Problem(REPORT_PATH, f"cannot be read as UTF-8 text: {error}")]


def validate(root: Path) -> tuple[dict[str, list[Record]], str, list[Problem]]:
    """Check every data file; return the raw records, the report text and all problems."""
    report, problems = read_report(root)
    series_records, found = validate_series(root)
    problems += found
    series = {r.fields["series_id"]: r for r in series_records}
    repairs, found = validate_repairs(root, report)
    problems += found
    observations, found = validate_observations(root, report, series, repairs)
    problems += found
    targets, found = validate_targets(root, series)
    problems += found
    relations, found = validate_relations(root, report, series)
    problems += found
    if observations:  # with no observations at all, that is the one problem to report
        problems += unreferenced_series(
            series_records,
            (
                (observations, ("series_id",)),
                (targets, ("series_id",)),
                (relations, ("left_series_id", "right_series_id")),
            ),
        )
    records = {
        "series": series_records,
        "observations": observations,
        "targets": targets,
        "repairs": repairs,
        "relations": relations,
    }
    return records, report, problems


def frame(records: list[Record], columns: tuple[str, ...]) -> pd.DataFrame:
    rows = [{name: r.fields.get(name, "") for name in columns} for r in records]
    result = pd.DataFrame(rows, columns=list(columns), dtype=object)
    result["line"] = [r.line for r in records]
    return result


def to_float(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column.replace("", None), errors="raise").astype(float)


def load_dataset(root: Path | str = ".") -> Dataset:
    """Validate and load every data file; raise InputError listing all problems."""
    root = Path(root)
    records, report, problems = validate(root)
    if problems:
        raise InputError(problems)
    series = frame(records["series"], SERIES_COLUMNS)
    series["headline"] = pd.to_numeric(series["headline"].replace("", None)).astype("Int64")
    series["bound"] = to_float(series["bound"])
    series["unit"] = [Unit(u, e) for u, e in zip(series["unit"], series["unit_en"], strict=True)]
    observations = frame(records["observations"], OBSERVATION_COLUMNS)
    for column in ("value", "value_low", "value_high"):
        observations[column] = to_float(observations[column])
    observations.insert(2, "t", observations["date"].map(fractional_year).astype(float))
    targets = frame(records["targets"], TARGET_COLUMNS)
    targets["target_year"] = targets["target_year"].astype(int)
    targets["value"] = to_float(targets["value"])
    relations = frame(records["relations"], RELATION_COLUMNS)
    relations["factor"] = to_float(relations["factor"])
    return Dataset(
        series=series,
        observations=observations,
        targets=targets,
        repairs=frame(records["repairs"], REPAIR_COLUMNS),
        relations=relations,
        report_text=report,
    )


def coverage_table(dataset: Dataset) -> pd.DataFrame:
    """Series, key-indicator series and observations per domain, with a total row."""
    observed = dataset.observations.merge(
        dataset.series[["series_id", "domain"]], on="series_id", how="left"
    )
    table = pd.DataFrame(
        {
            "series": dataset.series.groupby("domain").size(),
            "key_indicator_series": dataset.series.dropna(subset=["headline"])
            .groupby("domain")
            .size(),
            "observations": observed.groupby("domain").size(),
        }
    )
    table = table.reindex(list(DOMAINS)).fillna(0).astype(int)
    table.loc["total"] = table.sum()
    return table.rename_axis("domain").reset_index()
