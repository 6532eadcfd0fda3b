"""The report checked against itself: sums, ratios, repeated figures, stated rules and verdicts.

Every check reads its numbers from the observations frame by series_id and section; the module
holds only which series belong together, never the report's figures. A failed check is a finding
about the report (a sum that does not add up, two statements of one figure that disagree, a
verdict count that contradicts the preamble) and is reported, never dropped.

A check whose inputs are missing (for example a rule against a figure the report never gives)
is reported with found = "no data" and passed = <NA> (neither passed nor failed); its note
says why it could not be verified.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from analysis.core.dates import fractional_year
from analysis.core.report import REPORT_SOURCE
from analysis.core.tolerance import RELATIVE, ROUNDING
from analysis.methods.verdicts import implied_bounds

COLUMNS = ["check_id", "section", "description", "expected", "found", "passed", "note"]
NO_DATA = "no data"

COMPLETED = "已完成目标任务"
VERDICTS_MEETING_EXPECTATIONS = ("已完成目标任务", "达到预期目标", "超出预期目标")
PREAMBLE = "前言"
KEY_INDICATORS_TOTAL = "key_indicators_total"
KEY_INDICATORS_MET = "key_indicators_met"
KEY_INDICATORS_COMPLETED_EARLY = "key_indicators_completed_early"
INCREASE_WORDS = "提高到"  # "raised to": the report claims the later value is higher
STRICT_WORDS = "高于"  # "higher than": a strict inequality, unlike 不低于 (not lower than)
HEADING_SEPARATOR = ":"

CHINESE_ORDINALS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}
PART_ORDER = {PREAMBLE: 0, **CHINESE_ORDINALS}

Ref = tuple[str, str]  # (series_id, section)


@dataclass(frozen=True)
class SumCheck:
    """Parts that the report says make up a stated total."""

    check_id: str
    total: Ref
    parts: tuple[Ref, ...]
    description: str


@dataclass(frozen=True)
class RatioCheck:
    """A stated percentage that should equal 100 x numerator / denominator."""

    check_id: str
    rate: Ref
    numerator: Ref
    denominator: Ref
    description: str


@dataclass(frozen=True)
class AtMostCheck:
    """Quantities whose sum cannot exceed the sum of others (a part within its whole)."""

    check_id: str
    smaller: tuple[Ref, ...]
    larger: tuple[Ref, ...]
    description: str
    note: str = ""


@dataclass(frozen=True)
class ScopeCheck:
    """One quantity stated for two scopes (the whole city and a part of it): the figures need
    not agree, and when they are equal the report gives no way to tell whether both hold."""

    check_id: str
    wider: Ref
    narrower: Ref
    description: str
    note: str


SUM_CHECKS = (
    SumCheck(
        "sum:vagrancy_aid",
        ("vagrancy_aid_total", "二.(七).2"),
        (("vagrancy_aid_in_station", "二.(七).2"), ("vagrancy_aid_outside_station", "二.(七).2")),
        "vagrancy aid since 2021: 站内救助 + 站外临时救助 = 救助流浪乞讨人员 total (person-times)",
    ),
    SumCheck(
        "sum:party_branches",
        ("party_branches", "二.(五).1"),
        (("party_branches_single", "二.(五).1"), ("party_branches_joint", "二.(五).1")),
        "party branches: 单独组建党支部 + 联合组建党支部 = 党支部",
    ),
    SumCheck(
        "sum:assistive_rental_clients",
        ("assistive_rental_clients", "三.(九)"),
        (
            ("assistive_rental_clients_dibao", "三.(九)"),
            ("assistive_rental_clients_disability_subsidies", "三.(九)"),
        ),
        "assistive-device rental clients: 低保 + 享受两项补贴残疾人 = 签约租赁服务",
    ),
    SumCheck(
        "sum:mental_health_facility_funding",
        ("mental_health_facility_investment_total", "三.(八)"),
        (
            ("mental_health_facility_investment_central", "三.(八)"),
            ("mental_health_facility_investment_local", "三.(八)"),
        ),
        "mental-health welfare facility: 中央预算内投资 + 地方政府配套资金 = 计划总投资",
    ),
    SumCheck(
        "sum:trade_associations",
        ("trade_associations_total", "三.(五).1"),
        (
            ("trade_associations_direct_registration", "三.(五).1"),
            ("trade_associations_not_decoupled", "三.(五).1"),
            ("trade_associations_decoupled", "三.(五).1"),
        ),
        "trade associations: 直接登记 + 不脱钩 + 已脱钩 = 行业协会商会 total",
    ),
)

RATIO_CHECKS = (
    RatioCheck(
        "ratio:juvenile_protection_station_coverage",
        ("juvenile_protection_station_coverage", "一.6"),
        ("juvenile_protection_station_count", "一.6"),
        ("township_count", "二.(二).2"),
        "未成年人保护工作站覆盖率 = stations / 乡镇(街道) x 100",
    ),
    RatioCheck(
        "ratio:party_branch_formation_rate",
        ("party_branch_formation_rate", "二.(五).1"),
        ("social_orgs_with_party_branch", "二.(五).1"),
        ("party_committee_social_orgs", "二.(五).1"),
        "党组织组建率 = organisations covered by a branch / organisations under the committee "
        "x 100",
    ),
)

AT_MOST_CHECKS = (
    AtMostCheck(
        "within:rural_community_social_orgs",
        (("rural_community_social_orgs", "三.(五).2"),),
        (
            ("community_social_orgs_registered", "二.(五).2"),
            ("community_social_orgs_filed", "二.(五).2"),
        ),
        "农村社区社会组织 (备案登记) cannot exceed all community social organisations, "
        "注册登记 + 备案",
        "the rural figure is a part of the whole; the report gives no urban figure, so no "
        "equality can be checked",
    ),
    AtMostCheck(
        "within:trade_associations_city_level",
        (("trade_associations_city_level", "三.(五).1"),),
        (("trade_associations_total", "三.(五).1"),),
        "市级 trade associations cannot exceed all 行业协会商会",
    ),
    AtMostCheck(
        "within:urban_elderly_facility_area_added",
        (("urban_community_elderly_facility_area_added", "三.(三).1"),),
        (("urban_community_elderly_facility_area", "三.(三).1"),),
        "城市社区养老服务设施配建面积: the area added since 2021 cannot exceed the total",
    ),
    AtMostCheck(
        "within:party_members_new",
        (("party_members_new", "二.(五).1"),),
        (("party_members_recruited_cumulative", "二.(五).1"),),
        "2023年新发展党员 cannot exceed 自综合党委成立以来共发展党员",
    ),
    AtMostCheck(
        "within:party_members_recruited",
        (("party_members_recruited_cumulative", "二.(五).1"),),
        (("party_members_total", "二.(五).1"),),
        "党员 recruited since the committee was founded cannot exceed 所辖党员 in all",
    ),
    AtMostCheck(
        "within:townships_have_child_supervisors",
        (("township_count", "二.(二).2"),),
        (("child_supervisor_count", "二.(二).2"),),
        "all 112 乡镇(街道) 全部设立了儿童保护督导员: needs at least one 儿童督导员 per township",
    ),
    AtMostCheck(
        "within:assistive_rental_over_a_thousand",
        (("assistive_device_rental_disabled_users", "二.(七).1"),),
        (("assistive_rental_clients", "三.(九)"),),
        "千余名残疾人 rented assistive devices (二.(七).1): the 签约租赁服务 clients of 三.(九) "
        "should be at least 1000",
        "of the clients, only 945 are named as disabled people with the two subsidies; 59 are "
        "低保 recipients",
    ),
    AtMostCheck(
        "within:assistive_rental_disabled_users",
        (("assistive_device_rental_disabled_users", "二.(七).1"),),
        (("assistive_rental_clients_disability_subsidies", "三.(九)"),),
        "千余名残疾人 rented assistive devices (二.(七).1) against the 享受两项补贴残疾人945人 "
        "among the rental clients of 三.(九)",
        "more than a thousand disabled users cannot be 945 disabled clients as stated; both "
        "hold only if at least 56 of the 59 低保 clients are disabled too, which the report "
        "does not say",
    ),
    AtMostCheck(
        "within:assistive_rental_volume",
        (("assistive_rental_clients", "三.(九)"),),
        (("assistive_rental_service_volume", "三.(九)"),),
        "服务量 (person-times) should be at least the number of 签约 clients",
    ),
)


# A total for the plan period cannot be smaller than one year's addition to it: each pair is a
# count in one section and an addition for a narrower period in another.
PERIOD_CHECKS = (
    AtMostCheck(
        "period:place_name_qr_codes",
        (("road_sign_qr_codes_added", "三.(十)"),),
        (("place_name_qr_codes_updated", "二.(八).3"),),
        "QR codes on place-name signs: 更新设置新的二维码1.4万个 (二.(八).3) cannot be fewer than "
        "the 路牌二维码 added in 2022 alone (三.(十))",
        "both cannot hold as stated: 三.(十) adds 16000 road-sign QR codes in 2022 (and 667 rural "
        "sign and 21900 house-plate QR codes besides), more than the 14000 of 二.(八).3; they hold "
        "only if 二.(八).3 counts a period without 2022, which it does not say",
    ),
    AtMostCheck(
        "period:road_signs",
        (("qr_road_signs_added", "三.(十)"),),
        (("road_signs_updated", "二.(八).3"),),
        "road signs: 更新设置新的…路牌522个 (二.(八).3) cannot be fewer than the 二维码路牌 added "
        "in 2022 alone (三.(十))",
        "both cannot hold as stated: 三.(十) adds 1918 road signs with a QR code in 2022, more "
        "than the 522 road signs of 二.(八).3; they hold only if 二.(八).3 counts a period "
        "without 2022, which it does not say",
    ),
)

SCOPE_CHECKS = (
    ScopeCheck(
        "scope:community_service_area_per_100_households",
        ("community_service_area_per_100_households", "一.10"),
        ("urban_community_service_area_per_100_households", "三.(四).2"),
        "社区服务用房 per hundred households: the whole city (一.10, under a 城乡 heading) and the "
        "213 urban communities (三.(四).2) are different scopes",
        "the same 34 for the whole city and for its 213 urban communities holds only if the "
        "rural communities also average 34, and the report gives no rural figure: one figure "
        "quoted under two scopes, or a coincidence; the two are kept as two series",
    ),
)


@dataclass(frozen=True)
class LostWordRule:
    """A rule whose web copy lost a character, so that it has two readings: a yearly rise of
    the series, or a total rise since the base. Each reading is worked out; neither decides."""

    check_id: str
    section: str
    quote: str
    minimum_percent: float
    series: tuple[tuple[str, str], ...]  # (series_id, label)
    base_date: str
    stated_in: str  # where the series' figures are stated


@dataclass(frozen=True)
class NameCheck:
    """One figure called by several names: the heading of 一.x, its sentence, and the other
    statements of the same series. Each statement's name is the longest of `terms` it holds."""

    check_id: str
    series_id: str
    terms: tuple[str, ...]
    description: str
    note: str


