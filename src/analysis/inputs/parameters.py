"""The book's parameters: one typed model, the only place where a default is written.

`Parameters` holds every key an analyst may set and its default (the published thresholds,
the plan's years, the book's stated choices). `parameters/<chapter>.yaml` holds only what an
analyst changes: an empty file means every default. The runner validates each file here, with
one line per problem naming the file, the line of the YAML and the key (and a "did you mean"
for a mistyped key); papermill injects the file's values into the chapter notebook, and the
same validated object reaches every block of the chapter and every method of the library.
The key reference in the book is generated from this model.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from analysis.core import tolerance
from analysis.core.dates import DateError, fractional_year, parse_date
from analysis.core.problems import InputError, Problem

Method = Literal["cagr", "linear", "ols"]
ProjectedKind = Literal["level", "rate", "count", "standard"]
# `projection_method: auto`: the average annual change for counts, levels and rates (Destatis),
# compound growth for policy standards (methodology, "Projection").
AUTO_METHOD_BY_KIND: dict[str, str] = {
    "count": "linear",
    "level": "linear",
    "rate": "linear",
    "standard": "cagr",
}
EARLIEST_YEAR = 2000
LATEST_YEAR = 2050


class Strict(BaseModel):
    # allow_inf_nan=False: `.nan` or `.inf` in a threshold would pass every comparison unseen.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class KeyProblem(ValueError):
    """A cross-field check that blames one key, so the message can name its line."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


class Thresholds(Strict):
    """Published thresholds (the defaults) of the three progress methods.

    Open SDG / Statistics Canada with a target: `on_track`, `acceleration_needed`,
    `limited_progress` on R. Without a target: `substantial_growth`, `moderate_growth`,
    `limited_growth` on d * CAGR, scaled near a bound by `C = 1 - (y0/ylim) ** bound_exponent`.
    UNSD: `unsd_on_track`, `unsd_fair` on P, and `unsd_met_margin` points around a 0 % or 100 %
    target; without a target `unsd_growth_on_track`, `unsd_growth_fair` on d * CAGR.
    """

    on_track: float = Field(0.95, description="Open SDG ratio R at or above which: on track")
    acceleration_needed: float = Field(0.60, description="R at or above which: progress")
    limited_progress: float = Field(0.0, description="R at or above which: limited progress")
    substantial_growth: float = Field(0.015, description="no target: growth for substantial")
    moderate_growth: float = Field(0.005, description="no target: growth for moderate")
    limited_growth: float = Field(
        0.0, description="no target: growth counted as slow (below it: the wrong direction)"
    )
    bound_exponent: float = Field(4.44, description="exponent of the bound scaling C")
    unsd_on_track: float = Field(0.95, description="UNSD projected ratio P for on track")
    unsd_fair: float = Field(0.10, description="UNSD P for fair progress")
    unsd_met_margin: float = Field(1.0, description="points from a 0 or 100 % target = met")
    unsd_growth_on_track: float = Field(0.02, description="UNSD, no target: growth for on track")
    unsd_growth_fair: float = Field(0.005, description="UNSD, no target: growth for fair")

    @field_validator("*", mode="before")
    @classmethod
    def accept_integers(cls, value: Any) -> Any:
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @model_validator(mode="after")
    def ordered(self) -> Thresholds:
        for high, low in (
            ("on_track", "acceleration_needed"),
            ("acceleration_needed", "limited_progress"),
            ("substantial_growth", "moderate_growth"),
            ("moderate_growth", "limited_growth"),
            ("unsd_on_track", "unsd_fair"),
            ("unsd_growth_on_track", "unsd_growth_fair"),
        ):
            if getattr(self, high) <= getattr(self, low):
                # Blame the one changed from its published default (the lower one if both).
                changed = [
                    name
                    for name in (high, low)
                    if getattr(self, name) != type(self).model_fields[name].default
                ]
                blamed = changed[0] if len(changed) == 1 else low
                raise KeyProblem(
                    blamed,
                    f"thresholds out of order: {high} ({getattr(self, high)}) must be above "
                    f"{low} ({getattr(self, low)})",
                )
        return self


