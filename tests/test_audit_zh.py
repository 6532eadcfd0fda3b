"""The audit in Chinese: every check has its Chinese texts, written for a Chinese reader (series
by their name_zh, figures with their units, no identifiers or English codes), and names the
series it concerns, so that a chapter can show the checks of its domain."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from test_audit import check, read_csv, read_observations, read_targets

from analysis.methods.audit import (
    AT_MOST_CHECKS,
    LOST_WORD_RULES,
    NAME_CHECKS,
    PERIOD_CHECKS,
    QUALIFIED_VERDICTS,
    RATIO_CHECKS,
    SCOPE_CHECKS,
    SUM_CHECKS,
    UNSTATED_MEASURES,
    run_audit,
    sum_checks,
    zh_date,
    zh_quantity,
)

CHINESE = ["description_zh", "expected_zh", "found_zh", "note_zh"]
# What a Chinese text must not hold: a snake_case identifier (a series or check id), an English
# word or code (no data, up, at_least, yearly), a comparator of the data, a multiplication x.
SNAKE_CASE = re.compile(r"[a-z]+_[a-z_]+")
FOREIGN = re.compile(r"[a-z]+_[a-z_]+|[A-Za-z]{2,}|>=|<=|==|\sx\s")


@pytest.fixture(scope="module")
def audit() -> pd.DataFrame:
    return run_audit(
        read_observations(), read_csv("series.csv"), read_csv("relations.csv"), read_targets()
    )


@pytest.fixture(scope="module")
def series() -> pd.DataFrame:
    return read_csv("series.csv").set_index("series_id")


def foreign(text: str) -> list[str]:
    return FOREIGN.findall(text)


# --------------------------------------------------------------------------- the columns


def test_the_chinese_columns_and_series_ids_come_after_the_english_ones(
    audit: pd.DataFrame,
) -> None:
    assert list(audit.columns)[7:] == [*CHINESE, "series_ids"]
    for column in [*CHINESE, "series_ids"]:
        assert audit[column].map(type).eq(str).all(), column


def test_every_row_has_its_chinese_texts(audit: pd.DataFrame) -> None:
    assert (audit["description_zh"].str.len() > 0).all()
    assert (audit["expected_zh"].str.len() > 0).all()
    assert (audit["found_zh"].str.len() > 0).all()
    # a Chinese note exactly where there is an English one
    has_note = audit["note"].str.len() > 0
    assert has_note.any() and (~has_note).any()
    assert (audit["note_zh"].str.len() > 0).equals(has_note)


def test_every_check_type_is_written_in_chinese(audit: pd.DataFrame) -> None:
    kinds = set(audit["check_id"].str.split(":").str[0])
    assert kinds == {
        "sum",
        "ratio",
        "within",
        "period",
        "scope",
        "lost_word",
        "names",
        "repeat",
        "relation",
        "relation_strict",
        "increase",
        "verdict",
        "headline_sentence",
        "qualified",
        "unstated_measure",
        "verdict_bound",
    }
    for kind, rows in audit.groupby(audit["check_id"].str.split(":").str[0]):
        # a Chinese description is Chinese, not the English one copied over
        assert (rows["description_zh"] != rows["description"]).all(), kind
        assert rows["description_zh"].str.contains(r"[\u4e00-\u9fff]").all(), kind


def test_the_detector_finds_what_the_english_texts_hold(audit: pd.DataFrame) -> None:
    # the English texts name series by their ids and write >= and "no data": the pattern the
    # Chinese texts are held to would find them, so the next test can fail
    english = " ".join(audit["description"]) + " ".join(audit["note"])
    assert SNAKE_CASE.search(english)
    assert foreign("tekun_basic_standard_urban >= 1.3 x dibao_standard_urban") == [
        "tekun_basic_standard_urban",
        ">=",
        " x ",
        "dibao_standard_urban",
    ]
    assert foreign("no data") == ["no", "data"]
    assert foreign("获得3A级以上等级称号的社会组织; 62.5%; ≥55%") == []


@pytest.mark.parametrize("column", CHINESE)
def test_no_identifier_or_english_code_in_a_chinese_text(audit: pd.DataFrame, column: str) -> None:
    bad = {cid: foreign(text) for cid, text in zip(audit["check_id"], audit[column], strict=True)}
    assert {check_id: words for check_id, words in bad.items() if words} == {}


def test_every_definition_carries_its_chinese_text() -> None:
    texts = [item.description for item in (*SUM_CHECKS, *RATIO_CHECKS, *SCOPE_CHECKS)]
    texts += [item.description for item in (*AT_MOST_CHECKS, *PERIOD_CHECKS, *NAME_CHECKS)]
    texts += [item.note for item in (*AT_MOST_CHECKS, *PERIOD_CHECKS) if item.note.en]
    texts += [item.note for item in (*SCOPE_CHECKS, *NAME_CHECKS)]
    texts += [item.why for item in (*QUALIFIED_VERDICTS, *UNSTATED_MEASURES)]
    texts += [item.measure for item in UNSTATED_MEASURES]
    texts += [label for rule in LOST_WORD_RULES for _, label in rule.series]
    for text in texts:
        assert text.zh and text.en and text.zh != text.en, text
        assert not foreign(text.zh), text.zh


# --------------------------------------------------------------------------- series_ids


def test_series_ids_are_known_series(audit: pd.DataFrame, series: pd.DataFrame) -> None:
    named = {sid for ids in audit["series_ids"] for sid in ids.split(";") if sid}
    assert named - set(series.index) == set()
    for ids in audit["series_ids"]:
        assert ids == ids.strip(";") and ";;" not in ids
        assert len(ids.split(";")) == len(set(ids.split(";")))


def test_only_the_checks_of_the_whole_report_name_no_series(audit: pd.DataFrame) -> None:
    unnamed = set(audit.loc[audit["series_ids"] == "", "check_id"])
    assert unnamed == {
        "verdict:one_per_key_indicator",
        "verdict:key_indicators_total",
        "verdict:key_indicators_met",
        "verdict:key_indicators_completed_early",
    }


def test_a_check_named_after_a_series_concerns_it(audit: pd.DataFrame) -> None:
    for prefix in ("repeat", "increase", "verdict_bound"):
        rows = audit[audit["check_id"].str.startswith(f"{prefix}:")]
        assert not rows.empty
        for row in rows.itertuples():
            assert row.series_ids == row.check_id.split(":")[1], row.check_id


def test_every_check_goes_to_a_chapter(audit: pd.DataFrame, series: pd.DataFrame) -> None:
    # what the book will do: each check to the domains of its series
    domains = {
        row.check_id: {series.loc[sid, "domain"] for sid in row.series_ids.split(";") if sid}
        for row in audit.itertuples()
    }
    assert domains["headline_sentence:一.18"] == {"special_affairs"}
    assert domains["repeat:child_director_count:2023:三.(二).2"] == {"children"}
    assert domains["period:road_signs"] == {"divisions_place_names"}
    assert domains["within:rural_community_social_orgs"] == {"social_organisations"}
    assert domains["relation:community_worker_pay_over_average_wage_s2_4_4"] == {"community"}


# --------------------------------------------------------------------------- rows checked by hand


def test_headline_18_in_chinese(audit: pd.DataFrame) -> None:
    # 18、重度残疾人护理补贴覆盖率:困难残疾人生活补贴覆盖率100%… (the sentence of 一.17)
    row = check(audit, "headline_sentence:一.18")
    assert row["description_zh"] == (
        "重点指标一.18（重度残疾人护理补贴覆盖率）标题下的正文应表述本指标，而非其他指标"
    )
    assert row["expected_zh"] == "重度残疾人护理补贴覆盖率"
    assert row["found_zh"] == "困难残疾人生活补贴覆盖率"
    assert row["note_zh"] == (
        "“重度残疾人护理补贴覆盖率”标题下的正文写的却是“困难残疾人生活补贴覆盖率”：报告誊写"
        "有误，重度残疾人护理补贴覆盖率的数值实际并未给出"
    )
    # the indicator of the heading, and the one its sentence names instead
    assert row["series_ids"] == (
        "severe_disability_care_subsidy_coverage;disability_living_subsidy_coverage"
    )
    assert check(audit, "headline_sentence:一.17")["series_ids"] == (
        "disability_living_subsidy_coverage"
    )


def test_the_seven_percent_rule_in_chinese_shows_both_readings(audit: pd.DataFrame) -> None:
    row = check(audit, "lost_word:dibao_rise_7_percent")
    assert pd.isna(row["passed"])
    assert row["description_zh"] == (
        "“城乡低保标准比不低于7%”（二.(一).3）：“不低于”之前缺失一个字，本书按两种理解，"
        "分别以一.1所列低保标准测算"
    )
    assert row["expected_zh"] == "不低于7%"
    # (707/625)^(1/3) - 1 = 4.2 %, (690/625)^(1/3) - 1 = 3.4 %; 707/625 - 1 = 13.1 %,
    # 690/625 - 1 = 10.4 %
    assert row["found_zh"] == (
        "年均增长：城市4.2%，农村3.4%；2020年以来累计增长：城市13.1%，农村10.4%"
    )
    assert row["note_zh"] == (
        "无法核验：规则原文缺字，无法确定其含义。若理解为每年增幅不低于7%，则不符合该规则；"
        "若理解为2020年以来累计增幅不低于7%，则符合该规则"
    )
    assert row["series_ids"] == "dibao_standard_urban;dibao_standard_rural"


def test_failed_checks_in_chinese(audit: pd.DataFrame) -> None:
    trade = check(audit, "sum:trade_associations")  # 8 + 35 + 67 = 110, not 122
    assert (trade["expected_zh"], trade["found_zh"]) == ("122家", "110家")
    assert trade["note_zh"] == "各分项之和为110家，而非122家，相差12家"
    directors = check(audit, "repeat:child_director_count:2023:三.(二).2")
    assert directors["description_zh"] == "同一数字两次表述应一致：村(居)儿童主任（2023年）"
    assert (directors["expected_zh"], directors["found_zh"]) == ("1498人", "1448人")
    # the two statements call the post 儿童主任 and 儿童保护专干: the contradiction rests on
    # reading them as one post, and the note says so
    assert directors["note_zh"] == (
        "首次见于二.(二).2：二.(二).2为1498人，三.(二).2为1448人，报告前后矛盾。"
        "两处名称不同，一处为“儿童主任”，一处为“儿童保护专干”；本书视二者为同一岗位，"
        "即村(居)一级的儿童工作人员，若并非同一岗位，两数不构成矛盾"
    )
    assert "if they are two posts, the figures do not contradict" in directors["note"]
    # 二.(七).1: 千余名残疾人, more than 1000, against 945 named among the clients
    users = check(audit, "within:assistive_rental_disabled_users")
    assert (users["expected_zh"], users["found_zh"]) == ("945人", "1000余名")
    assert users["note_zh"].startswith("1000余名超过945人；")
    assert users["note"].startswith("over 1000 exceeds 945; ")
    strict = check(audit, "relation_strict:tekun_over_dibao_rural_s1_2:2023")  # 1.3 x 690 = 897
    # the strict claim is stated as 高于, not as the rule's 不低于 it is checked beside
    assert strict["description_zh"].startswith(
        "报告用的是“高于”，即须严格大于：农村特困对象基本生活标准应高于农村最低生活保障标准"
        "的1.3倍（报告所述规则：“特困人员生活标准高于"
    )
    assert "不低于" not in strict["description_zh"]
    assert (strict["expected_zh"], strict["found_zh"]) == ("897元/人·月", "897元/人·月")
    # one row per date, told apart by the date in its description
    rule_2020 = check(audit, "relation:tekun_over_dibao_urban_s1_2:2020")["description_zh"]
    rule_2023 = check(audit, "relation:tekun_over_dibao_urban_s1_2:2023")["description_zh"]
    assert rule_2020.endswith("（2020年）") and rule_2023.endswith("（2023年）")
    assert strict["note_zh"] == (
        "2023年：897元/人·月恰好等于下限897元/人·月，符合“不低于”，但并非报告所称的“高于”"
    )
    assert strict["series_ids"] == "tekun_basic_standard_rural;dibao_standard_rural"
    early = check(audit, "verdict:key_indicators_completed_early")
    assert (early["expected_zh"], early["found_zh"]) == ("10项", "13项")
    assert early["note_zh"] == (
        "评估结论为“已完成目标任务”的是第1、2、3、5、6、7、9、13、14、15、16、17、18项重点指标"
    )
    names = check(audit, "names:place_name_sign_rate")
    assert names["found_zh"] == "一.19正文：设置率；三.(十)：设置覆盖率"


def test_checks_that_cannot_be_verified_in_chinese(audit: pd.DataFrame) -> None:
    pay = check(audit, "relation:community_worker_pay_over_average_wage_s2_4_4")
    assert pay["description_zh"].startswith(
        "社区工作者平均薪酬待遇应不低于上年度当地全口径城镇单位就业人员平均工资（"
    )  # a factor of 1 is not written
    assert (pay["expected_zh"], pay["found_zh"]) == ("无数据", "无数据")
    assert pay["note_zh"] == (
        "无法依据报告核验：报告未给出社区工作者平均薪酬待遇、上年度当地全口径城镇单位就业人员"
        "平均工资的数值"
    )
    consumption = check(audit, "relation:tekun_over_consumption_urban_s1_2")
    assert "应不低于上年度当地城镇居民人均消费支出的60%" in consumption["description_zh"]
    marriage = check(audit, "unstated_measure:一.15")
    assert marriage["found_zh"] == "内地居民婚姻登记“跨省通办”：仅有实施时间（2023年6月）"
    assert marriage["note_zh"].startswith("无法核验：报告从未给出该指标本身的数值，却评为“已完成")
    rank = check(audit, "qualified:五.三:一.1")
    assert rank["found_zh"] == "城乡低保等社会救助标准在全省处于落后位次"  # verbatim
    assert rank["series_ids"] == "dibao_standard_urban;dibao_standard_rural"
    scope = check(audit, "scope:community_service_area_per_100_households")
    assert (scope["expected_zh"], scope["found_zh"]) == ("34平方米/百户", "34平方米/百户")
    assert scope["note_zh"].startswith("无法核验：两种口径下数字相同；")


# --------------------------------------------------------------------------- figures in Chinese


def test_figures_are_written_as_the_report_writes_them(audit: pd.DataFrame) -> None:
    assert zh_quantity(45_000_000, "元") == "4500万元"  # 计划总投资4500万元
    assert zh_quantity(155_000_000, "元") == "1.55亿元"
    assert zh_quantity(390_000, "平方米") == "39万平方米"
    assert zh_quantity(23_000, "平方米") == "23000平方米"  # below 10万 as the book's tables
    assert zh_quantity(62.5, "%") == "62.5%"
    assert zh_quantity(919.1, "元/人·月") == "919.1元/人·月"
    assert zh_date("2023") == "2023年" and zh_date("2023-06") == "2023年6月"
    funding = check(audit, "sum:mental_health_facility_funding")
    assert (funding["expected"], funding["expected_zh"]) == (45_000_000, "4500万元")
    coverage = check(audit, "ratio:juvenile_protection_station_coverage")
    assert coverage["found_zh"] == "62.5%"
    assert coverage["note_zh"] == (
        "70÷112×100%=62.5%；允许误差为报告所列数字末位的一半，即0.05个百分点"
    )


def test_the_chinese_texts_follow_the_data() -> None:
    observations = read_observations()
    changed = observations.copy()
    changed.loc[changed["series_id"] == "vagrancy_aid_outside_station", "value"] = 339.0
    vagrancy = [c for c in SUM_CHECKS if c.check_id == "sum:vagrancy_aid"]
    audit = run_audit(changed, read_csv("series.csv"))
    row = check(audit, "sum:vagrancy_aid")
    assert (row["expected_zh"], row["found_zh"]) == ("1449人次", "1450人次")
    assert row["note_zh"] == "各分项之和为1450人次，而非1449人次，相差1人次"
    # without series.csv's units the figure stands alone, and the row is still complete
    bare = sum_checks(changed, vagrancy)[0]
    assert (bare["found_zh"], bare["series_ids"]) == (
        "1450",
        "vagrancy_aid_total;vagrancy_aid_in_station;vagrancy_aid_outside_station",
    )
