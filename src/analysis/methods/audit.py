"""The report checked against itself: sums, ratios, repeated figures, stated rules and verdicts.

Every check reads its numbers from the observations frame by series_id and section; the module
holds only which series belong together, never the report's figures. A failed check is a finding
about the report (a sum that does not add up, two statements of one figure that disagree, a
verdict count that contradicts the preamble) and is reported, never dropped.

A check whose inputs are missing (for example a rule against a figure the report never gives)
is reported with found = "no data" and passed = <NA> (neither passed nor failed); its note
says why it could not be verified.

Each row is written in both languages from the same values: the English columns (description,
expected, found, note) and, after them, their Chinese counterparts (description_zh,
expected_zh, found_zh, note_zh), which name series by their name_zh and write figures with
their units as the report does (707元/人·月, 4500万元, 62.5%). series_ids names the series a
check concerns, ";"-joined, so that a chapter can show the checks of its domain; the checks of
the report as a whole (the verdict counts) name none.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.core.dates import fractional_year
from analysis.core.language import Text
from analysis.core.qualifiers import qualified
from analysis.core.report import COMPLETED, PREAMBLE, REPORT_SOURCE, VERDICTS, section_key
from analysis.core.tolerance import RELATIVE, ROUNDING
from analysis.core.units import in_english, zh_number, zh_quantity_parts
from analysis.methods.verdicts import implied_bounds, published_target

ENGLISH_COLUMNS = ["check_id", "section", "description", "expected", "found", "passed", "note"]
CHINESE_COLUMNS = ["description_zh", "expected_zh", "found_zh", "note_zh"]
SERIES_IDS = "series_ids"
SERIES_SEPARATOR = ";"
COLUMNS = [*ENGLISH_COLUMNS, *CHINESE_COLUMNS, SERIES_IDS]
NO_DATA = "no data"
NO_NOTE = Text("", "")

VERDICTS_MEETING_EXPECTATIONS = tuple(VERDICTS)  # each of the report's verdicts says so
KEY_INDICATORS_TOTAL = "key_indicators_total"
KEY_INDICATORS_MET = "key_indicators_met"
KEY_INDICATORS_COMPLETED_EARLY = "key_indicators_completed_early"
INCREASE_WORDS = "提高到"  # "raised to": the report claims the later value is higher
STRICT_WORDS = "高于"  # "higher than": a strict inequality, unlike 不低于 (not lower than)


def claims_higher_than(quote: object, comparator: str) -> bool:
    """Whether the report's words state a rule recorded as >= as strictly higher (高于): the
    audit checks those words as well as the rule."""
    return STRICT_WORDS in str(quote) and comparator == ">="


HEADING_SEPARATOR = ":"


# How the Chinese texts write the comparators of the data: as a sign beside a figure, in words
# in a sentence.
ZH_SIGNS = {">=": "≥", "<=": "≤", "==": "="}
ZH_COMPARATOR_WORDS = {">=": "不低于", "<=": "不高于", "==": "等于"}

Ref = tuple[str, str]  # (series_id, section)


@dataclass(frozen=True)
class Vocabulary:
    """What the Chinese texts take from series.csv: each series' name_zh and unit. A series it
    does not know keeps its id and has no unit (only small test frames have such series)."""

    names: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, series: pd.DataFrame | None) -> Vocabulary:
        if series is None or series.empty:
            return cls()
        indexed = series.set_index("series_id")
        units = indexed["unit"] if "unit" in indexed else pd.Series("", index=indexed.index)
        return cls(indexed["name_zh"].astype(str).to_dict(), units.fillna("").astype(str).to_dict())

    def name(self, series_id: str) -> str:
        return self.names.get(series_id, series_id)

    def unit(self, series_id: str) -> str:
        return self.units.get(series_id, "")


NO_VOCABULARY = Vocabulary()


@dataclass(frozen=True)
class Cell:
    """An expected or found value: `en` is what the English column holds (a number or an
    English text, as before), `zh` how the Chinese column writes it."""

    en: object
    zh: str


def zh_quantity(value: float, unit: str = "", qualifier: str = "") -> str:
    """A figure with its unit as the report writes it: 707元/人·月, 4500万元, 62.5%, 39万平方米
    (money in 万 or 亿 from 1万元, other quantities from 10万, as the book's tables), with the
    report's qualifier (1000余名)."""
    number, words = zh_quantity_parts(value, unit)
    return qualified(number, words, qualifier, "zh")


def en_quantity(value: float, qualifier: str = "") -> str:
    """A figure in the English notes: 1000, or with the report's qualifier, over 1000."""
    return qualified(f"{value:g}", "", qualifier, "en")


def zh_date(date: object) -> str:
    """A date of the data in Chinese: 2023 -> 2023年, 2023-06 -> 2023年6月."""
    parts = str(date).split("-")
    return f"{parts[0]}年" + "".join(
        f"{int(part)}{word}" for part, word in zip(parts[1:], "月日", strict=False)
    )


def amount(value: float, unit: str = "") -> Cell:
    """A computed or stated figure: the number in English, the figure with its unit in Chinese."""
    return Cell(float(value), zh_quantity(value, unit))


def words(text: Text) -> Cell:
    """A value that is a text, written in each language."""
    return Cell(text.en, text.zh)


NO_DATA_CELL = Cell(NO_DATA, "无数据")


@dataclass(frozen=True)
class SumCheck:
    """Parts that the report says make up a stated total."""

    check_id: str
    total: Ref
    parts: tuple[Ref, ...]
    description: Text


@dataclass(frozen=True)
class RatioCheck:
    """A stated percentage that should equal 100 x numerator / denominator."""

    check_id: str
    rate: Ref
    numerator: Ref
    denominator: Ref
    description: Text


@dataclass(frozen=True)
class AtMostCheck:
    """Quantities whose sum cannot exceed the sum of others (a part within its whole)."""

    check_id: str
    smaller: tuple[Ref, ...]
    larger: tuple[Ref, ...]
    description: Text
    note: Text = NO_NOTE


@dataclass(frozen=True)
class ScopeCheck:
    """One quantity stated for two scopes (the whole city and a part of it): the figures need
    not agree, and when they are equal the report gives no way to tell whether both hold."""

    check_id: str
    wider: Ref
    narrower: Ref
    description: Text
    note: Text


SUM_CHECKS = (
    SumCheck(
        "sum:vagrancy_aid",
        ("vagrancy_aid_total", "二.(七).2"),
        (("vagrancy_aid_in_station", "二.(七).2"), ("vagrancy_aid_outside_station", "二.(七).2")),
        Text(
            zh="2021年以来救助流浪乞讨人员：站内救助与站外临时救助人次之和应等于救助总人次",
            en="vagrancy aid since 2021: aid in the station (站内救助) + temporary aid outside "
            "it (站外临时救助) = all aid to vagrants and beggars (救助流浪乞讨人员), in "
            "person-times",
        ),
    ),
    SumCheck(
        "sum:party_branches",
        ("party_branches", "二.(五).1"),
        (("party_branches_single", "二.(五).1"), ("party_branches_joint", "二.(五).1")),
        Text(
            zh="社会组织综合党委下设党支部：单独组建与联合组建的党支部数之和应等于党支部总数",
            en="party branches: formed alone (单独组建) + formed jointly (联合组建) = all "
            "branches (党支部)",
        ),
    ),
    SumCheck(
        "sum:assistive_rental_clients",
        ("assistive_rental_clients", "三.(九)"),
        (
            ("assistive_rental_clients_dibao", "三.(九)"),
            ("assistive_rental_clients_disability_subsidies", "三.(九)"),
        ),
        Text(
            zh="康复辅具租赁服务：低保对象与享受两项补贴残疾人之和应等于签约租赁服务人数",
            en="assistive-device rental clients: dibao (低保) recipients + disabled people with "
            "the two subsidies (享受两项补贴残疾人) = all contracted clients (签约租赁服务)",
        ),
    ),
    SumCheck(
        "sum:mental_health_facility_funding",
        ("mental_health_facility_investment_total", "三.(八)"),
        (
            ("mental_health_facility_investment_central", "三.(八)"),
            ("mental_health_facility_investment_local", "三.(八)"),
        ),
        Text(
            zh="精神卫生福利设施：中央预算内投资与地方政府配套资金之和应等于计划总投资",
            en="mental-health welfare facility: central budget investment (中央预算内投资) + "
            "local matching funds (地方政府配套资金) = planned total (计划总投资)",
        ),
    ),
    SumCheck(
        "sum:trade_associations",
        ("trade_associations_total", "三.(五).1"),
        (
            ("trade_associations_direct_registration", "三.(五).1"),
            ("trade_associations_not_decoupled", "三.(五).1"),
            ("trade_associations_decoupled", "三.(五).1"),
        ),
        Text(
            zh="行业协会商会：直接登记、不脱钩、已脱钩三类之和应等于行业协会商会总数",
            en="trade associations: registered directly (直接登记) + not decoupled from "
            "government (不脱钩) + decoupled (已脱钩) = all trade associations and chambers "
            "(行业协会商会)",
        ),
    ),
)

RATIO_CHECKS = (
    RatioCheck(
        "ratio:juvenile_protection_station_coverage",
        ("juvenile_protection_station_coverage", "一.6"),
        ("juvenile_protection_station_count", "一.6"),
        ("township_count", "二.(二).2"),
        Text(
            zh="未成年人保护工作站覆盖率应等于已建工作站数占乡镇(街道)总数的百分比",
            en="coverage of juvenile protection stations (未成年人保护工作站覆盖率) = stations "
            "/ townships and subdistricts (乡镇(街道)) x 100",
        ),
    ),
    RatioCheck(
        "ratio:party_branch_formation_rate",
        ("party_branch_formation_rate", "二.(五).1"),
        ("social_orgs_with_party_branch", "二.(五).1"),
        ("party_committee_social_orgs", "二.(五).1"),
        Text(
            zh="党组织组建率应等于党支部覆盖的社会组织数占综合党委所管社会组织数的百分比",
            en="party branch formation rate (党组织组建率) = organisations covered by a branch "
            "/ organisations under the committee x 100",
        ),
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
        Text(
            zh="农村社区社会组织（备案登记）数不应超过全部社区社会组织数（注册登记与备案之和）",
            en="rural community social organisations (农村社区社会组织, filed: 备案登记) "
            "cannot exceed all community social organisations, registered (注册登记) + filed "
            "(备案)",
        ),
        Text(
            zh="农村社区社会组织是全部社区社会组织的一部分；报告未给出城市社区社会组织数，"
            "无法核对两者相加是否相等",
            en="the rural figure is a part of the whole; the report gives no urban figure, so no "
            "equality can be checked",
        ),
    ),
    AtMostCheck(
        "within:trade_associations_city_level",
        (("trade_associations_city_level", "三.(五).1"),),
        (("trade_associations_total", "三.(五).1"),),
        Text(
            zh="市级行业协会商会数不应超过行业协会商会总数",
            en="city-level (市级) trade associations cannot exceed all trade associations and "
            "chambers (行业协会商会)",
        ),
    ),
    AtMostCheck(
        "within:urban_elderly_facility_area_added",
        (("urban_community_elderly_facility_area_added", "三.(三).1"),),
        (("urban_community_elderly_facility_area", "三.(三).1"),),
        Text(
            zh="城市社区养老服务设施配建面积：2021年以来新增的面积不应超过配建总面积",
            en="area of elderly-care facilities built with urban communities (城市社区养老服务"
            "设施配建面积): the area added since 2021 cannot exceed the total",
        ),
    ),
    AtMostCheck(
        "within:party_members_new",
        (("party_members_new", "二.(五).1"),),
        (("party_members_recruited_cumulative", "二.(五).1"),),
        Text(
            zh="2023年新发展党员数不应超过自综合党委成立以来共发展党员数",
            en="party members recruited in 2023 (2023年新发展党员) cannot exceed those recruited "
            "since the committee was founded (自综合党委成立以来共发展党员)",
        ),
    ),
    AtMostCheck(
        "within:party_members_recruited",
        (("party_members_recruited_cumulative", "二.(五).1"),),
        (("party_members_total", "二.(五).1"),),
        Text(
            zh="自综合党委成立以来共发展党员数不应超过综合党委所辖党员总数",
            en="party members (党员) recruited since the committee was founded cannot exceed "
            "all the members it oversees (所辖党员)",
        ),
    ),
    AtMostCheck(
        "within:townships_have_child_supervisors",
        (("township_count", "二.(二).2"),),
        (("child_supervisor_count", "二.(二).2"),),
        Text(
            zh="全市112个乡镇(街道)“全部设立了儿童保护督导员”：儿童督导员人数应不少于乡镇(街道)数",
            en="every one of the 112 townships and subdistricts has a child protection "
            "supervisor (乡镇(街道)全部设立了儿童保护督导员): needs at least one supervisor "
            "(儿童督导员) per township",
        ),
    ),
    AtMostCheck(
        "within:assistive_rental_over_a_thousand",
        (("assistive_device_rental_disabled_users", "二.(七).1"),),
        (("assistive_rental_clients", "三.(九)"),),
        Text(
            zh="二.(七).1称为“全市千余名残疾人”提供康复器具租赁服务：三.(九)所列签约租赁"
            "服务人数应不少于1000人",
            en="over a thousand disabled people (千余名残疾人) rented assistive devices "
            "(二.(七).1): the contracted rental clients (签约租赁服务) of 三.(九) should be at "
            "least 1000",
        ),
        Text(
            zh="签约租赁服务对象中，写明为享受两项补贴残疾人的只有945人，另有59人为低保对象",
            en="of the clients, only 945 are named as disabled people with the two subsidies; 59 "
            "are 低保 recipients",
        ),
    ),
    AtMostCheck(
        "within:assistive_rental_disabled_users",
        (("assistive_device_rental_disabled_users", "二.(七).1"),),
        (("assistive_rental_clients_disability_subsidies", "三.(九)"),),
        Text(
            zh="二.(七).1所称“千余名残疾人”租用康复器具，对照三.(九)租赁服务对象中的"
            "“享受两项补贴残疾人945人”",
            en="over a thousand disabled people (千余名残疾人) rented assistive devices "
            "(二.(七).1), against the 945 disabled people with the two subsidies "
            "(享受两项补贴残疾人945人) among the rental clients of 三.(九)",
        ),
        Text(
            zh="“千余名”残疾人与945名残疾人服务对象不能同时成立；只有59名低保对象中至少56人"
            "也是残疾人，两处说法才能相符，而报告并未这样说明",
            en="more than a thousand disabled users cannot be 945 disabled clients as stated; "
            "both hold only if at least 56 of the 59 低保 clients are disabled too, which the "
            "report does not say",
        ),
    ),
    AtMostCheck(
        "within:assistive_rental_volume",
        (("assistive_rental_clients", "三.(九)"),),
        (("assistive_rental_service_volume", "三.(九)"),),
        Text(
            zh="康复辅具租赁服务量（人次）应不少于签约服务人数",
            en="the volume of service (服务量, person-times) should be at least the number of "
            "contracted (签约) clients",
        ),
    ),
)


# A total for the plan period cannot be smaller than one year's addition to it: each pair is a
# count in one section and an addition for a narrower period in another.
PERIOD_CHECKS = (
    AtMostCheck(
        "period:place_name_qr_codes",
        (("road_sign_qr_codes_added", "三.(十)"),),
        (("place_name_qr_codes_updated", "二.(八).3"),),
        Text(
            zh="地名标志二维码：二.(八).3所称“更新设置新的二维码1.4万个”，不应少于三.(十)所列"
            "仅2022年一年增设的路牌二维码数",
            en="QR codes on place-name signs: the 14,000 new QR codes (更新设置新的二维码1.4万个, "
            "二.(八).3) cannot be fewer than the road-sign QR codes (路牌二维码) added in 2022 "
            "alone (三.(十))",
        ),
        Text(
            zh="按报告原文，两处说法不能同时成立：三.(十)称2022年增设路牌二维码1.6万个（另有"
            "二维码乡村地名标志667个、二维码门牌2.19万块），多于二.(八).3的1.4万个；只有"
            "二.(八).3统计的时段不含2022年，两者才能相符，而报告并未这样说明",
            en="both cannot hold as stated: 三.(十) adds 16000 road-sign QR codes in 2022 (and "
            "667 rural sign and 21900 house-plate QR codes besides), more than the 14000 of "
            "二.(八).3; they hold only if 二.(八).3 counts a period without 2022, which it does "
            "not say",
        ),
    ),
    AtMostCheck(
        "period:road_signs",
        (("qr_road_signs_added", "三.(十)"),),
        (("road_signs_updated", "二.(八).3"),),
        Text(
            zh="路牌：二.(八).3所称“更新设置新的……路牌522个”，不应少于三.(十)所列仅2022年"
            "一年增设的二维码路牌数",
            en="road signs: the 522 new road signs (更新设置新的…路牌522个, 二.(八).3) cannot be "
            "fewer than the road signs with a QR code (二维码路牌) added in 2022 alone (三.(十))",
        ),
        Text(
            zh="按报告原文，两处说法不能同时成立：三.(十)称2022年增设二维码路牌1918个，多于"
            "二.(八).3的522个；只有二.(八).3统计的时段不含2022年，两者才能相符，而报告并未"
            "这样说明",
            en="both cannot hold as stated: 三.(十) adds 1918 road signs with a QR code in 2022, "
            "more than the 522 road signs of 二.(八).3; they hold only if 二.(八).3 counts a "
            "period without 2022, which it does not say",
        ),
    ),
)

SCOPE_CHECKS = (
    ScopeCheck(
        "scope:community_service_area_per_100_households",
        ("community_service_area_per_100_households", "一.10"),
        ("urban_community_service_area_per_100_households", "三.(四).2"),
        Text(
            zh="每百户居民拥有社区服务用房面积：一.10（标题为“城乡”）指全市，三.(四).2指213个"
            "城市社区，两者统计口径不同",
            en="community service space (社区服务用房) per hundred households: the whole city "
            "(一.10, under an urban and rural, 城乡, heading) and the 213 urban communities "
            "(三.(四).2) are different scopes",
        ),
        Text(
            zh="全市与其中213个城市社区同为每百户34平方米，只有农村社区平均也是34平方米才能"
            "成立，而报告未给出农村社区的数字：或是同一数字套用于两种口径，或是巧合；本书将两者"
            "作为两个指标分列",
            en="the same 34 for the whole city and for its 213 urban communities holds only if "
            "the rural communities also average 34, and the report gives no rural figure: one "
            "figure quoted under two scopes, or a coincidence; the two are kept as two series",
        ),
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
    series: tuple[tuple[str, Text], ...]  # (series_id, label)
    base_date: str
    stated_in: str  # where the series' figures are stated
    quote_en: str  # the quote in English, its gap marked …
    lost_before: Text  # the words the lost character stood before


@dataclass(frozen=True)
class NameCheck:
    """One figure called by several names: the heading of 一.x, its sentence, and the other
    statements of the same series. Each statement's name is the longest of `terms` it holds."""

    check_id: str
    series_id: str
    terms: tuple[str, ...]
    description: Text
    note: Text


LOST_WORD_RULES = (
    LostWordRule(
        "lost_word:dibao_rise_7_percent",
        "二.(一).3",
        "城乡低保标准比不低于7%",
        7.0,
        (
            ("dibao_standard_urban", Text("城市", "urban")),
            ("dibao_standard_rural", Text("农村", "rural")),
        ),
        "2020",
        "一.1",
        "the urban-rural dibao standard … no lower than 7 %",
        Text("不低于", "no lower than"),
    ),
)

NAME_CHECKS = (
    NameCheck(
        "names:place_name_sign_rate",
        "place_name_sign_rate",
        ("放置率", "设置率", "设置覆盖率"),
        Text(
            zh="地名标志的97.9%应使用同一名称：一.19的标题、其下正文与三.(十)",
            en="one name for the 97.9 % of place-name signs (地名标志): the heading of 一.19, "
            "its sentence and 三.(十)",
        ),
        Text(
            zh="同一数字，三种名称：“放置”（标志已摆放）与“设置”（标志已设立）含义不同，"
            "“设置覆盖率”则是应设标志之处的覆盖程度；报告未说明97.9%衡量的是哪一种",
            en="one figure, three measures: 放置 (signs placed) and 设置 (signs set up) differ, "
            "and 设置覆盖率 is the coverage of the places that need a sign; the report does not "
            "say which one the 97.9 % measures",
        ),
    ),
)


@dataclass(frozen=True)
class QualifiedVerdict:
    """A problem that section 五 (存在问题) admits beside a verdict of section 一 on the same
    subject: not a contradiction in numbers, but a qualification the verdict does not carry."""

    section: str  # 五.三 is the third problem (三是…)
    quote: str
    quote_en: str  # what the quote says, for the English edition
    headlines: tuple[int, ...]
    why: Text


@dataclass(frozen=True)
class UnstatedMeasure:
    """A key indicator whose heading names a measure the report never states."""

    headline: int
    heading: str  # the heading of 一.x, verbatim
    measure: Text
    why: Text


QUALIFIED_VERDICTS = (
    QualifiedVerdict(
        "五.三",
        "城乡低保等社会救助标准在全省处于落后位次",
        "the urban and rural 低保 standards and other social-assistance standards rank low in "
        "the province",
        (1, 2, 3),
        Text(
            zh="被评为已完成目标任务的各项标准在全省排位靠后（“等社会救助标准”：低保标准，"
            "以及随之调整的特困人员基本生活标准和照料护理标准）",
            en="the standards said to have completed their target rank low in the province "
            "(等社会救助标准: the 低保 standards and, with them, the 特困 basic and care "
            "standards)",
        ),
    ),
    QualifiedVerdict(
        "五.四",
        "养老机构“一床难求”与“床位空置”并存",
        "in elderly-care institutions, beds that are hard to get coexist with empty beds",
        (7,),
        Text(
            zh="“一床难求”与“床位空置”并存：护理型床位占比再高，也说明不了床位是否设在需要的地方",
            en="beds hard to get beside empty beds: a share of nursing beds says nothing of "
            "whether the beds are where they are needed",
        ),
    ),
    QualifiedVerdict(
        "五.四",
        "社区养老服务网络不健全",
        "the community elderly-care service network is incomplete",
        (8, 9),
        Text(
            zh="报告自称社区养老服务网络不健全、社区嵌入式养老机构缺乏，而乡镇(街道)养老服务"
            "机构覆盖率和社区养老服务设施配建标准却分别被评为“达到预期目标”和“已完成目标任务”",
            en="the community elderly-care network is called incomplete, and embedded community "
            "institutions (社区嵌入式养老机构) lacking, beside the coverage of township "
            "institutions and the community facility standards",
        ),
    ),
    QualifiedVerdict(
        "五.五",
        "少数地区公益性公墓未实现全覆盖",
        "in a few areas, public-welfare cemeteries do not yet cover every place",
        (16,),
        Text(
            zh="少数地区尚无公益性公墓，而县级公益性安葬(放)设施覆盖率为100%：两者只有在不同"
            "层级（县级与乡镇级）上才能同时成立",
            en="some areas have no public cemetery beside a county-level coverage of 100 %: the "
            "two hold together only at different levels (county against township)",
        ),
    ),
    QualifiedVerdict(
        "五.六",
        "推动社区社会组织发展、壮大社会工作人才队伍等方面还有很多不足",
        "much is still lacking in developing community social organisations and in growing the "
        "social-work workforce",
        (11, 12),
        Text(
            zh="社区社会组织发展和社会工作人才队伍建设被称为“还有很多不足”，而相应的数量指标"
            "却被评为达到预期目标",
            en="the development of community social organisations and of social-work talent is "
            "called lacking beside verdicts that their numbers met expectations",
        ),
    ),
)

UNSTATED_MEASURES = (
    UnstatedMeasure(
        1,
        "低保标准占上年度当地城镇居民人均消费支出比",
        Text(
            zh="低保标准与上年度人均消费支出之比",
            en="a ratio of the 低保 standard to the previous year's consumption per head",
        ),
        Text(
            zh="报告只给出了低保标准（元/人·月），没有给出人均消费支出",
            en="the report states the standards (yuan/person/month) and no consumption figure",
        ),
    ),
    UnstatedMeasure(
        9,
        "城市社区配套建设养老服务设施达标率",
        Text(zh="一项达标率（%）", en="a compliance rate (%)"),
        Text(
            zh="报告只给出了配建面积标准，没有给出多少社区达到了标准",
            en="the report states the area standards, not how many communities meet them",
        ),
    ),
    UnstatedMeasure(
        15,
        "婚姻登记“跨省通办”实施率",
        Text(zh="一项实施率（%）", en="an implementation rate (%)"),
        Text(
            zh="报告只说明了“跨省通办”开始实施的时间，没有给出实施率",
            en="the report states when the services began, not a rate",
        ),
    ),
)


def stated_row(observations: pd.DataFrame, ref: Ref) -> pd.Series | None:
    """The observation stated for a series in a section (the latest date if there are
    several), with a value."""
    series_id, section = ref
    rows = observations[
        (observations["series_id"] == series_id) & (observations["section"] == section)
    ]
    rows = rows.dropna(subset=["value"])
    return None if rows.empty else rows.sort_values("date").iloc[-1]


def lookup(observations: pd.DataFrame, ref: Ref) -> float | None:
    """The value stated for a series in a section (the latest date if there are several)."""
    row = stated_row(observations, ref)
    return None if row is None else float(row["value"])


def sum_qualifier(observations: pd.DataFrame, refs: Sequence[Ref]) -> str:
    """The qualifier a sum keeps: that of its one figure ("千余名" is over 1000); a sum of
    several figures is written without one."""
    if len(refs) != 1:
        return ""
    row = stated_row(observations, refs[0])
    qualifier = "" if row is None else row.get("qualifier")
    return qualifier if isinstance(qualifier, str) else ""


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
    description: Text,
    expected: Cell,
    found: Cell,
    passed: bool | None,
    note: Text = NO_NOTE,
    series: Iterable[str] = (),
) -> dict[str, object]:
    """One row of the audit table, in both languages, with the series it concerns."""
    return {
        "check_id": check_id,
        "section": section,
        "description": description.en,
        "expected": expected.en,
        "found": found.en,
        "passed": None if passed is None else bool(passed),
        "note": note.en,
        "description_zh": description.zh,
        "expected_zh": expected.zh,
        "found_zh": found.zh,
        "note_zh": note.zh,
        SERIES_IDS: SERIES_SEPARATOR.join(dict.fromkeys(series)),
    }


def series_of(refs: Iterable[Ref]) -> tuple[str, ...]:
    """The distinct series of some references, in their order."""
    return tuple(dict.fromkeys(series_id for series_id, _ in refs))


def sections_of(refs: Iterable[Ref]) -> str:
    """The distinct sections of some references, in report order, joined with '; '."""
    return "; ".join(sorted({section for _, section in refs}, key=section_key))


def missing_row(
    check_id: str,
    refs: Iterable[Ref],
    description: Text,
    vocabulary: Vocabulary = NO_VOCABULARY,
    series: Iterable[str] | None = None,
) -> dict[str, object]:
    """A check that cannot be computed because a value it needs is absent. It concerns the
    series of `refs` unless `series` says otherwise."""
    refs = tuple(refs)
    names = Text(
        zh="、".join(f"{vocabulary.name(sid)}（{section}）" for sid, section in refs),
        en=", ".join(f"{sid} ({section})" for sid, section in refs),
    )
    return check_row(
        check_id,
        sections_of(refs),
        description,
        NO_DATA_CELL,
        NO_DATA_CELL,
        None,
        Text(
            zh=f"无法核验：报告未给出{names.zh}的数值",
            en=f"cannot be verified: no value for {names.en}",
        ),
        series_of(refs) if series is None else series,
    )


def sum_checks(
    observations: pd.DataFrame,
    checks: Iterable[SumCheck],
    vocabulary: Vocabulary = NO_VOCABULARY,
) -> list[dict[str, object]]:
    """Stated totals against the sum of their stated parts."""
    rows = []
    for check in checks:
        refs = (check.total, *check.parts)
        values = [lookup(observations, ref) for ref in refs]
        if any(value is None for value in values):
            rows.append(missing_row(check.check_id, refs, check.description, vocabulary))
            continue
        total, parts = values[0], values[1:]
        found = float(sum(parts))
        passed = close(total, found)
        unit = vocabulary.unit(check.total[0])
        note = (
            NO_NOTE
            if passed
            else Text(
                zh=f"各分项之和为{zh_quantity(found, unit)}，而非{zh_quantity(total, unit)}，"
                f"相差{zh_quantity(abs(total - found), unit)}",
                en=f"the parts add up to {found:g}, not {total:g}: off by {total - found:g}",
            )
        )
        rows.append(
            check_row(
                check.check_id,
                sections_of(refs),
                check.description,
                amount(total, unit),
                amount(found, unit),
                passed,
                note,
                series_of(refs),
            )
        )
    return rows


def ratio_checks(
    observations: pd.DataFrame,
    checks: Iterable[RatioCheck],
    vocabulary: Vocabulary = NO_VOCABULARY,
) -> list[dict[str, object]]:
    """Stated percentages against 100 x numerator / denominator, within the rounding of the
    stated figure (half a unit of its last digit)."""
    rows = []
    for check in checks:
        refs = (check.rate, check.numerator, check.denominator)
        rate, numerator, denominator = (lookup(observations, ref) for ref in refs)
        if rate is None or numerator is None or not denominator:
            rows.append(missing_row(check.check_id, refs, check.description, vocabulary))
            continue
        found = 100.0 * numerator / denominator
        tolerance = half_unit_of_last_digit(rate)
        passed = abs(found - rate) <= tolerance + ROUNDING
        note = Text(
            zh=f"{zh_number(numerator)}÷{zh_number(denominator)}×100%={found:.4g}%；允许误差为"
            f"报告所列数字末位的一半，即{tolerance:g}个百分点",
            en=f"{numerator:g} / {denominator:g} x 100 = {found:.4g}; tolerance {tolerance:g}",
        )
        rows.append(
            check_row(
                check.check_id,
                sections_of(refs),
                check.description,
                amount(rate, "%"),
                amount(found, "%"),
                passed,
                note,
                series_of(refs),
            )
        )
    return rows


def at_most_checks(
    observations: pd.DataFrame,
    checks: Iterable[AtMostCheck],
    vocabulary: Vocabulary = NO_VOCABULARY,
) -> list[dict[str, object]]:
    """Parts that must not exceed their whole: expected is the upper limit, found the part."""
    rows = []
    for check in checks:
        refs = (*check.smaller, *check.larger)
        smaller = [lookup(observations, ref) for ref in check.smaller]
        larger = [lookup(observations, ref) for ref in check.larger]
        if None in smaller or None in larger:
            rows.append(missing_row(check.check_id, refs, check.description, vocabulary))
            continue
        limit = float(sum(value for value in larger if value is not None))
        found = float(sum(value for value in smaller if value is not None))
        passed = found <= limit + ROUNDING
        limit_as = sum_qualifier(observations, check.larger)
        found_as = sum_qualifier(observations, check.smaller)
        limit_zh = zh_quantity(limit, vocabulary.unit(check.larger[0][0]), limit_as)
        found_zh = zh_quantity(found, vocabulary.unit(check.smaller[0][0]), found_as)
        limit_en, found_en = en_quantity(limit, limit_as), en_quantity(found, found_as)
        note = (
            Text(zh=f"{found_zh}≤{limit_zh}", en=f"{found_en} <= {limit_en}")
            if passed
            else Text(zh=f"{found_zh}超过{limit_zh}", en=f"{found_en} exceeds {limit_en}")
        )
        if check.note.en:
            note = Text(zh=f"{note.zh}；{check.note.zh}", en=f"{note.en}; {check.note.en}")
        rows.append(
            check_row(
                check.check_id,
                sections_of(refs),
                check.description,
                # a figure stated with its qualifier keeps it in English too: over 1000
                Cell(limit_en if limit_as else limit, limit_zh),
                Cell(found_en if found_as else found, found_zh),
                passed,
                note,
                series_of(refs),
            )
        )
    return rows


def scope_checks(
    observations: pd.DataFrame,
    checks: Iterable[ScopeCheck],
    vocabulary: Vocabulary = NO_VOCABULARY,
) -> list[dict[str, object]]:
    """One quantity for two scopes: expected is the wider scope's figure, found the narrower
    one's. Neither passes nor fails: the report does not give what would decide it."""
    rows = []
    for check in checks:
        refs = (check.wider, check.narrower)
        wider, narrower = (lookup(observations, ref) for ref in refs)
        if wider is None or narrower is None:
            rows.append(missing_row(check.check_id, refs, check.description, vocabulary))
            continue
        same = (
            Text("两种口径下数字相同", "the same figure")
            if close(wider, narrower)
            else Text("两种口径下数字不同", "different figures")
        )
        rows.append(
            check_row(
                check.check_id,
                sections_of(refs),
                check.description,
                amount(wider, vocabulary.unit(check.wider[0])),
                amount(narrower, vocabulary.unit(check.narrower[0])),
                None,
                Text(
                    zh=f"无法核验：{same.zh}；{check.note.zh}",
                    en=f"cannot be verified: {same.en} for two scopes; {check.note.en}",
                ),
                series_of(refs),
            )
        )
    return rows


def percent(value: float) -> str:
    return f"{100 * value:.1f} %"


def zh_percent(value: float) -> str:
    return f"{100 * value:.1f}%"


READINGS = {
    True: Text("符合该规则", "would pass"),
    False: Text("不符合该规则", "would fail"),
}


def lost_word_checks(
    observations: pd.DataFrame,
    rules: Iterable[LostWordRule],
    vocabulary: Vocabulary = NO_VOCABULARY,
) -> list[dict[str, object]]:
    """A damaged rule, both readings worked out on the report's own figures: cannot be
    verified, since the lost character decides which reading is meant."""
    rows = []
    for rule in rules:
        yearly, total = [], []
        yearly_zh, total_zh = [], []
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
            yearly.append(f"{percent(per_year)} ({area.en})")
            total.append(f"{percent(rise)} ({area.en})")
            yearly_zh.append(f"{area.zh}{zh_percent(per_year)}")
            total_zh.append(f"{area.zh}{zh_percent(rise)}")
            verdicts["yearly"] &= 100 * per_year >= rule.minimum_percent
            verdicts["total"] &= 100 * rise >= rule.minimum_percent
        description = Text(
            zh=f"“{rule.quote}”（{rule.section}）：“{rule.lost_before.zh}”之前缺失一个字，"
            f"本书按两种理解，分别以{rule.stated_in}所列低保标准测算",
            en=f"'{rule.quote_en}' ({rule.quote}, {rule.section}): a character is lost before "
            f"'{rule.lost_before.en}' ({rule.lost_before.zh}); the rule is read both ways on "
            f"the dibao (低保) standards of {rule.stated_in}",
        )
        series = [series_id for series_id, _ in rule.series]
        if missing:
            rows.append(missing_row(rule.check_id, missing, description, vocabulary, series=series))
            continue
        outcome = {reading: READINGS[bool(ok)] for reading, ok in verdicts.items()}
        base_zh = zh_date(rule.base_date)
        rows.append(
            check_row(
                rule.check_id,
                f"{rule.stated_in}; {rule.section}",
                description,
                Cell(f">= {rule.minimum_percent:g} %", f"不低于{rule.minimum_percent:g}%"),
                Cell(
                    f"yearly {', '.join(yearly)}; since {rule.base_date} {', '.join(total)}",
                    f"年均增长：{'，'.join(yearly_zh)}；{base_zh}以来累计增长："
                    f"{'，'.join(total_zh)}",
                ),
                None,
                Text(
                    zh=f"无法核验：规则原文缺字，无法确定其含义。若理解为每年增幅不低于"
                    f"{rule.minimum_percent:g}%，则{outcome['yearly'].zh}；若理解为{base_zh}以来"
                    f"累计增幅不低于{rule.minimum_percent:g}%，则{outcome['total'].zh}",
                    en=f"cannot be verified: the rule cannot be read. As a yearly rise it "
                    f"{outcome['yearly'].en}; as a total rise since {rule.base_date} it "
                    f"{outcome['total'].en}",
                ),
                series,
            )
        )
    return rows


def longest_term(text: str, terms: Iterable[str]) -> str | None:
    found = [term for term in terms if term in text]
    return max(found, key=len) if found else None


def name_checks(
    observations: pd.DataFrame,
    checks: Iterable[NameCheck],
    vocabulary: Vocabulary = NO_VOCABULARY,
) -> list[dict[str, object]]:
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
                where = Text(f"{statement.section}正文", f"{statement.section} sentence")
                others.append((where, longest_term(sentence, check.terms)))
            else:
                where = Text(statement.section, statement.section)
                others.append((where, longest_term(quote, check.terms)))
        sections = "; ".join(dict.fromkeys(stated["section"]))
        if heading is None:
            rows.append(
                check_row(
                    check.check_id,
                    sections,
                    check.description,
                    NO_DATA_CELL,
                    NO_DATA_CELL,
                    None,
                    Text(
                        zh=f"无法核验：{vocabulary.name(check.series_id)}的标题中没有上述任何名称",
                        en=f"cannot be verified: no heading of {check.series_id} names a term",
                    ),
                    (check.series_id,),
                )
            )
            continue
        found = Cell(
            "; ".join(f"{where.en}: {name}" for where, name in others),
            "；".join(f"{where.zh}：{name or '（未用上述名称）'}" for where, name in others),
        )
        passed = all(name == heading for _, name in others)
        rows.append(
            check_row(
                check.check_id,
                sections,
                check.description,
                Cell(heading, heading),
                found,
                passed,
                NO_NOTE if passed else check.note,
                (check.series_id,),
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


def stated_cell(row: pd.Series, unit: str) -> Cell:
    """A row's figure in both languages: 1498 and 1498人, '20-30' and 20–30平方米/百户."""
    figure = stated_value(row)
    if isinstance(figure, float):
        return amount(figure, unit)
    if figure is None:
        return Cell(None, NO_DATA_CELL.zh)
    return Cell(figure, f"{zh_number(row['value_low'])}–{zh_number(row['value_high'])}{unit}")


# Series whose statements name the figure differently and which the book reads as one figure
# (series.csv says why): a contradiction between them rests on that reading, and says so.
NAMED_DIFFERENTLY: dict[str, Text] = {
    "child_director_count": Text(
        zh="两处名称不同，一处为“儿童主任”，一处为“儿童保护专干”；本书视二者为同一岗位，"
        "即村(居)一级的儿童工作人员，若并非同一岗位，两数不构成矛盾",
        en="The two statements name it differently, 儿童主任 (child director) and 儿童保护专干 "
        "(child protection worker); the book reads them as one post, the village-level child "
        "worker: if they are two posts, the figures do not contradict each other",
    ),
}


def repeat_checks(
    observations: pd.DataFrame, series: pd.DataFrame, vocabulary: Vocabulary | None = None
) -> list[dict[str, object]]:
    """A figure the report states more than once for the same series and year must agree.

    Only the report's own rows are compared (outside figures are separate statements). Each
    later statement is compared with the first one in report order."""
    kinds = series.set_index("series_id")["kind"].to_dict()
    names = series.set_index("series_id")["name_zh"].to_dict()
    vocabulary = Vocabulary.of(series) if vocabulary is None else vocabulary
    report = observations[observations["source"] == REPORT_SOURCE].copy()
    report = report[report["series_id"].map(kinds) != "date"]
    report["year"] = report["date"].astype(str).str[:4]
    rows = []
    for (series_id, year), group in report.groupby(["series_id", "year"], sort=True):
        if len(group) < 2:
            continue
        group = group.assign(order=group["section"].map(section_key)).sort_values("order")
        first = group.iloc[0]
        unit = vocabulary.unit(series_id)
        expected = stated_cell(first, unit)
        for _, later in group.iloc[1:].iterrows():
            found = stated_cell(later, unit)
            passed = expected.en == found.en
            note = Text(zh=f"首次见于{first['section']}", en=f"first stated in {first['section']}")
            if not passed:
                note = Text(
                    zh=f"{note.zh}：{first['section']}为{expected.zh}，{later['section']}为"
                    f"{found.zh}，报告前后矛盾",
                    en=f"{note.en}: {first['section']} says {show(expected.en)}, "
                    f"{later['section']} says {show(found.en)}; the report contradicts itself",
                )
                if series_id in NAMED_DIFFERENTLY:
                    reading = NAMED_DIFFERENTLY[series_id]
                    note = Text(zh=f"{note.zh}。{reading.zh}", en=f"{note.en}. {reading.en}")
            rows.append(
                check_row(
                    f"repeat:{series_id}:{year}:{later['section']}",
                    f"{first['section']}; {later['section']}",
                    Text(
                        zh=f"同一数字两次表述应一致：{names.get(series_id, series_id)}"
                        f"（{zh_date(year)}）",
                        en=f"the same figure stated twice agrees: {series_id} "
                        f"({names.get(series_id, series_id)}), {year}",
                    ),
                    expected,
                    found,
                    passed,
                    note,
                    (series_id,),
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


def zh_times(factor: float, name: str) -> str:
    """factor x a named quantity in Chinese: 低保标准的1.3倍, 人均消费支出的60%, or the name
    alone for a factor of 1."""
    if close(factor, 1.0):
        return name
    if factor < 1:
        return f"{name}的{100 * factor:g}%"
    return f"{name}的{factor:g}倍"


def relation_rule(relation: Any, vocabulary: Vocabulary, comparator: str, words: str) -> Text:
    """A relation's rule in words: 特困人员基本生活标准应不低于低保标准的1.3倍 (the report's
    rule quoted), with `words` for the comparator in Chinese."""
    factor = float(relation.factor)
    left_id, right_id = relation.left_series_id, relation.right_series_id
    return Text(
        zh=f"{vocabulary.name(left_id)}应{words}{zh_times(factor, vocabulary.name(right_id))}"
        f"（报告所述规则：“{relation.quote}”）",
        en=f"{left_id} {comparator} {factor:g} x {right_id} (rule stated in the report: "
        f"{relation.quote})",
    )


def relation_checks(
    observations: pd.DataFrame,
    relations: pd.DataFrame | None,
    vocabulary: Vocabulary = NO_VOCABULARY,
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
        left_id, right_id = relation.left_series_id, relation.right_series_id
        series = (left_id, right_id)
        unit = vocabulary.unit(left_id)
        right_unit = vocabulary.unit(right_id)

        comparator = relation.comparator
        description = relation_rule(
            relation, vocabulary, comparator, ZH_COMPARATOR_WORDS.get(comparator, comparator)
        )
        # the claim the report's 高于 makes, stated as such (not as the rule's 不低于)
        strictly = relation_rule(relation, vocabulary, ">", "高于")
        left = valued[valued["series_id"] == left_id]
        right = valued[valued["series_id"] == right_id]
        if left.empty or right.empty:
            missing = [
                series_id
                for series_id, frame in ((left_id, left), (right_id, right))
                if frame.empty
            ]
            rows.append(
                check_row(
                    f"relation:{relation.relation_id}",
                    relation.section,
                    description,
                    NO_DATA_CELL,
                    NO_DATA_CELL,
                    None,
                    Text(
                        zh="无法依据报告核验：报告未给出"
                        f"{'、'.join(vocabulary.name(sid) for sid in missing)}的数值",
                        en=f"cannot be verified from the report: no value for {', '.join(missing)}",
                    ),
                    series,
                )
            )
            continue
        strict_claim = claims_higher_than(relation.quote, relation.comparator)
        for date in sorted(set(left["date"]) & set(right["date"])):
            for left_value in sorted(set(left.loc[left["date"] == date, "value"])):
                for right_value in sorted(set(right.loc[right["date"] == date, "value"])):
                    bound = factor * right_value
                    passed = compare(left_value, relation.comparator, bound)
                    left_zh, bound_zh = zh_quantity(left_value, unit), zh_quantity(bound, unit)
                    times = zh_times(factor, zh_quantity(right_value, right_unit))
                    # one row per date: the date in its description tells them apart
                    on_date = Text(
                        zh=f"{description.zh}（{zh_date(date)}）", en=f"{description.en} ({date})"
                    )
                    rows.append(
                        check_row(
                            f"relation:{relation.relation_id}:{date}",
                            relation.section,
                            on_date,
                            Cell(bound, bound_zh),
                            Cell(left_value, left_zh),
                            passed,
                            Text(
                                zh=f"{zh_date(date)}：{left_zh}；{times}为{bound_zh}",
                                en=f"{date}: {left_value:g} {relation.comparator} {factor:g} "
                                f"x {right_value:g} = {bound:g}",
                            ),
                            series,
                        )
                    )
                    if strict_claim:
                        strict = compare(left_value, ">=", bound, strict=True)
                        when = zh_date(date)
                        if strict:
                            note = Text(
                                zh=f"{when}：{left_zh}，高于下限{bound_zh}",
                                en=f"{date}: {left_value:g} > {bound:g}",
                            )
                        elif passed:
                            note = Text(
                                zh=f"{when}：{left_zh}恰好等于下限{bound_zh}，符合“不低于”，"
                                "但并非报告所称的“高于”",
                                en=f"{date}: {left_value:g} is exactly the bound {bound:g}: it "
                                "meets 不低于 (not lower than), not the 高于 (higher than) the "
                                "report states",
                            )
                        else:
                            note = Text(
                                zh=f"{when}：{left_zh}，低于下限{bound_zh}",
                                en=f"{date}: {left_value:g} < {bound:g}",
                            )
                        rows.append(
                            check_row(
                                f"relation_strict:{relation.relation_id}:{date}",
                                relation.section,
                                Text(
                                    zh=f"报告用的是“高于”，即须严格大于：{strictly.zh}"
                                    f"（{zh_date(date)}）",
                                    en=f"the report's words 高于 (strictly higher): "
                                    f"{strictly.en} ({date})",
                                ),
                                Cell(bound, bound_zh),
                                Cell(left_value, left_zh),
                                strict,
                                note,
                                series,
                            )
                        )
    return rows


def increase_checks(
    observations: pd.DataFrame, vocabulary: Vocabulary = NO_VOCABULARY
) -> list[dict[str, object]]:
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
        unit = vocabulary.unit(series_id)
        before = zh_quantity(earliest["value"], unit)
        after = zh_quantity(latest["value"], unit)
        rows.append(
            check_row(
                f"increase:{series_id}",
                earliest["section"],
                Text(
                    zh=f"报告称“提高到”：{vocabulary.name(series_id)}从"
                    f"{zh_date(earliest['date'])}到{zh_date(latest['date'])}应有所提高",
                    en=f"raised to (提高到): {series_id} rose from {earliest['date']} to "
                    f"{latest['date']}",
                ),
                Cell(f"> {earliest['value']:g}", f"高于{before}"),
                Cell(float(latest["value"]), after),
                passed,
                Text(
                    zh=f"{zh_date(earliest['date'])}：{before}；{zh_date(latest['date'])}：{after}",
                    en=f"{earliest['date']}: {earliest['value']:g}, {latest['date']}: "
                    f"{latest['value']:g}",
                ),
                (series_id,),
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
            rows.append(
                check_row(
                    f"qualified:{item.section}:一.{headline}",
                    f"一.{headline}; {item.section}",
                    Text(
                        zh=f"第五部分所列问题与一.{headline}（{'、'.join(own['name_zh'])}）的"
                        "评估结论并存",
                        en=f"a problem admitted in section 五 beside the verdict of "
                        f"一.{headline} ({'; '.join(own['name_zh'])})",
                    ),
                    Cell("; ".join(verdicts) or NO_DATA, "；".join(verdicts) or NO_DATA_CELL.zh),
                    Cell(item.quote, item.quote),
                    None,
                    Text(
                        zh=f"无法核验：该问题限定了评估结论，而结论对此只字未提：{item.why.zh}",
                        en=f"cannot be verified: qualifies the verdict, which does not mention "
                        f"it: {item.why.en}",
                    ),
                    own["series_id"],
                )
            )
    return rows


def unstated_measure_checks(
    observations: pd.DataFrame, series: pd.DataFrame, measures: Iterable[UnstatedMeasure]
) -> list[dict[str, object]]:
    """Key indicators called complete although their own measure is never stated: what the
    report does state under the heading is shown as found."""
    keyed = headline_series(series)
    vocabulary = Vocabulary.of(series)
    rows = []
    for item in measures:
        section = f"一.{item.headline}"
        own = keyed[keyed["headline"] == item.headline]
        named = sorted(set(own["report_verdict"]) - {""})
        verdicts = Text(
            zh="、".join(f"“{verdict}”" for verdict in named) or "无结论",
            en="; ".join(named) or "no verdict",
        )
        stated = observations[
            observations["series_id"].isin(own["series_id"])
            & (observations["section"] == section)
            & (observations["source"] == REPORT_SOURCE)
        ]
        names = own.set_index("series_id")["name_zh"]
        units = own.set_index("series_id")["unit"] if "unit" in own else None
        found, found_zh = [], []
        for series_id, group in stated.groupby("series_id", sort=False):
            latest = group.sort_values("date").iloc[-1]
            figure = stated_value(latest)
            unit = in_english(units[series_id]) if units is not None else ""
            what = f"{show(figure)} {unit}".strip() if figure is not None else "a date"
            # the id: the English edition writes the series' English name in its place
            found.append(f"{series_id}: {what} ({latest['date']})")
            what_zh = (
                stated_cell(latest, vocabulary.unit(series_id)).zh
                if figure is not None
                else "仅有实施时间"
            )
            found_zh.append(f"{names[series_id]}：{what_zh}（{zh_date(latest['date'])}）")
        rows.append(
            check_row(
                f"unstated_measure:{section}",
                section,
                Text(
                    zh=f"重点指标{item.headline}（{item.heading}）衡量的是{item.measure.zh}："
                    "报告是否给出了这一数值？",
                    en=f"key indicator {item.headline} ({item.heading}) is {item.measure.en}: "
                    "is it stated?",
                ),
                words(item.measure),
                Cell("; ".join(found) or NO_DATA, "；".join(found_zh) or NO_DATA_CELL.zh),
                None,
                Text(
                    zh=f"无法核验：报告从未给出该指标本身的数值，却评为{verdicts.zh}；"
                    f"{item.why.zh}",
                    en=f"cannot be verified: called {verdicts.en} although its measure is never "
                    f"stated; {item.why.en}",
                ),
                own["series_id"],
            )
        )
    return rows


def zh_implied(figure: str, direction: str) -> str:
    """The bound a verdict of 已完成目标任务 implies, in Chinese (implied_text in English)."""
    side = "不高于" if direction == "up" else "不低于"
    return f"2025年目标{side}{figure}"


def verdict_bound_checks(
    observations: pd.DataFrame, series: pd.DataFrame, targets: pd.DataFrame | None
) -> list[dict[str, object]]:
    """Where a target is published, does it lie within the bound the verdict 已完成目标任务
    implies (the figure meets it)? Without a published target there is nothing to check: the
    bound itself is shown by the overview, labelled as implied, never as a target."""
    bounds = implied_bounds(observations, series, targets)
    bounds = bounds[bounds["consistent"] != "no published target"]
    vocabulary = Vocabulary.of(series)
    rows = []
    for row in bounds.itertuples(index=False):
        unit = vocabulary.unit(row.series_id)
        figure = zh_quantity(row.figure, unit)
        target = published_target(targets, row.series_id)
        assert target is not None  # the rows without one were left out above
        target_zh = f"{ZH_SIGNS[target['comparator']]}{zh_quantity(target['value'], unit)}"
        implied = zh_implied(figure, row.direction)
        note = (
            Text(
                zh=f"{figure}达到已公布的目标（{target_zh}）",
                en=f"{row.figure:g} meets the published {row.published_target}",
            )
            if row.consistent == "yes"
            else Text(
                zh=f"{figure}未达到已公布的目标（{target_zh}）：评估结论与目标相矛盾",
                en=f"{row.figure:g} does not meet the published {row.published_target}: the "
                "verdict contradicts the target",
            )
        )
        rows.append(
            check_row(
                f"verdict_bound:{row.series_id}",
                row.section,
                Text(
                    zh=f"{row.name_zh}为{figure}，报告评为“{row.verdict}”，即意味着{implied}："
                    "已公布的目标是否与此相符？",
                    en=f"{row.verdict} on {row.figure:g} ({row.name_zh}) implies {row.implied}: "
                    "does the published target agree?",
                ),
                Cell(row.implied, implied),
                Cell(row.published_target, target_zh),
                row.consistent == "yes",
                note,
                (row.series_id,),
            )
        )
    return rows


def verdict_checks(observations: pd.DataFrame, series: pd.DataFrame) -> list[dict[str, object]]:
    """The verdicts of section 一 (series.csv) against the preamble's counts: all 19 met
    expectations, 10 completed ahead of schedule. These checks are about the report as a
    whole: they name no series."""
    table = headline_verdicts(series)
    single = table["verdicts"].map(len) == 1
    verdict = table["verdicts"].map(lambda v: v[0] if len(v) == 1 else None)
    vocabulary = Vocabulary.of(series)
    counted = {
        KEY_INDICATORS_TOTAL: (
            float(len(table)),
            Text(
                zh="第一部分所列重点指标的项数，对照前言所称“19项重点指标”",
                en="key indicators listed in section 一, against the preamble's 19 key "
                "indicators (19项重点指标)",
            ),
        ),
        KEY_INDICATORS_MET: (
            float(verdict.isin(VERDICTS_MEETING_EXPECTATIONS).sum()),
            Text(
                zh="评估结论为“已完成目标任务”“达到预期目标”或“超出预期目标”的重点指标项数，"
                "对照前言所称“均实现预期目标”",
                en="key indicators whose verdict is target completed (已完成目标任务), "
                "expectation reached (达到预期目标) or exceeded (超出预期目标), against the "
                "preamble's 'all met expectations' (均实现预期目标)",
            ),
        ),
        KEY_INDICATORS_COMPLETED_EARLY: (
            float((verdict == COMPLETED).sum()),
            Text(
                zh="评估结论为“已完成目标任务”的重点指标项数，对照前言所称"
                "“其中10项指标已经提前完成目标任务”",
                en="key indicators whose verdict is target completed (已完成目标任务), "
                "against the preamble's '10 of them completed ahead of time' "
                "(其中10项指标已经提前完成目标任务)",
            ),
        ),
    }
    rows = [
        check_row(
            "verdict:one_per_key_indicator",
            "一",
            Text(
                zh="每项重点指标（含其下各项数据）只有一个评估结论",
                en="every key indicator has exactly one verdict across its series",
            ),
            amount(len(table), "项"),
            amount(single.sum(), "项"),
            bool(single.all()),
        )
    ]
    for series_id, (found, description) in counted.items():
        expected = lookup(observations, (series_id, PREAMBLE))
        if expected is None:
            rows.append(
                missing_row(
                    f"verdict:{series_id}",
                    [(series_id, PREAMBLE)],
                    description,
                    vocabulary,
                    series=(),
                )
            )
            continue
        passed = close(expected, found)
        note = NO_NOTE
        if series_id == KEY_INDICATORS_COMPLETED_EARLY:
            headlines = table.loc[verdict == COMPLETED, "headline"].tolist()
            note = Text(
                zh=f"评估结论为“已完成目标任务”的是第{'、'.join(map(str, headlines))}项重点指标",
                en=f"已完成目标任务 is the verdict of headlines {', '.join(map(str, headlines))}",
            )
        rows.append(
            check_row(
                f"verdict:{series_id}",
                f"{PREAMBLE}; 一",
                description,
                amount(expected, "项"),
                amount(found, "项"),
                passed,
                note,
            )
        )
    return rows


def headline_sentence_checks(
    observations: pd.DataFrame, series: pd.DataFrame
) -> list[dict[str, object]]:
    """Where a quote holds a key indicator's heading and its sentence ("18、name:sentence"), the
    sentence must not name a different key indicator instead of its own. The check concerns
    the key indicator and any other it names."""
    headlines = pd.to_numeric(series["headline"].replace("", None), errors="coerce")
    keyed = series.assign(headline=headlines).dropna(subset=["headline"])
    own_name = keyed.set_index("series_id")["name_zh"].to_dict()
    series_named = {name: series_id for series_id, name in own_name.items()}
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
            found, passed = Cell(own, own), True
        elif others:
            found, passed = Cell("; ".join(others), "、".join(others)), False
        else:
            found, passed = Cell("(no key indicator named)", "（未提及任何重点指标）"), True
        note = (
            NO_NOTE
            if passed
            else Text(
                zh=f"“{own}”标题下的正文写的却是“{found.zh}”：报告誊写有误，{own}的数值"
                "实际并未给出",
                en=f"the sentence under {own} names {found.en} instead: a copy error in the "
                f"report, so the figure for {own} is not actually stated",
            )
        )
        rows.append(
            check_row(
                f"headline_sentence:{row.section}",
                row.section,
                Text(
                    zh=f"重点指标{row.section}（{own}）标题下的正文应表述本指标，而非其他指标",
                    en=f"the sentence under key indicator {row.section} ({own}) names that "
                    "indicator, not another",
                ),
                Cell(own, own),
                found,
                passed,
                note,
                (row.series_id, *(series_named[name] for name in others if not passed)),
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
    boolean: <NA> when the check cannot be computed for lack of data), note; then the same
    texts in Chinese (description_zh, expected_zh, found_zh, note_zh) and series_ids, the
    series the check concerns, ";"-joined (empty for the checks of the report as a whole)."""
    vocabulary = Vocabulary.of(series)
    rows = (
        sum_checks(observations, SUM_CHECKS, vocabulary)
        + ratio_checks(observations, RATIO_CHECKS, vocabulary)
        + at_most_checks(observations, AT_MOST_CHECKS, vocabulary)
        + at_most_checks(observations, PERIOD_CHECKS, vocabulary)
        + scope_checks(observations, SCOPE_CHECKS, vocabulary)
        + lost_word_checks(observations, LOST_WORD_RULES, vocabulary)
        + name_checks(observations, NAME_CHECKS, vocabulary)
        + repeat_checks(observations, series, vocabulary)
        + relation_checks(observations, relations, vocabulary)
        + increase_checks(observations, vocabulary)
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
