"""Analysis that belongs to one domain: what the report's figures imply beyond their trends.

Small pure functions on the loader's frames (`observations`, `relations`) and on the assessment
table (`analysis.methods.assessment.assess`), each returning a tidy frame, one row per
computed figure, with the inputs beside the result and the report section of every input:

* `dibao_gap`: the urban-rural gap of the 低保 standards at each date both are stated.
* `tekun_multiples`: each 特困 basic standard as a multiple of its 低保 standard, against the
  floor of `relations.csv` (1.3).
* `tekun_floor_projection`: at the observed compound paces, the first year-end at which a 特困
  standard would fall below the floor times its 低保 standard: a projection, labelled so.
* `care_multiples`: the care standards' latest value as a multiple of their 2020 value; a zero
  base is "undefined: base is zero", never a number.
* `implied_ratios`: coverage, totals, costs and densities the report's counts imply
  (`RATIOS`). A qualifier (约, 余, 近, 以上) or a range of an input travels to the result, and
  a rounded share makes the result approximate, with the interval its rounding allows.
* `reference_comparisons`: the city against the province and the nation where a reference
  series (kind `reference`) exists. A projection or an interpolation is labelled as such.

Dates stand for the end of their period (`analysis.core.dates`); comparisons of numbers use
`analysis.core.tolerance`. Missing inputs give a row that says what is missing, never an error.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.core import tolerance
from analysis.core.dates import fractional_year, period_label
from analysis.core.report import REPORT_SOURCE
from analysis.core.units import Unit

NAN = float("nan")
BASE_DATE = "2020"
# The latest year a projection looks for the floor to be crossed: the limit of report dates.
LATEST_CROSSING_YEAR = 2100

DIBAO = {"urban": "dibao_standard_urban", "rural": "dibao_standard_rural"}
TEKUN = {"urban": "tekun_basic_standard_urban", "rural": "tekun_basic_standard_rural"}
CARE_STANDARDS = (
    "tekun_care_standard_dispersed_full",
    "tekun_care_standard_dispersed_half",
    "tekun_care_standard_dispersed_selfcare",
    "tekun_care_standard_centralised_full",
    "tekun_care_standard_centralised_half",
    "tekun_care_standard_centralised_selfcare",
)

REASON_MISSING = "undefined: missing input"
REASON_ZERO_BASE = "undefined: base is zero"
REASON_ZERO_DENOMINATOR = "undefined: denominator is zero"

# Outcomes of `tekun_floor_projection`.
ALREADY_BELOW = "already_below"
FALLS_BELOW = "falls_below"  # within the horizon
FALLS_BELOW_AFTER_HORIZON = "falls_below_after_horizon"
NEVER = "never"  # the 特困 standard grows at least as fast as the 低保 standard
NO_PACE = "no_pace"  # a growth rate is undefined

# Bases of a value in `reference_comparisons`.
STATED = "stated"
PROJECTED = "projected"
INTERPOLATED = "interpolated"
DATES_DIFFER = "dates_differ"


# Stated figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One stated figure of a series, as the report (or an outside source) states it."""

    series_id: str
    date: str
    t: float
    value: float  # NaN for a range
    low: float
    high: float
    qualifier: str
    section: str
    source: str
    source_zh: str = ""  # the citation for the Chinese edition; empty for the report

    @property
    def is_range(self) -> bool:
        return math.isnan(self.value) and not (math.isnan(self.low) or math.isnan(self.high))

    @property
    def bounds(self) -> tuple[float, float]:
        """(low, high): a range's ends, or the value twice."""
        return (self.low, self.high) if self.is_range else (self.value, self.value)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _figure(row: dict) -> Figure:
    return Figure(
        series_id=str(row["series_id"]),
        date=str(row["date"]),
        t=float(row["t"]) if "t" in row else fractional_year(str(row["date"])),
        value=float(row["value"]),
        low=float(row.get("value_low", NAN)),
        high=float(row.get("value_high", NAN)),
        qualifier=_text(row.get("qualifier")),
        section=_text(row.get("section")),
        source=_text(row.get("source")) or REPORT_SOURCE,
        source_zh=_text(row.get("source_zh")),
    )


OBSERVATION_COLUMNS = ("series_id", "date", "value")