LOST_WORD_RULES = (
    LostWordRule(
        "lost_word:dibao_rise_7_percent",
        "二.(一).3",
        "城乡低保标准比不低于7%",
        7.0,
        (("dibao_standard_urban", "urban"), ("dibao_standard_rural", "rural")),
        "2020",
        "一.1",
    ),
)

NAME_CHECKS = (
    NameCheck(
        "names:place_name_sign_rate",
        "place_name_sign_rate",
        ("放置率", "设置率", "设置覆盖率"),
        "one name for the 97.9 % of 地名标志: the heading of 一.19, its sentence and 三.(十)",
        "one figure, three measures: 放置 (signs placed) and 设置 (signs set up) differ, and "
        "设置覆盖率 is the coverage of the places that need a sign; the report does not say "
        "which one the 97.9 % measures",
    ),
)


@dataclass(frozen=True)
class QualifiedVerdict:
    """A problem that section 五 (存在问题) admits beside a verdict of section 一 on the same
    subject: not a contradiction in numbers, but a qualification the verdict does not carry."""

    section: str  # 五.三 is the third problem (三是…)
    quote: str
    headlines: tuple[int, ...]
    why: str


@dataclass(frozen=True)
class UnstatedMeasure:
    """A key indicator whose heading names a measure the report never states."""

    headline: int
    heading: str  # the heading of 一.x, verbatim
    measure: str
    why: str