class Parameters(Strict):
    """Every parameter of a chapter and of the library's methods, with its default."""

    as_of: str | None = Field(
        None, description="latest date counted (YYYY or YYYY-MM); empty: all observations"
    )
    base_year: int = Field(2020, description="the plan's base year")
    target_year: int = Field(2025, description="the year projections and targets refer to")
    projection_method: Literal["auto", "cagr", "linear", "ols"] | dict[ProjectedKind, Method] = (
        Field(
            "auto",
            description="auto: compound for standards, linear for counts, levels and rates; "
            "one method for every kind (cagr, linear or ols); or a method per kind (the others "
            "auto)",
        )
    )
    series_methods: dict[str, Method] = Field(
        default_factory=dict,
        description="a projection method per series, named by its identifier in "
        "data/series.csv, overriding the above",
    )
    thresholds: Thresholds = Field(default_factory=Thresholds, description="progress thresholds")
    midterm_tolerance: float = Field(
        0.05, description="band around the time share counted as on schedule (book's choice)"
    )
    range_rule: Literal["low", "mid", "high"] = Field(
        "mid", description="which value of a stated range is used: low, mid or high"
    )
    min_points_for_interval: int = Field(
        4, description="observations needed for an OLS prediction interval"
    )
    target_overrides: dict[str, float] = Field(
        default_factory=dict,
        description="a target value per series (by its identifier), replacing the published one",
    )
    series: list[str] | None = Field(
        None,
        description="the series to show (by their identifiers); empty: every series of the chapter",
    )
    interval_alpha: float = Field(
        0.05, description="1 - coverage of the OLS prediction interval (0.05: a 95 % interval)"
    )
    bounded_transform: Literal["logit", "cap"] = Field(
        "logit",
        description="bounded percentages: logit, projected on a logit scale; cap, capped at "
        "the bound",
    )
    max_projection_multiple: float = Field(
        2.0, description="a projection beyond this multiple of the latest value is flagged"
    )
    max_compound_multiple: float = Field(
        2.0, description="a compound projection beyond this multiple is flagged as extreme"
    )
    negative_base: Literal["undefined", "open_sdg"] = Field(
        "undefined",
        description="undefined: no compound rate from a negative base (absolute change used); "
        "open_sdg: Open SDG's sign-adjusted rate",
    )
    unsd_projection: Literal["cagr", "method"] = Field(
        "cagr",
        description="UNSD ratio from the compound projection, cagr (UNSD's own), or from the "
        "series' own projection, method",
    )

    @field_validator(
        "midterm_tolerance",
        "interval_alpha",
        "max_projection_multiple",
        "max_compound_multiple",
        mode="before",
    )
    @classmethod
    def tolerance_as_float(cls, value: Any) -> Any:
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("target_overrides", mode="before")
    @classmethod
    def override_values_as_float(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: float(v) if isinstance(v, int) and not isinstance(v, bool) else v
                for key, v in value.items()
            }
        return value

    @field_validator("as_of", mode="before")
    @classmethod
    def as_of_as_text(cls, value: Any) -> Any:
        if isinstance(value, datetime.date):  # YAML reads 2023-06-30 as a date
            raise ValueError(
                f"{value.isoformat()} is a day; as_of is a year or a month: write "
                f"{value.year} or {value.year}-{value.month:02d}"
            )
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("as_of")
    @classmethod
    def as_of_is_a_date(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_date(value)
            except DateError as error:
                raise ValueError(str(error)) from None
        return value

    @model_validator(mode="after")
    def years_in_order(self) -> Parameters:
        for name in ("base_year", "target_year"):
            year = getattr(self, name)
            if not EARLIEST_YEAR <= year <= LATEST_YEAR:
                raise KeyProblem(name, f"{name} {year} is outside {EARLIEST_YEAR}-{LATEST_YEAR}")
        if self.target_year <= self.base_year:
            # Blame the one changed from its default (target_year if both are).
            changed = [
                name
                for name in ("target_year", "base_year")
                if getattr(self, name) != type(self).model_fields[name].default
            ]
            blamed = changed[0] if len(changed) == 1 else "target_year"
            raise KeyProblem(
                blamed,
                f"target_year ({self.target_year}) must come after base_year ({self.base_year})",
            )
        if self.as_of is not None:
            year = parse_date(self.as_of)[0]
            if not self.base_year <= year <= self.target_year:
                raise KeyProblem(
                    "as_of",
                    f"as_of ({self.as_of}) must lie between base_year ({self.base_year}) "
                    f"and target_year ({self.target_year})",
                )
        if not 0 <= self.midterm_tolerance < 1:
            raise KeyProblem(
                "midterm_tolerance", "midterm_tolerance must be at least 0 and below 1"
            )
        if self.min_points_for_interval < 3:
            raise KeyProblem(
                "min_points_for_interval", "min_points_for_interval must be at least 3"
            )
        if not 0 < self.interval_alpha < 1:
            raise KeyProblem("interval_alpha", "interval_alpha must lie between 0 and 1")
        for name in ("max_projection_multiple", "max_compound_multiple"):
            if getattr(self, name) <= 1:
                raise KeyProblem(name, f"{name} must be above 1")
        return self

    @classmethod
    def coerce(cls, parameters: Parameters | Mapping[str, Any] | None) -> Parameters:
        """Parameters from None (every default), a Parameters, or a mapping of keys (as a
        parsed YAML file); a wrong key or value raises pydantic's ValidationError."""
        if parameters is None:
            return cls()
        if isinstance(parameters, cls):
            return parameters
        if not isinstance(parameters, Mapping):
            raise TypeError(f"parameters must be a mapping, not {type(parameters).__name__}")
        return cls.model_validate(dict(parameters))

    @property
    def method_by_kind(self) -> dict[str, str]:
        """The projection method of each kind of series, from `projection_method`."""
        if self.projection_method == "auto":
            return dict(AUTO_METHOD_BY_KIND)
        if isinstance(self.projection_method, str):
            return dict.fromkeys(AUTO_METHOD_BY_KIND, self.projection_method)
        return {**AUTO_METHOD_BY_KIND, **self.projection_method}

    @property
    def as_of_end(self) -> float:
        """Observations dated up to this fractional year count (inf when `as_of` is empty).

        A date stands for the end of its period (`analysis.core.dates`), so "2023" keeps
        everything dated in 2023 and "2023-06" everything up to the end of June 2023 (not the
        figures of the end of 2023). The slack absorbs the rounding of month arithmetic.
        """
        if self.as_of is None:
            return np.inf
        return fractional_year(self.as_of) + tolerance.YEARS


def changed_settings(parameters: Parameters) -> dict[str, object]:
    """The settings that differ from the defaults, by dotted key: {'target_year': 2026,
    'thresholds.on_track': 0.9}."""

    def flat(values: dict[str, Any], prefix: str = "") -> dict[str, object]:
        found: dict[str, object] = {}
        for key, value in values.items():
            if isinstance(value, dict) and key == "thresholds":
                found |= flat(value, f"{prefix}{key}.")
            else:
                found[f"{prefix}{key}"] = value
        return found

    return flat(parameters.model_dump(exclude_defaults=True))


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line (1-based) of every mapping key in a YAML document, by its path."""
    lines: dict[tuple[str, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, str(key.value))
                lines[child] = key.start_mark.line + 1
                walk(value, child)

    root = yaml.compose(text)
    if root is not None:
        walk(root, ())
    return lines


def repeated_keys(text: str, file: str) -> list[Problem]:
    """A key written twice: YAML keeps the last silently, so the first would be ignored."""
    problems: list[Problem] = []

    def walk(node: yaml.Node, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                name, line = str(key.value), key.start_mark.line + 1
                if name in first:
                    problems.append(
                        Problem(
                            file,
                            f"key '{name}' is written twice (first on line {first[name]}); "
                            "keep one of them",
                            line,
                            ".".join((*path, name)),
                        )
                    )
                else:
                    first[name] = line
                walk(value, (*path, name))

    root = yaml.compose(text)
    if root is not None:
        walk(root, ())
    return problems


def suggestion(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    return f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(known)}"


def known_keys(path: tuple[str, ...]) -> list[str]:
    model: type[BaseModel] = Parameters
    for part in path:
        field = model.model_fields.get(part)
        annotation = field.annotation if field else None
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
        else:
            return []
    return list(model.model_fields)


def unknown_key(path: tuple[str, ...]) -> str:
    """The message for an unknown key: the key it was probably meant to be, or its place."""
    key = path[-1]
    known = known_keys(path[:-1])
    close = difflib.get_close_matches(key, known, n=1)
    if not close and len(path) == 1 and key in Thresholds.model_fields:
        return f"unknown key at the top level; '{key}' belongs under 'thresholds:' (indent it)"
    return "unknown key" + suggestion(key, known)


def describe(error: dict[str, Any]) -> tuple[tuple[str, ...], str]:
    """The key path and a plain-words message for one pydantic error."""
    # A union field adds the member it tried to the location ("dict[...]"): readers know the key.
    path = tuple(str(part) for part in error["loc"] if "[" not in str(part))
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        return path, unknown_key(path)
    blamed = getattr(error.get("ctx", {}).get("error"), "key", None)
    if blamed:
        path = (*path, blamed)
    message = error["msg"].removeprefix("Value error, ")
    if value is None and kind in ("dict_type", "model_type", "list_type"):
        return path, "is empty; remove the line to keep the defaults, or write {} for none"
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", error.get("ctx", {}).get("expected", ""))
        message = f"{value!r} is not one of: {', '.join(allowed)}"
        close = difflib.get_close_matches(str(value), allowed, n=1)
        return path, message + (f"; did you mean '{close[0]}'?" if close else "")
    if kind == "finite_number":
        return path, f"must be a finite number (got {value!r})"
    if kind.endswith("_type") or kind == "int_from_float":
        message = f"{message} (got {value!r})"
        if isinstance(value, str) and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value.strip()):
            message += "; write the number without quotes"
    return path, message


def relevant_errors(errors: list[Any]) -> list[Any]:
    """The errors worth reporting: of a union field, the member that matches the value's shape.

    A value that fails every member of `str | dict` gets one error per member; the member whose
    type does not even match ("Input should be a valid dictionary" for a word) says nothing.
    """
    by_key: dict[tuple[str, ...], list[Any]] = {}
    for error in errors:
        key = tuple(str(part) for part in error["loc"] if "[" not in str(part))
        by_key.setdefault(key, []).append(error)
    kept = []
    for group in by_key.values():
        shaped = [e for e in group if not e["type"].endswith("_type")] if len(group) > 1 else group
        kept.extend(shaped or group)
    return kept


def yaml_problem(error: yaml.YAMLError, file: str) -> Problem:
    """Invalid YAML, with its line and a hint for the usual causes."""
    if not isinstance(error, yaml.MarkedYAMLError):
        return Problem(file, f"is not valid YAML: {error}")
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else None
    message = f"is not valid YAML: {error.problem}"
    if "'\\t'" in str(error.problem):
        message += "; indent with spaces, not tabs"
    elif error.problem and "mapping values are not allowed" in error.problem:
        message += "; check the indentation of this line and the one above, and that a value "
        message += "holding ': ' is in quotes"
    else:
        message += "; compare this line with the committed file (git diff)"
    return Problem(file, message, line)


def parse_parameters(text: str, file: str) -> Parameters:
    """Validate the text of a parameter file; raise InputError naming file, line and key."""
    try:
        raw = yaml.safe_load(text)
        lines = key_lines(text)
    except yaml.YAMLError as error:
        raise InputError([yaml_problem(error, file)]) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        shape = "a list" if isinstance(raw, list) else f"a single value ({raw!r})"
        raise InputError(
            [
                Problem(
                    file,
                    f"must be a mapping of key: value lines, such as 'target_year: 2025'; it is "
                    f"{shape}" + (" (remove the leading '- ')" if isinstance(raw, list) else ""),
                    1,
                )
            ]
        )
    problems = repeated_keys(text, file)
    try:
        parameters = Parameters.model_validate(raw)
    except ValidationError as error:
        for item in relevant_errors(error.errors()):
            path, message = describe(item)
            line = None
            for depth in range(len(path), 0, -1):
                if path[:depth] in lines:
                    line = lines[path[:depth]]
                    break
            problems.append(Problem(file, message, line, ".".join(path) or None))
    if problems:
        raise InputError(problems)
    return parameters


def load_parameters(path: Path, root: Path | None = None) -> Parameters:
    """Read and validate one parameter file."""
    shown = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            [
                Problem(
                    shown,
                    "file is missing; restore it (git checkout -- <file>) or create it: "
                    "an empty file means every default",
                )
            ]
        ) from None
    except IsADirectoryError:
        raise InputError(
            [Problem(shown, "is a folder, not a file; put the YAML parameter file here")]
        ) from None
    except OSError as error:
        raise InputError([Problem(shown, f"cannot be read: {error.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    shown,
                    "is not UTF-8 text (saved as GBK or another encoding?); "
                    "save it as UTF-8 and try again",
                    line,
                )
            ]
        ) from None
    return parse_parameters(text, shown)


def check_series_names(
    parameters: Parameters,
    known: set[str],
    chapter_series: set[str],
    file: str,
    lines: dict[tuple[str, ...], int] | None = None,
) -> list[Problem]:
    """Every series a parameter names must exist, and belong to the chapter it configures."""
    problems = []
    named = {
        "series_methods": list(parameters.series_methods),
        "target_overrides": list(parameters.target_overrides),
        "series": parameters.series or [],
    }
    for key, series_ids in named.items():
        for series_id in series_ids:
            if series_id not in known:
                close = difflib.get_close_matches(series_id, sorted(known), n=1)
                hint = f"did you mean '{close[0]}'?" if close else "see data/series.csv for the ids"
                message = f"unknown series '{series_id}'; {hint}"
            elif series_id not in chapter_series:
                message = (
                    f"series '{series_id}' is not part of this chapter; set it in the parameter "
                    "file of its own chapter (its domain in data/series.csv)"
                )
            else:
                continue
            line = (lines or {}).get((key, series_id)) or (lines or {}).get((key,))
            problems.append(Problem(file, message, line, key))
    return problems