def figures(observations: pd.DataFrame, series_id: str) -> list[Figure]:
    """Every numeric statement of a series, in date order (frame order within a date)."""
    missing = [c for c in OBSERVATION_COLUMNS if c not in observations.columns]
    if missing:
        raise ValueError(
            f"observations lack the column(s) {', '.join(missing)}: pass the loader's frame "
            "(analysis.inputs.dataset.load_dataset(...).observations)"
        )
    rows = observations[observations["series_id"] == series_id]
    found = [_figure(row) for row in rows.to_dict(orient="records")]
    found = [f for f in found if f.is_range or not math.isnan(f.value)]  # no milestones
    return sorted(found, key=lambda f: f.t)


def figure_at(observations: pd.DataFrame, series_id: str, date: str | None = None) -> Figure | None:
    """The series' figure at `date` (the end of its period), or its latest; the first
    statement of that date in frame order. None when there is none."""
    found = figures(observations, series_id)
    if date is not None:
        t = fractional_year(date)
        found = [f for f in found if abs(f.t - t) <= tolerance.YEARS]
        return found[0] if found else None
    if not found:
        return None
    latest = found[-1].t
    return next(f for f in found if abs(f.t - latest) <= tolerance.YEARS)


# Qualifiers through arithmetic ------------------------------------------------------------------

# Which side of the stated number the truth lies on: +1 above, -1 below, 0 either side.
_SIDE = {"over": 1, "at_least": 1, "nearly": -1, "at_most": -1, "about": 0}
_FLIPPED = {"over": "at_most", "at_least": "at_most", "nearly": "at_least", "at_most": "at_least"}


def flip_qualifier(qualifier: str) -> str:
    """The qualifier of 1/x (or of -x) for a qualified x: "over 50" gives "at most 1/50".

    A strict qualifier becomes the non-strict one of the other side (余 -> 以下), never 近: the
    truth lies on that side, not necessarily close to the number.
    """
    return _FLIPPED.get(qualifier, qualifier)


def combine_qualifiers(qualifiers: Iterable[str]) -> str:
    """The qualifier of a result from its inputs' (already flipped where they divide).

    None: exact (""). Any 约, or inputs that lean to opposite sides: "about". All on one side:
    that side, strict only if every one is strict.
    """
    present = [q for q in qualifiers if q]
    if not present:
        return ""
    if "about" in present or len({_SIDE[q] for q in present}) > 1:
        return "about"
    side = _SIDE[present[0]]
    strict = all(q in ("over", "nearly") for q in present)
    if side > 0:
        return "over" if strict else "at_least"
    return "nearly" if strict else "at_most"


def rounding_bounds(value: float) -> tuple[float, float]:
    """The interval a stated number covers when rounded to its last digit: 77.18 -> 77.175 to
    77.185 (the digits as written in the data: the shortest repr of the float)."""
    text = repr(float(value))
    decimals = len(text.split(".")[1]) if "." in text and not text.endswith(".0") else 0
    half = 0.5 * 10.0**-decimals
    return value - half, value + half


# Social assistance ------------------------------------------------------------------------------