QUALIFIED_VERDICTS = (
    QualifiedVerdict(
        "五.三",
        "城乡低保等社会救助标准在全省处于落后位次",
        (1, 2, 3),
        "the standards said to have completed their target rank low in the province (等社会救助"
        "标准: the 低保 standards and, with them, the 特困 basic and care standards)",
    ),
    QualifiedVerdict(
        "五.四",
        "养老机构“一床难求”与“床位空置”并存",
        (7,),
        "beds hard to get beside empty beds: a share of nursing beds says nothing of whether "
        "the beds are where they are needed",
    ),
    QualifiedVerdict(
        "五.四",
        "社区养老服务网络不健全",
        (8, 9),
        "the community elderly-care network is called incomplete, and embedded community "
        "institutions (社区嵌入式养老机构) lacking, beside the coverage of township institutions "
        "and the community facility standards",
    ),
    QualifiedVerdict(
        "五.五",
        "少数地区公益性公墓未实现全覆盖",
        (16,),
        "some areas have no public cemetery beside a county-level coverage of 100 %: the two "
        "hold together only at different levels (county against township)",
    ),
    QualifiedVerdict(
        "五.六",
        "推动社区社会组织发展、壮大社会工作人才队伍等方面还有很多不足",
        (11, 12),
        "the development of community social organisations and of social-work talent is "
        "called lacking beside verdicts that their numbers met expectations",
    ),
)

UNSTATED_MEASURES = (
    UnstatedMeasure(
        1,
        "低保标准占上年度当地城镇居民人均消费支出比",
        "a ratio of the 低保 standard to the previous year's consumption per head",
        "the report states the standards (元/人·月) and no consumption figure",
    ),
    UnstatedMeasure(
        9,
        "城市社区配套建设养老服务设施达标率",
        "a compliance rate (%)",
        "the report states the area standards, not how many communities meet them",
    ),
    UnstatedMeasure(
        15,
        "婚姻登记“跨省通办”实施率",
        "an implementation rate (%)",
        "the report states when the services began, not a rate",
    ),
)


def section_key(section: str) -> tuple[int, ...]:
    """Sort key for the report's section notation: 前言 < 一.1 < 一.19 < 二.(一).3 < 三.(十)."""
    parts = section.split(".")
    key = [PART_ORDER.get(parts[0], 99)]
    for part in parts[1:]:
        inner = part.strip("()")
        if inner.isdigit():
            key.append(int(inner))
        else:
            key.append(sum(CHINESE_ORDINALS.get(ch, 0) for ch in inner))
    return tuple(key)


def lookup(observations: pd.DataFrame, ref: Ref) -> float | None:
    """The value stated for a series in a section (the latest date if there are several)."""
    series_id, section = ref
    rows = observations[
        (observations["series_id"] == series_id) & (observations["section"] == section)
    ]
    rows = rows.dropna(subset=["value"])
    if rows.empty:
        return None
    return float(rows.sort_values("date")["value"].iloc[-1])


def close(a: float, b: float) -> bool:
    """Equal up to floating-point noise."""
    return math.isclose(a, b, rel_tol=RELATIVE, abs_tol=ROUNDING)


def half_unit_of_last_digit(value: float) -> float:
    """Rounding tolerance of a stated figure: 62.5 -> 0.05, 75 -> 0.5, 77.18 -> 0.005."""
    text = repr(float(value))
    decimals = len(text.split(".")[1].rstrip("0")) if "." in text else 0
    return 0.5 * 10.0**-decimals


def check_row(
    check_id: str,
    section: str,
    description: str,
    expected: object,
    found: object,
    passed: bool | None,
    note: str = "",
) -> dict[str, object]:
    """One row of the audit table."""
    return {
        "check_id": check_id,
        "section": section,
        "description": description,
        "expected": expected,
        "found": found,
        "passed": None if passed is None else bool(passed),
        "note": note,
    }


def sections_of(refs: Iterable[Ref]) -> str:
    """The distinct sections of some references, in report order, joined with '; '."""
    return "; ".join(sorted({section for _, section in refs}, key=section_key))


def missing_row(check_id: str, refs: Iterable[Ref], description: str) -> dict[str, object]:
    """A check that cannot be computed because a value it needs is absent."""
    refs = tuple(refs)
    names = ", ".join(f"{sid} ({section})" for sid, section in refs)
    return check_row(
        check_id,
        sections_of(refs),
        description,
        NO_DATA,
        NO_DATA,
        None,
        f"cannot be verified: no value for {names}",
    )


def sum_checks(observations: pd.DataFrame, checks: Iterable[SumCheck]) -> list[dict[str, object]]:
    """Stated totals against the sum of their stated parts."""
    rows = []
    for check in checks:
        refs = (check.total, *check.parts)
        values = [lookup(observations, ref) for ref in refs]
        if any(value is None for value in values):
            rows.append(missing_row(check.check_id, refs, check.description))
            continue
        total, parts = values[0], values[1:]
        found = float(sum(parts))
        passed = close(total, found)
        note = (
            ""
            if passed
            else f"the parts add up to {found:g}, not {total:g}: off by {total - found:g}"
        )
        rows.append(
            check_row(
                check.check_id, sections_of(refs), check.description, total, found, passed, note
            )
        )
    return rows


def ratio_checks(
    observations: pd.DataFrame, checks: Iterable[RatioCheck]
) -> list[dict[str, object]]:
    """Stated percentages against 100 x numerator / denominator, within the rounding of the
    stated figure (half a unit of its last digit)."""
    rows = []
    for check in checks:
        refs = (check.rate, check.numerator, check.denominator)
        rate, numerator, denominator = (lookup(observations, ref) for ref in refs)
        if rate is None or numerator is None or not denominator:
            rows.append(missing_row(check.check_id, refs, check.description))
            continue
        found = 100.0 * numerator / denominator
        tolerance = half_unit_of_last_digit(rate)
        passed = abs(found - rate) <= tolerance + ROUNDING
        note = f"{numerator:g} / {denominator:g} x 100 = {found:.4g}; tolerance {tolerance:g}"
        rows.append(
            check_row(
                check.check_id, sections_of(refs), check.description, rate, found, passed, note
            )
        )
    return rows


def at_most_checks(
    observations: pd.DataFrame, checks: Iterable[AtMostCheck]
) -> list[dict[str, object]]:
    """Parts that must not exceed their whole: expected is the upper limit, found the part."""
    rows = []
    for check in checks:
        refs = (*check.smaller, *check.larger)
        smaller = [lookup(observations, ref) for ref in check.smaller]
        larger = [lookup(observations, ref) for ref in check.larger]
        if None in smaller or None in larger:
            rows.append(missing_row(check.check_id, refs, check.description))
            continue
        limit = float(sum(value for value in larger if value is not None))
        found = float(sum(value for value in smaller if value is not None))
        passed = found <= limit + ROUNDING
        note = f"{found:g} <= {limit:g}" if passed else f"{found:g} exceeds {limit:g}"
        if check.note:
            note = f"{note}; {check.note}"
        rows.append(
            check_row(
                check.check_id, sections_of(refs), check.description, limit, found, passed, note
            )
        )
    return rows