def dibao_gap(observations: pd.DataFrame) -> pd.DataFrame:
    """The urban and the rural 低保 standard at each date both are stated: gap (urban - rural,
    元/人·月) and ratio (urban / rural), with each figure's section and source."""
    rows = []
    rural = {f.date: f for f in figures(observations, DIBAO["rural"]) if not f.is_range}
    for urban in figures(observations, DIBAO["urban"]):
        match = rural.get(urban.date)
        if match is None or urban.is_range:
            continue
        rows.append(
            {
                "date": urban.date,
                "urban": urban.value,
                "rural": match.value,
                "gap": urban.value - match.value,
                "ratio": urban.value / match.value if match.value else NAN,
                "equal": tolerance.same_relative(urban.value, match.value),
                "urban_section": urban.section,
                "rural_section": match.section,
                "source": urban.source
                if urban.source == match.source
                else "; ".join(dict.fromkeys((urban.source, match.source))),
                "source_zh": chinese_sources((urban, match)),
            }
        )
    columns = [
        "date", "urban", "rural", "gap", "ratio", "equal",
        "urban_section", "rural_section", "source", "source_zh",
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    frame["t"] = frame["date"].map(fractional_year) if len(frame) else []
    return frame.sort_values("t", kind="stable").drop(columns="t").reset_index(drop=True)


def chinese_sources(found: Iterable[Figure]) -> str:
    """The Chinese citations of figures, each once, joined as Chinese lists them; empty when
    every figure is the report's."""
    return "；".join(dict.fromkeys(f.source_zh for f in found if f.source_zh))


def floor_relations(relations: pd.DataFrame) -> pd.DataFrame:
    """The rules "特困 standard >= factor x 低保 standard", one row per pair of series (the
    first statement's section; every statement's sections joined)."""
    wanted = relations[
        relations["left_series_id"].isin(TEKUN.values())
        & relations["right_series_id"].isin(DIBAO.values())
    ]
    grouped = wanted.groupby(["left_series_id", "right_series_id"], sort=False)
    return grouped.agg(
        factor=("factor", "first"),
        comparator=("comparator", "first"),
        sections=("section", lambda s: "、".join(dict.fromkeys(s))),
    ).reset_index()


def _area_of(series_id: str) -> str:
    return next(area for area, sid in TEKUN.items() if sid == series_id)


def tekun_multiples(observations: pd.DataFrame, relations: pd.DataFrame) -> pd.DataFrame:
    """Each 特困 basic standard as a multiple of its 低保 standard at each date both are stated,
    against the rule's floor: the margin in 元 (特困 - floor x 低保), whether the floor is met
    (>=, within `tolerance.ROUNDING`) and whether the standard is strictly above it (the
    report's 高于)."""
    rows = []
    for rule in floor_relations(relations).to_dict(orient="records"):
        dibao = {f.date: f for f in figures(observations, rule["right_series_id"])}
        for tekun in figures(observations, rule["left_series_id"]):
            base = dibao.get(tekun.date)
            if base is None or tekun.is_range or base.is_range:
                continue
            floor_value = rule["factor"] * base.value
            margin = tekun.value - floor_value
            slack = tolerance.ROUNDING * max(1.0, abs(floor_value))
            rows.append(
                {
                    "area": _area_of(rule["left_series_id"]),
                    "date": tekun.date,
                    "tekun": tekun.value,
                    "dibao": base.value,
                    "multiple": tekun.value / base.value if base.value else NAN,
                    "floor": rule["factor"],
                    "floor_value": floor_value,
                    "margin": 0.0 if abs(margin) <= slack else margin,
                    "meets_floor": bool(margin >= -slack),
                    "strictly_above": bool(margin > slack),
                    "tekun_section": tekun.section,
                    "dibao_section": base.section,
                    "rule_sections": rule["sections"],
                }
            )
    columns = [
        "area", "date", "tekun", "dibao", "multiple", "floor", "floor_value", "margin",
        "meets_floor", "strictly_above", "tekun_section", "dibao_section", "rule_sections",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _assessed(assessment: pd.DataFrame, series_id: str) -> dict | None:
    rows = assessment[assessment["series_id"] == series_id]
    return None if rows.empty else rows.iloc[0].to_dict()


def first_year_below(
    multiple: float, t_latest: float, tekun_rate: float, dibao_rate: float, floor: float
) -> tuple[str, int | None, float]:
    """(outcome, first whole year-end below the floor, fractional time of the crossing) for a
    multiple `multiple` at `t_latest` moving at the ratio of the two compound paces.

    The multiple at t is multiple x ((1 + tekun_rate) / (1 + dibao_rate)) ** (t - t_latest).
    "Below" means below by more than `tolerance.ROUNDING` of the floor; a multiple exactly at
    the floor is not below it.
    """
    if any(math.isnan(x) for x in (multiple, t_latest, tekun_rate, dibao_rate)):
        return NO_PACE, None, NAN
    slack = tolerance.ROUNDING * max(1.0, floor)
    if multiple < floor - slack:
        return ALREADY_BELOW, None, t_latest
    relative = (1 + tekun_rate) / (1 + dibao_rate)
    if relative >= 1 - tolerance.RELATIVE:
        return NEVER, None, NAN
    crossing = t_latest + math.log(floor / multiple) / math.log(relative)
    year = math.floor(t_latest + tolerance.YEARS) + 1
    while year <= LATEST_CROSSING_YEAR:
        if multiple * relative ** (year - t_latest) < floor - slack:
            return FALLS_BELOW, year, crossing
        year += 1
    return NEVER, None, crossing


def _shortfall(paces: tuple[float, float, float, float, float], floor: float, at: int) -> float:
    """How far (元) the 特困 standard falls short of `floor` x the 低保 standard at year-end
    `at`, both carried on from `t_latest` at their paces."""
    tekun_now, tekun_rate, dibao_now, dibao_rate, t_latest = paces
    years = at - t_latest
    return floor * dibao_now * (1 + dibao_rate) ** years - tekun_now * (1 + tekun_rate) ** years


def tekun_floor_projection(
    observations: pd.DataFrame,
    relations: pd.DataFrame,
    assessment: pd.DataFrame,
    horizon: int,
) -> pd.DataFrame:
    """A projection: each 特困 and 低保 standard carried on from its latest figure at its
    observed compound growth (the assessment's `cagr`, base to latest), and the first year-end
    at which the 特困 standard would fall below the floor times the 低保 standard.

    `outcome`: falls_below (by `horizon`), falls_below_after_horizon, never (the 特困 standard
    grows at least as fast), already_below, or no_pace (a growth rate is undefined: `reason`).
    """
    rows = []
    for rule in floor_relations(relations).to_dict(orient="records"):
        tekun = _assessed(assessment, rule["left_series_id"])
        dibao = _assessed(assessment, rule["right_series_id"])
        row: dict[str, object] = {
            "area": _area_of(rule["left_series_id"]),
            "floor": rule["factor"],
            "horizon": horizon,
            "basis": PROJECTED,
        }
        missing = [
            name
            for name, found in ((rule["left_series_id"], tekun), (rule["right_series_id"], dibao))
            if found is None or pd.isna(found.get("cagr"))
        ]
        if missing or tekun is None or dibao is None:
            rows.append(row | {"outcome": NO_PACE, "reason": f"no growth rate for {missing}"})
            continue
        t_tekun, t_dibao = (fractional_year(str(s["latest_date"])) for s in (tekun, dibao))
        t_latest = max(t_tekun, t_dibao)
        # Both carried to the same moment before they are compared.
        tekun_now = tekun["latest_value"] * (1 + tekun["cagr"]) ** (t_latest - t_tekun)
        dibao_now = dibao["latest_value"] * (1 + dibao["cagr"]) ** (t_latest - t_dibao)
        multiple = tekun_now / dibao_now
        outcome, year, crossing = first_year_below(
            multiple, t_latest, tekun["cagr"], dibao["cagr"], rule["factor"]
        )
        # A shortfall under half the last digit the standards are stated in is rounding, not a
        # fall below the floor (as for the relation checks): the first year is the first
        # whose shortfall is larger.
        slack = float(
            max(
                tolerance.half_last_digit(tekun["latest_value"])[0],
                tolerance.half_last_digit(dibao["latest_value"])[0],
            )
        )

        paces = (tekun_now, tekun["cagr"], dibao_now, dibao["cagr"], t_latest)
        while (
            outcome == FALLS_BELOW
            and year is not None
            and _shortfall(paces, rule["factor"], year) < slack
        ):
            year += 1
            if year > LATEST_CROSSING_YEAR:
                outcome, year = NEVER, None
        if outcome == FALLS_BELOW and year is not None and year > horizon:
            outcome = FALLS_BELOW_AFTER_HORIZON
        ratio = (1 + tekun["cagr"]) / (1 + dibao["cagr"])
        at_horizon = multiple * ratio ** (horizon - t_latest)
        at_year = (
            (
                tekun_now * (1 + tekun["cagr"]) ** (year - t_latest),
                dibao_now * (1 + dibao["cagr"]) ** (year - t_latest),
            )
            if year is not None
            else (NAN, NAN)
        )
        rows.append(
            row
            | {
                "latest_date": period_label(t_latest),
                "tekun_latest": tekun_now,
                "dibao_latest": dibao_now,
                "multiple_latest": multiple,
                "tekun_cagr": tekun["cagr"],
                "dibao_cagr": dibao["cagr"],
                "multiple_at_horizon": at_horizon,
                "outcome": outcome,
                "first_year_below": year,
                "crossing_t": crossing,
                "tekun_at_year": at_year[0],
                "dibao_at_year": at_year[1],
                "margin_at_year": at_year[0] - rule["factor"] * at_year[1],
                "sections": rule["sections"],
                "reason": "",
            }
        )
    columns = [
        "area", "basis", "latest_date", "tekun_latest", "dibao_latest", "multiple_latest",
        "tekun_cagr", "dibao_cagr", "floor", "horizon", "multiple_at_horizon", "outcome",
        "first_year_below", "crossing_t", "tekun_at_year", "dibao_at_year", "margin_at_year",
        "sections", "reason",
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    frame["first_year_below"] = frame["first_year_below"].astype("Int64")
    return frame


def care_multiples(
    observations: pd.DataFrame,
    series_ids: Sequence[str] = CARE_STANDARDS,
    base_date: str = BASE_DATE,
) -> pd.DataFrame:
    """Each standard's latest figure as a multiple of its `base_date` figure, and the increase.
    A zero base leaves the multiple undefined (NaN, reason "undefined: base is zero")."""
    rows = []
    for series_id in series_ids:
        base = figure_at(observations, series_id, base_date)
        latest = figure_at(observations, series_id)
        row: dict[str, object] = {
            "series_id": series_id,
            "base_date": base_date,
            "base": NAN,
            "latest_date": "",
            "latest": NAN,
            "increase": NAN,
            "multiple": NAN,
            "reason": "",
            "section": "",
        }
        if base is None or latest is None or latest.t <= base.t or base.is_range:
            row["reason"] = REASON_MISSING
            rows.append(row)
            continue
        row |= {
            "base": base.value,
            "latest_date": latest.date,
            "latest": latest.value,
            "increase": latest.value - base.value,
            "section": "、".join(dict.fromkeys((base.section, latest.section))),
        }
        if base.value == 0:
            row["reason"] = REASON_ZERO_BASE
        else:
            row["multiple"] = latest.value / base.value
        rows.append(row)
    return pd.DataFrame(rows)


# Ratios the report implies ----------------------------------------------------------------------


@dataclass(frozen=True)
class RatioSpec:
    """result = scale x sum(numerator) / sum(denominator), in `unit`.

    `rounded_denominator`: the denominator is a rounded share (77.18 %), so the result is
    approximate and carries the interval its rounding allows. `stated`: a series in which the
    report states the result itself, shown beside the recomputation.
    """

    key: str
    chapter: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    unit: str  # a Unit where the English edition needs to know what is counted
    scale: float = 1.0
    rounded_denominator: bool = False
    stated: str | None = None


RATIOS: tuple[RatioSpec, ...] = (
    RatioSpec(
        "assistance_coordinators_per_village_unit",
        "social_assistance",
        ("social_assistance_coordinators",),
        ("urban_community_count", "administrative_village_count"),
        Unit("人", "coordinators"),
    ),
    RatioSpec(
        "juvenile_station_coverage",
        "children",
        ("juvenile_protection_station_count",),
        ("township_count",),
        "%",
        100.0,
        stated="juvenile_protection_station_coverage",
    ),
    RatioSpec(
        "child_supervisors_per_township",
        "children",
        ("child_supervisor_count",),
        ("township_count",),
        Unit("人", "supervisors"),
    ),
    RatioSpec(
        "children_per_mentor",
        "children",
        ("left_behind_children_paired",),
        ("left_behind_child_mentors",),
        Unit("名", "children"),
    ),
    RatioSpec(
        "all_elderly_care_beds",
        "elderly_care",
        ("nursing_bed_count",),
        ("nursing_bed_share",),
        Unit("张", "beds"),
        100.0,
        rounded_denominator=True,
    ),
    RatioSpec(
        "elderly_facility_area_added_share",
        "elderly_care",
        ("urban_community_elderly_facility_area_added",),
        ("urban_community_elderly_facility_area",),
        "%",
        100.0,
    ),
    RatioSpec(
        "party_branch_formation_rate",
        "social_organisations",
        ("social_orgs_with_party_branch",),
        ("party_committee_social_orgs",),
        "%",
        100.0,
        stated="party_branch_formation_rate",
    ),
    RatioSpec(
        "organisations_per_party_branch",
        "social_organisations",
        ("social_orgs_with_party_branch",),
        ("party_branches",),
        Unit("家", "organisations"),
    ),
    RatioSpec(
        "party_members_per_branch",
        "social_organisations",
        ("party_members_total",),
        ("party_branches",),
        Unit("名", "members"),
    ),
    RatioSpec(
        "poverty_investment_per_project",
        "social_organisations",
        ("city_social_org_poverty_investment",),
        ("city_social_org_poverty_projects",),
        "元",
    ),
    RatioSpec(
        "rural_community_social_orgs_per_village",
        "social_organisations",
        ("rural_community_social_orgs",),
        ("administrative_village_count",),
        Unit("家", "organisations"),
    ),
    RatioSpec(
        "vagrancy_aid_cost_per_case",
        "special_affairs",
        ("vagrancy_aid_funds",),
        ("vagrancy_aid_total",),
        Unit("元/人次", "yuan/person-time"),
    ),
    RatioSpec(
        "vagrancy_aid_in_station_share",
        "special_affairs",
        ("vagrancy_aid_in_station",),
        ("vagrancy_aid_total",),
        "%",
        100.0,
    ),
    RatioSpec(
        "mental_health_central_share",
        "special_affairs",
        ("mental_health_facility_investment_central",),
        ("mental_health_facility_investment_total",),
        "%",
        100.0,
    ),
    RatioSpec(
        "mental_health_investment_per_bed",
        "special_affairs",
        ("mental_health_facility_investment_total",),
        ("mental_health_facility_beds",),
        Unit("元/张", "yuan/bed"),
    ),
    RatioSpec(
        "assistive_rental_investment_per_client",
        "special_affairs",
        ("assistive_rental_investment",),
        ("assistive_rental_clients",),
        Unit("元/人", "yuan/client"),
    ),
)


def _total(found: Sequence[Figure]) -> tuple[float, float, float, str]:
    """(value, low, high, qualifier) of the sum of figures: a range when any is a range."""
    lows, highs = zip(*(f.bounds for f in found), strict=True)
    low, high = float(sum(lows)), float(sum(highs))
    value = low if low == high else NAN
    return value, low, high, combine_qualifiers(f.qualifier for f in found)


def _parts_text(found: Sequence[Figure]) -> tuple[str, str, str]:
    return (
        " + ".join(f.series_id for f in found),
        "、".join(dict.fromkeys(f.section for f in found)),
        "、".join(dict.fromkeys(f.date for f in found)),
    )


def implied_ratio(observations: pd.DataFrame, spec: RatioSpec) -> dict[str, object]:
    """One implied ratio from the latest figure of each input series.

    A range input gives a range result (interval arithmetic, all inputs positive); a qualifier
    travels (a qualified denominator is flipped: dividing by "over 42" gives "at most").
    """
    row: dict[str, object] = {
        "key": spec.key,
        "chapter": spec.chapter,
        "unit": spec.unit,
        "numerator_series": " + ".join(spec.numerator),
        "denominator_series": " + ".join(spec.denominator),
    }
    empty = {
        "numerator": NAN, "numerator_low": NAN, "numerator_high": NAN,
        "numerator_qualifier": "", "numerator_section": "", "numerator_date": "",
        "denominator": NAN, "denominator_low": NAN, "denominator_high": NAN,
        "denominator_qualifier": "", "denominator_section": "", "denominator_date": "",
        "value": NAN, "value_low": NAN, "value_high": NAN, "qualifier": "",
        "stated": NAN, "stated_section": "", "agrees": None, "reason": "",
    }  # fmt: skip
    row |= empty
    numerator = [figure_at(observations, s) for s in spec.numerator]
    denominator = [figure_at(observations, s) for s in spec.denominator]
    missing = [
        s
        for s, f in zip(spec.numerator + spec.denominator, numerator + denominator, strict=True)
        if f is None
    ]
    if missing:
        row["reason"] = f"{REASON_MISSING}: no figure for {', '.join(missing)}"
        return row
    num = [f for f in numerator if f is not None]
    den = [f for f in denominator if f is not None]
    n_value, n_low, n_high, n_qualifier = _total(num)
    d_value, d_low, d_high, d_qualifier = _total(den)
    for prefix, found, values in (
        ("numerator", num, (n_value, n_low, n_high, n_qualifier)),
        ("denominator", den, (d_value, d_low, d_high, d_qualifier)),
    ):
        _, sections, dates = _parts_text(found)
        row |= dict(zip((prefix, f"{prefix}_low", f"{prefix}_high"), values[:3], strict=True))
        row |= {
            f"{prefix}_qualifier": values[3],
            f"{prefix}_section": sections,
            f"{prefix}_date": dates,
        }
    if d_low <= 0 <= d_high:
        row["reason"] = REASON_ZERO_DENOMINATOR
        return row
    qualifier = combine_qualifiers([n_qualifier, flip_qualifier(d_qualifier)])
    value = NAN
    if spec.rounded_denominator and not math.isnan(d_value) and not math.isnan(n_value):
        value = spec.scale * n_value / d_value
        d_low, d_high = rounding_bounds(d_value)
        qualifier = "about"
    elif not (math.isnan(n_value) or math.isnan(d_value)):
        value = spec.scale * n_value / d_value
    low, high = spec.scale * n_low / d_high, spec.scale * n_high / d_low
    is_interval = not tolerance.same_relative(low, high)
    row |= {
        "value": value,
        "value_low": low if is_interval else NAN,
        "value_high": high if is_interval else NAN,
        "qualifier": qualifier,
    }
    if spec.stated:
        stated = figure_at(observations, spec.stated)
        if stated is not None and not stated.is_range:
            lo, hi = rounding_bounds(stated.value)
            computed_low = value if math.isnan(row["value_low"]) else row["value_low"]
            computed_high = value if math.isnan(row["value_high"]) else row["value_high"]
            row |= {
                "stated": stated.value,
                "stated_section": stated.section,
                # the stated figure, rounded as written, covers the recomputed one
                "agrees": bool(computed_high >= lo and computed_low <= hi),
            }
    return row


def implied_ratios(
    observations: pd.DataFrame, specs: Iterable[RatioSpec] = RATIOS, chapter: str | None = None
) -> pd.DataFrame:
    """Every implied ratio of `specs` (those of `chapter` only, when given)."""
    rows = [
        implied_ratio(observations, spec)
        for spec in specs
        if chapter is None or spec.chapter == chapter
    ]
    return pd.DataFrame(rows)


# Suzhou against the province and the nation -----------------------------------------------------


@dataclass(frozen=True)
class ReferencePair:
    """A Suzhou series and the reference series it is compared with (several when the source
    names the province's figure differently at different dates)."""

    chapter: str
    suzhou: str
    references: tuple[str, ...]
    # The references are targets: a qualifier (>= 55 %) is the target's comparator, not an
    # uncertainty of the figure, so the difference from it is exact.
    is_target: bool = False


REFERENCE_PAIRS: tuple[ReferencePair, ...] = (
    ReferencePair(
        "social_assistance",
        "dibao_standard_urban",
        ("anhui_dibao_standard_urban_rural", "anhui_dibao_standard_urban"),
    ),
    ReferencePair(
        "social_assistance",
        "dibao_standard_rural",
        ("anhui_dibao_standard_urban_rural", "anhui_dibao_standard_rural"),
    ),
    ReferencePair(
        "social_assistance", "tekun_basic_standard_urban", ("anhui_tekun_basic_standard_urban",)
    ),
    ReferencePair(
        "social_assistance", "tekun_basic_standard_rural", ("anhui_tekun_basic_standard_rural",)
    ),
    ReferencePair(
        "children", "orphan_allowance_institutional", ("anhui_orphan_allowance_institutional",)
    ),
    ReferencePair("children", "orphan_allowance_dispersed", ("anhui_orphan_allowance_dispersed",)),
    ReferencePair("elderly_care", "nursing_bed_share", ("anhui_nursing_bed_share",)),
    ReferencePair(
        "elderly_care", "nursing_bed_share", ("national_nursing_bed_share_target",), True
    ),
)


def _reference_figures(observations: pd.DataFrame, ids: Sequence[str]) -> list[Figure]:
    """The reference figures of `ids`, one per date (the first series listed wins a date)."""
    by_t: dict[float, Figure] = {}
    for series_id in ids:
        for found in figures(observations, series_id):
            if not found.is_range and not any(abs(found.t - t) <= tolerance.YEARS for t in by_t):
                by_t[found.t] = found
    return [by_t[t] for t in sorted(by_t)]


def _interpolate(found: Sequence[Figure], t: float) -> tuple[float, str, str, Figure | None]:
    """(value, basis, qualifier, figure) of the reference at t: stated, or linearly
    interpolated between the stated figures either side (an assumption), or NaN outside."""
    for f in found:
        if abs(f.t - t) <= tolerance.YEARS:
            return f.value, STATED, f.qualifier, f
    before = [f for f in found if f.t < t]
    after = [f for f in found if f.t > t]
    if not before or not after:
        return NAN, "", "", None
    a, b = before[-1], after[0]
    share = (t - a.t) / (b.t - a.t)
    value = a.value + share * (b.value - a.value)
    return value, INTERPOLATED, combine_qualifiers([a.qualifier, b.qualifier]), None


def _comparison_row(
    pair: ReferencePair,
    t: float,
    suzhou: tuple[float, str, str, str, str],
    reference: tuple[float, str, str, str, str, str, str],
) -> dict[str, object]:
    s_value, s_basis, s_date, s_qualifier, s_section = suzhou
    r_value, r_basis, r_date, r_qualifier, r_series, r_source, r_source_zh = reference
    uncertain = "" if pair.is_target else flip_qualifier(r_qualifier)
    return {
        "chapter": pair.chapter,
        "suzhou_series": pair.suzhou,
        "reference_series": r_series,
        "t": t,
        "suzhou_date": s_date,
        "suzhou": s_value,
        "suzhou_basis": s_basis,
        "suzhou_qualifier": s_qualifier,
        "suzhou_section": s_section,
        "reference_date": r_date,
        "reference": r_value,
        "reference_basis": r_basis,
        "reference_qualifier": r_qualifier,
        "reference_source": r_source,
        "reference_source_zh": r_source_zh,
        "difference": s_value - r_value,
        "difference_qualifier": combine_qualifiers([s_qualifier, uncertain]),
        "ratio": s_value / r_value if r_value else NAN,
        "ratio_qualifier": combine_qualifiers([s_qualifier, uncertain]),
        "is_target": pair.is_target,
    }


def reference_comparisons(
    observations: pd.DataFrame,
    assessment: pd.DataFrame,
    horizon: int,
    pairs: Iterable[ReferencePair] = REFERENCE_PAIRS,
    chapter: str | None = None,
) -> pd.DataFrame:
    """Suzhou against each reference at the dates where both can be had.

    At each date of the reference's span (its stated dates, and Suzhou's stated dates within
    it): Suzhou's stated figure, or at `horizon` its projection (the assessment's
    `projected_value`); the reference's stated figure or its linear interpolation. Where no
    date is shared, Suzhou's latest figure against each reference figure, basis "dates_differ".
    A reference figure never enters a Suzhou series: it stays in its own columns, with its
    source.
    """
    rows: list[dict[str, object]] = []
    for pair in pairs:
        if chapter is not None and pair.chapter != chapter:
            continue
        reference = _reference_figures(observations, pair.references)
        suzhou = [f for f in figures(observations, pair.suzhou) if f.source == REPORT_SOURCE]
        if not reference or not suzhou:
            continue
        assessed = _assessed(assessment, pair.suzhou) or {}
        projected = float(assessed.get("projected_value", NAN))
        span = (reference[0].t, reference[-1].t)
        times = sorted(
            {f.t for f in reference}
            | {f.t for f in suzhou if span[0] - tolerance.YEARS <= f.t <= span[1] + tolerance.YEARS}
        )
        found_rows = []
        for t in times:
            stated = next((f for f in suzhou if abs(f.t - t) <= tolerance.YEARS), None)
            if stated is not None and not stated.is_range:
                s = (stated.value, STATED, stated.date, stated.qualifier, stated.section)
            elif abs(t - horizon) <= tolerance.YEARS and not math.isnan(projected):
                s = (projected, PROJECTED, period_label(t), "", "")
            else:
                continue
            r_value, r_basis, r_qualifier, r_figure = _interpolate(reference, t)
            if math.isnan(r_value):
                continue
            r = (
                r_value,
                r_basis,
                r_figure.date if r_figure else period_label(t),
                r_qualifier,
                r_figure.series_id if r_figure else " / ".join(pair.references),
                r_figure.source
                if r_figure
                else "; ".join(dict.fromkeys(f.source for f in reference)),
                chinese_sources([r_figure] if r_figure else reference),
            )
            found_rows.append(_comparison_row(pair, t, s, r))
        if not found_rows:
            latest = suzhou[-1]
            for f in reference:
                row = _comparison_row(
                    pair,
                    latest.t,
                    (latest.value, STATED, latest.date, latest.qualifier, latest.section),
                    (f.value, STATED, f.date, f.qualifier, f.series_id, f.source, f.source_zh),
                )
                row["reference_basis"] = DATES_DIFFER
                found_rows.append(row)
        rows += found_rows
    columns = [
        "chapter", "suzhou_series", "reference_series", "t", "suzhou_date", "suzhou",
        "suzhou_basis", "suzhou_qualifier", "suzhou_section", "reference_date", "reference",
        "reference_basis", "reference_qualifier", "reference_source", "reference_source_zh",
        "difference",
        "difference_qualifier", "ratio", "ratio_qualifier", "is_target",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def chapters_with_analysis() -> set[str]:
    """The chapters some analysis of this module belongs to."""
    chapters = {spec.chapter for spec in RATIOS} | {pair.chapter for pair in REFERENCE_PAIRS}
    return chapters | {"social_assistance"}