def scope_checks(
    observations: pd.DataFrame, checks: Iterable[ScopeCheck]
) -> list[dict[str, object]]:
    """One quantity for two scopes: expected is the wider scope's figure, found the narrower
    one's. Neither passes nor fails: the report does not give what would decide it."""
    rows = []
    for check in checks:
        refs = (check.wider, check.narrower)
        wider, narrower = (lookup(observations, ref) for ref in refs)
        if wider is None or narrower is None:
            rows.append(missing_row(check.check_id, refs, check.description))
            continue
        same = "the same figure" if close(wider, narrower) else "different figures"
        rows.append(
            check_row(
                check.check_id,
                sections_of(refs),
                check.description,
                wider,
                narrower,
                None,
                f"cannot be verified: {same} for two scopes; {check.note}",
            )
        )
    return rows


def percent(value: float) -> str:
    return f"{100 * value:.1f} %"


def lost_word_checks(
    observations: pd.DataFrame, rules: Iterable[LostWordRule]
) -> list[dict[str, object]]:
    """A damaged rule, both readings worked out on the report's own figures: cannot be
    verified, since the lost character decides which reading is meant."""
    rows = []
    for rule in rules:
        yearly, total = [], []
        verdicts = {"yearly": True, "total": True}
        missing = []
        for series_id, area in rule.series:
            stated = observations[
                (observations["series_id"] == series_id)
                & (observations["section"] == rule.stated_in)
                & (observations["source"] == REPORT_SOURCE)
            ].dropna(subset=["value"])
            base = stated[stated["date"].astype(str) == rule.base_date]
            later = stated[stated["date"].astype(str) > rule.base_date].sort_values("date")
            if base.empty or later.empty:
                missing.append((series_id, rule.stated_in))
                continue
            y0, latest = float(base["value"].iloc[0]), later.iloc[-1]
            years = fractional_year(str(latest["date"])) - fractional_year(rule.base_date)
            rise = float(latest["value"]) / y0 - 1
            per_year = (1 + rise) ** (1 / years) - 1
            yearly.append(f"{percent(per_year)} ({area})")
            total.append(f"{percent(rise)} ({area})")
            verdicts["yearly"] &= 100 * per_year >= rule.minimum_percent
            verdicts["total"] &= 100 * rise >= rule.minimum_percent
        description = (
            f"{rule.quote} ({rule.section}): a character is lost before 不低于; the rule is "
            "read both ways on the 低保 standards of " + rule.stated_in
        )
        if missing:
            rows.append(missing_row(rule.check_id, missing, description))
            continue
        outcome = {
            reading: "would pass" if ok else "would fail" for reading, ok in verdicts.items()
        }

        rows.append(
            check_row(
                rule.check_id,
                f"{rule.stated_in}; {rule.section}",
                description,
                f">= {rule.minimum_percent:g} %",
                f"yearly {', '.join(yearly)}; since {rule.base_date} {', '.join(total)}",
                None,
                f"cannot be verified: the rule cannot be read. As a yearly rise it "
                f"{outcome['yearly']}; as a total rise since {rule.base_date} it "
                f"{outcome['total']}",
            )
        )
    return rows


def longest_term(text: str, terms: Iterable[str]) -> str | None:
    found = [term for term in terms if term in text]
    return max(found, key=len) if found else None


def name_checks(observations: pd.DataFrame, checks: Iterable[NameCheck]) -> list[dict[str, object]]:
    """The name a figure goes by in each statement: the heading's name is expected, every
    other statement's name is found; different names fail."""
    rows = []
    for check in checks:
        stated = observations[
            (observations["series_id"] == check.series_id)
            & (observations["source"] == REPORT_SOURCE)
        ]
        stated = stated.assign(order=stated["section"].map(section_key)).sort_values("order")
        heading, others = None, []
        for statement in stated.itertuples(index=False):
            quote = str(statement.quote)
            if statement.section.startswith("一.") and HEADING_SEPARATOR in quote:
                head, sentence = quote.split(HEADING_SEPARATOR, 1)
                heading = longest_term(head, check.terms)
                others.append(
                    (f"{statement.section} sentence", longest_term(sentence, check.terms))
                )
            else:
                others.append((statement.section, longest_term(quote, check.terms)))
        sections = "; ".join(dict.fromkeys(stated["section"]))
        if heading is None:
            rows.append(
                check_row(
                    check.check_id,
                    sections,
                    check.description,
                    NO_DATA,
                    NO_DATA,
                    None,
                    f"cannot be verified: no heading of {check.series_id} names a term",
                )
            )
            continue
        found = "; ".join(f"{where}: {name}" for where, name in others)
        passed = all(name == heading for _, name in others)
        rows.append(
            check_row(
                check.check_id,
                sections,
                check.description,
                heading,
                found,
                passed,
                "" if passed else check.note,
            )
        )
    return rows


def show(value: object) -> str:
    """A figure for a note: 1498.0 -> '1498', '20-30' unchanged."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def stated_value(row: pd.Series) -> object:
    """A row's figure: the value, or 'low-high' for a range."""
    if pd.notna(row["value"]):
        return float(row["value"])
    if pd.notna(row["value_low"]) and pd.notna(row["value_high"]):
        return f"{row['value_low']:g}-{row['value_high']:g}"
    return None


def repeat_checks(observations: pd.DataFrame, series: pd.DataFrame) -> list[dict[str, object]]:
    """A figure the report states more than once for the same series and year must agree.

    Only the report's own rows are compared (outside figures are separate statements). Each
    later statement is compared with the first one in report order."""
    kinds = series.set_index("series_id")["kind"].to_dict()
    names = series.set_index("series_id")["name_zh"].to_dict()
    report = observations[observations["source"] == REPORT_SOURCE].copy()
    report = report[report["series_id"].map(kinds) != "date"]
    report["year"] = report["date"].astype(str).str[:4]
    rows = []
    for (series_id, year), group in report.groupby(["series_id", "year"], sort=True):
        if len(group) < 2:
            continue
        group = group.assign(order=group["section"].map(section_key)).sort_values("order")
        first = group.iloc[0]
        expected = stated_value(first)
        for _, later in group.iloc[1:].iterrows():
            found = stated_value(later)
            passed = expected == found
            note = f"first stated in {first['section']}"
            if not passed:
                note += (
                    f": {first['section']} says {show(expected)}, "
                    f"{later['section']} says {show(found)}; the report contradicts itself"
                )
            rows.append(
                check_row(
                    f"repeat:{series_id}:{year}:{later['section']}",
                    f"{first['section']}; {later['section']}",
                    f"the same figure stated twice agrees: {names.get(series_id, series_id)} "
                    f"({series_id}, {year})",
                    expected,
                    found,
                    passed,
                    note,
                )
            )
    return rows


def compare(left: float, comparator: str, right: float, strict: bool = False) -> bool:
    """left (comparator) right, with a tolerance for floating-point noise."""
    tolerance = RELATIVE * max(1.0, abs(right))
    if comparator == ">=":
        return left > right + tolerance if strict else left >= right - tolerance
    if comparator == "<=":
        return left < right - tolerance if strict else left <= right + tolerance
    if comparator == "==":
        return abs(left - right) <= tolerance
    raise ValueError(f"unknown comparator {comparator!r}")


def relation_checks(
    observations: pd.DataFrame, relations: pd.DataFrame | None
) -> list[dict[str, object]]:
    """Rules stated as relations (left comparator factor x right), checked at every date for
    which both sides have a value. When the quote says 高于 (strictly higher) and the relation
    is >=, the strict claim is checked as well."""
    if relations is None or relations.empty:
        return []
    valued = observations.dropna(subset=["value"])
    rows = []
    for relation in relations.itertuples(index=False):
        factor = float(relation.factor)
        description = (
            f"{relation.left_series_id} {relation.comparator} {factor:g} x "
            f"{relation.right_series_id} (rule stated in the report: {relation.quote})"
        )
        left = valued[valued["series_id"] == relation.left_series_id]
        right = valued[valued["series_id"] == relation.right_series_id]
        if left.empty or right.empty:
            missing = [
                series_id
                for series_id, frame in (
                    (relation.left_series_id, left),
                    (relation.right_series_id, right),
                )
                if frame.empty
            ]
            rows.append(
                check_row(
                    f"relation:{relation.relation_id}",
                    relation.section,
                    description,
                    NO_DATA,
                    NO_DATA,
                    None,
                    f"cannot be verified from the report: no value for {', '.join(missing)}",
                )
            )
            continue
        strict_claim = STRICT_WORDS in str(relation.quote) and relation.comparator == ">="
        for date in sorted(set(left["date"]) & set(right["date"])):
            for left_value in sorted(set(left.loc[left["date"] == date, "value"])):
                for right_value in sorted(set(right.loc[right["date"] == date, "value"])):
                    bound = factor * right_value
                    passed = compare(left_value, relation.comparator, bound)
                    rows.append(
                        check_row(
                            f"relation:{relation.relation_id}:{date}",
                            relation.section,
                            description,
                            bound,
                            left_value,
                            passed,
                            f"{date}: {left_value:g} {relation.comparator} {factor:g} x "
                            f"{right_value:g} = {bound:g}",
                        )
                    )
                    if strict_claim:
                        strict = compare(left_value, ">=", bound, strict=True)
                        note = f"{date}: {left_value:g} > {bound:g}?"
                        if not strict and passed:
                            note += " exactly at the bound: meets 不低于 but not the 高于 claimed"
                        rows.append(
                            check_row(
                                f"relation_strict:{relation.relation_id}:{date}",
                                relation.section,
                                f"the report's words 高于 (strictly higher): {description}",
                                bound,
                                left_value,
                                strict,
                                note,
                            )
                        )
    return rows


def increase_checks(observations: pd.DataFrame) -> list[dict[str, object]]:
    """Where the report says a figure was 提高到 (raised to) a new value, the latest stated
    value must exceed the earliest."""
    report = observations[
        (observations["source"] == REPORT_SOURCE)
        & observations["quote"].astype(str).str.contains(INCREASE_WORDS, regex=False)
    ].dropna(subset=["value"])
    rows = []
    for series_id, group in report.groupby("series_id", sort=True):
        if group["date"].nunique() < 2:
            continue
        group = group.sort_values("date")
        earliest, latest = group.iloc[0], group.iloc[-1]
        passed = latest["value"] > earliest["value"]
        rows.append(
            check_row(
                f"increase:{series_id}",
                earliest["section"],
                f"提高到 (raised to): {series_id} rose from {earliest['date']} to {latest['date']}",
                f"> {earliest['value']:g}",
                float(latest["value"]),
                passed,
                f"{earliest['date']}: {earliest['value']:g}, {latest['date']}: {latest['value']:g}",
            )
        )
    return rows


def headline_verdicts(series: pd.DataFrame) -> pd.DataFrame:
    """One row per key indicator (headline 1-19): its distinct verdicts as a tuple."""
    headlines = pd.to_numeric(series["headline"].replace("", None), errors="coerce")
    keyed = series.assign(headline=headlines).dropna(subset=["headline"])
    keyed = keyed.assign(headline=keyed["headline"].astype(int))
    return (
        keyed.groupby("headline")["report_verdict"]
        .agg(lambda verdicts: tuple(sorted(set(verdicts.dropna()) - {""})))
        .rename("verdicts")
        .reset_index()
    )


def headline_series(series: pd.DataFrame) -> pd.DataFrame:
    """The series of the key indicators, with the headline as an int."""
    headlines = pd.to_numeric(series["headline"].replace("", None), errors="coerce")
    keyed = series.assign(headline=headlines).dropna(subset=["headline"])
    return keyed.assign(headline=keyed["headline"].astype(int))


def qualified_verdict_checks(
    series: pd.DataFrame, qualified: Iterable[QualifiedVerdict]
) -> list[dict[str, object]]:
    """Each pair of a problem admitted in section 五 and the verdict of 一 it qualifies."""
    keyed = headline_series(series)
    rows = []
    for item in qualified:
        for headline in item.headlines:
            own = keyed[keyed["headline"] == headline]
            verdicts = sorted(set(own["report_verdict"]) - {""})
            names = "; ".join(own["name_zh"])
            rows.append(
                check_row(
                    f"qualified:{item.section}:一.{headline}",
                    f"一.{headline}; {item.section}",
                    f"a problem admitted in section 五 beside the verdict of 一.{headline} "
                    f"({names})",
                    "; ".join(verdicts) or NO_DATA,
                    item.quote,
                    None,
                    f"cannot be verified: qualifies the verdict, which does not mention it: "
                    f"{item.why}",
                )
            )
    return rows


def unstated_measure_checks(
    observations: pd.DataFrame, series: pd.DataFrame, measures: Iterable[UnstatedMeasure]
) -> list[dict[str, object]]:
    """Key indicators called complete although their own measure is never stated: what the
    report does state under the heading is shown as found."""
    keyed = headline_series(series)
    rows = []
    for item in measures:
        section = f"一.{item.headline}"
        own = keyed[keyed["headline"] == item.headline]
        verdicts = "; ".join(sorted(set(own["report_verdict"]) - {""})) or "no verdict"
        stated = observations[
            observations["series_id"].isin(own["series_id"])
            & (observations["section"] == section)
            & (observations["source"] == REPORT_SOURCE)
        ]
        names = own.set_index("series_id")["name_zh"]
        found = []
        for series_id, group in stated.groupby("series_id", sort=False):
            latest = group.sort_values("date").iloc[-1]
            figure = stated_value(latest)
            what = f"{show(figure)}" if figure is not None else "a date"
            found.append(f"{names[series_id]}: {what} ({latest['date']})")
        rows.append(
            check_row(
                f"unstated_measure:{section}",
                section,
                f"key indicator {item.headline} ({item.heading}) is {item.measure}: is it stated?",
                item.measure,
                "; ".join(found) or NO_DATA,
                None,
                f"cannot be verified: called {verdicts} although its measure is never stated; "
                f"{item.why}",
            )
        )
    return rows


def verdict_bound_checks(
    observations: pd.DataFrame, series: pd.DataFrame, targets: pd.DataFrame | None
) -> list[dict[str, object]]:
    """Where a target is published, does it lie within the bound the verdict 已完成目标任务
    implies (the figure meets it)? Without a published target there is nothing to check: the
    bound itself is shown by the overview, labelled as implied, never as a target."""
    bounds = implied_bounds(observations, series, targets)
    bounds = bounds[bounds["consistent"] != "no published target"]
    return [
        check_row(
            f"verdict_bound:{row.series_id}",
            row.section,
            f"{row.verdict} on {row.figure:g} ({row.name_zh}) implies {row.implied}: does the "
            "published target agree?",
            row.implied,
            row.published_target,
            row.consistent == "yes",
            f"{row.figure:g} meets the published {row.published_target}"
            if row.consistent == "yes"
            else f"{row.figure:g} does not meet the published {row.published_target}: the "
            "verdict contradicts the target",
        )
        for row in bounds.itertuples(index=False)
    ]


def verdict_checks(observations: pd.DataFrame, series: pd.DataFrame) -> list[dict[str, object]]:
    """The verdicts of section 一 (series.csv) against the preamble's counts: all 19 met
    expectations, 10 completed ahead of schedule."""
    table = headline_verdicts(series)
    single = table["verdicts"].map(len) == 1
    verdict = table["verdicts"].map(lambda v: v[0] if len(v) == 1 else None)
    counted = {
        KEY_INDICATORS_TOTAL: (
            float(len(table)),
            "key indicators in section 一 against 19项重点指标 in the preamble",
        ),
        KEY_INDICATORS_MET: (
            float(verdict.isin(VERDICTS_MEETING_EXPECTATIONS).sum()),
            "key indicators whose verdict is 已完成目标任务, 达到预期目标 or 超出预期目标 against "
            "均实现预期目标 (all met expectations) in the preamble",
        ),
        KEY_INDICATORS_COMPLETED_EARLY: (
            float((verdict == COMPLETED).sum()),
            "key indicators whose verdict is 已完成目标任务 (target completed) against "
            "其中10项指标已经提前完成目标任务 in the preamble",
        ),
    }
    rows = [
        check_row(
            "verdict:one_per_key_indicator",
            "一",
            "every key indicator has exactly one verdict across its series",
            float(len(table)),
            float(single.sum()),
            bool(single.all()),
            "",
        )
    ]
    for series_id, (found, description) in counted.items():
        expected = lookup(observations, (series_id, PREAMBLE))
        if expected is None:
            rows.append(missing_row(f"verdict:{series_id}", [(series_id, PREAMBLE)], description))
            continue
        passed = close(expected, found)
        note = ""
        if series_id == KEY_INDICATORS_COMPLETED_EARLY:
            headlines = table.loc[verdict == COMPLETED, "headline"].tolist()
            note = f"已完成目标任务 is the verdict of headlines {', '.join(map(str, headlines))}"
        rows.append(
            check_row(
                f"verdict:{series_id}",
                f"{PREAMBLE}; 一",
                description,
                expected,
                found,
                passed,
                note,
            )
        )
    return rows


def headline_sentence_checks(
    observations: pd.DataFrame, series: pd.DataFrame
) -> list[dict[str, object]]:
    """Where a quote holds a key indicator's heading and its sentence ("18、name:sentence"), the
    sentence must not name a different key indicator instead of its own."""
    headlines = pd.to_numeric(series["headline"].replace("", None), errors="coerce")
    keyed = series.assign(headline=headlines).dropna(subset=["headline"])
    own_name = keyed.set_index("series_id")["name_zh"].to_dict()
    all_names = set(keyed["name_zh"])
    rows = []
    candidates = observations[
        observations["series_id"].isin(own_name)
        & observations["section"].astype(str).str.startswith("一.")
        & observations["quote"].astype(str).str.contains(HEADING_SEPARATOR, regex=False)
    ]
    for row in candidates.itertuples(index=False):
        sentence = str(row.quote).split(HEADING_SEPARATOR, 1)[1]
        own = own_name[row.series_id]
        others = sorted(name for name in all_names - {own} if name in sentence)
        if own in sentence:
            found, passed = own, True
        elif others:
            found, passed = "; ".join(others), False
        else:
            found, passed = "(no key indicator named)", True
        note = (
            ""
            if passed
            else (
                f"the sentence under {own} names {found} instead: a copy error in the report, "
                f"so the figure for {own} is not actually stated"
            )
        )
        rows.append(
            check_row(
                f"headline_sentence:{row.section}",
                row.section,
                f"the sentence under key indicator {row.section} ({own}) names that indicator, "
                "not another",
                own,
                found,
                passed,
                note,
            )
        )
    return rows


def run_audit(
    observations: pd.DataFrame,
    series: pd.DataFrame,
    relations: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every arithmetic and consistency check the report allows, one row per check.

    observations: the observations.csv columns, value/value_low/value_high as floats (NaN when
    empty). series: the series.csv columns. relations: relations.csv (factor numeric or text).
    targets: targets.csv (value numeric), for the verdicts against published targets.
    Returns columns check_id, section, description, expected, found, passed (nullable
    boolean: <NA> when the check cannot be computed for lack of data), note."""
    rows = (
        sum_checks(observations, SUM_CHECKS)
        + ratio_checks(observations, RATIO_CHECKS)
        + at_most_checks(observations, AT_MOST_CHECKS)
        + at_most_checks(observations, PERIOD_CHECKS)
        + scope_checks(observations, SCOPE_CHECKS)
        + lost_word_checks(observations, LOST_WORD_RULES)
        + name_checks(observations, NAME_CHECKS)
        + repeat_checks(observations, series)
        + relation_checks(observations, relations)
        + increase_checks(observations)
        + verdict_checks(observations, series)
        + headline_sentence_checks(observations, series)
        + qualified_verdict_checks(series, QUALIFIED_VERDICTS)
        + unstated_measure_checks(observations, series, UNSTATED_MEASURES)
        + verdict_bound_checks(observations, series, targets)
    )
    result = pd.DataFrame(rows, columns=COLUMNS)
    result["expected"] = result["expected"].astype(object)
    result["found"] = result["found"].astype(object)
    result["passed"] = result["passed"].astype("boolean")
    return result
