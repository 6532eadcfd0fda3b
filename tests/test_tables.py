"""How the book writes numbers and sentences: formatting, verdict checks, comparisons."""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.book.blocks import format_cell, parameter_reference, status_meanings
from analysis.book.key_findings import target_sentence
from analysis.book.tables import (
    date_text,
    format_estimate,
    format_number,
    format_rate,
    observed_value,
    quantity,
    target_text,
    verdict_check,
)
from analysis.core.language import Text
from analysis.core.units import Unit
from analysis.inputs.parameters import Parameters, Thresholds
from analysis.methods.results import compare_results

PROJECT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (28835.0, "张", "28,835"),
        (77.18, "%", "77.18 %"),
        (62.5, "%", "62.5 %"),
        (155000000.0, "元", "155,000,000"),
        (float("nan"), "", "–"),
    ],
)
def test_format_number_keeps_the_stated_precision(value: float, unit: str, text: str) -> None:
    assert format_number(value, unit) == text


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        # Chinese writes money from 1万 in 万/亿 and other quantities from 10万, as the report
        # does ("1.55亿元", "约1357万元", "39万平方米"); percentages with no space.
        (155000000.0, "元", "1.55亿元"),
        (13570000.0, "元", "1357万元"),
        (390000.0, "平方米", "39万平方米"),
        (28835.0, "张", "28835张"),
        (707.0, "元/人·月", "707元/人·月"),
        (77.18, "%", "77.18%"),
        (float("nan"), "元", "–"),
    ],
)
def test_a_chinese_quantity_is_written_as_the_report_writes_it(
    value: float, unit: str, text: str
) -> None:
    assert quantity(value, unit, "zh") == text


def test_dates_are_written_in_the_edition_s_language() -> None:
    assert date_text("2023-06", "zh") == "2023年6月"
    assert date_text("2020", "zh") == "2020年"
    assert date_text("2025-06-30", "zh") == "2025年6月30日"
    assert date_text("2023-06", "en") == "2023-06"


def test_estimates_are_rounded_to_what_they_can_claim() -> None:
    assert format_estimate(767.560018) == "768"
    assert format_estimate(71.6667) == "71.7"
    assert format_estimate(3.14159) == "3.14"


def test_rates_are_signed_percentages() -> None:
    # (707/625)**(1/3) - 1 = 0.041949 -> "+4.2 %"
    assert format_rate(0.041949) == "+4.2 %"
    assert format_rate(-0.156) == "-15.6 %"
    assert format_rate(math.nan) == "–"


def test_observed_values_keep_qualifiers_and_ranges() -> None:
    row = {"value": math.nan, "value_low": 20.0, "value_high": 30.0, "qualifier": ""}
    assert observed_value(row, "平方米/百户", "en") == "20–30 m²/100 households"
    assert observed_value(row, "平方米/百户", "zh") == "20–30平方米/百户"
    wide = {"value": math.nan, "value_low": 200000.0, "value_high": 390000.0, "qualifier": ""}
    assert observed_value(wide, "平方米", "zh") == "20–39万平方米"
    row = {"value": 30.0, "value_low": math.nan, "value_high": math.nan, "qualifier": "over"}
    assert observed_value(row, Unit("家", "organisations"), "en") == "over 30 organisations"
    assert observed_value(row, "家", "zh") == "30余家"
    row = {"value": 13570000.0, "value_low": math.nan, "value_high": math.nan, "qualifier": "about"}
    assert observed_value(row, "元", "zh") == "约1357万元"


def result_row(**changes: object) -> dict:
    row = {
        "series_id": "s",
        "name_en": "Share of nursing-type beds",
        "name_zh": "养老护理型床位占比",
        "unit": "%",
        "n_points": 1,
        "base_date": "2023",
        "latest_date": "2023",
        "base_value": 77.18,
        "latest_value": 77.18,
        "cagr": math.nan,
        "cagr_reason": "undefined: one observation",
        "annual_change": math.nan,
        "target_value": 55.0,
        "target_comparator": ">=",
        "target_year": 2025,
        "projected_value": math.nan,
        "projected_low": math.nan,
        "projected_high": math.nan,
        "interval_kind": "none",
        "category": "target_achieved",
        "flags": "",
    }
    row.update(changes)
    return row


def test_key_indicator_18_is_not_supported_by_indicator_17s_figure() -> None:
    # 一.18's sentence gives 困难残疾人生活补贴覆盖率 (indicator 17's measure), so the report states
    # no figure of indicator 18's own: its verdict cannot be checked, although a target exists.
    results = pd.read_csv(PROJECT / "results" / "indicators.csv", dtype={"headline": "Int64"})
    row = results.set_index("series_id").loc["severe_disability_care_subsidy_coverage"]
    assert row["headline"] == 18 and row["target_value"] == 100
    assert verdict_check(row, "en") == "cannot be checked: the report states no figure"
    assert verdict_check(row, "zh").startswith("无法核验")
    assert observed_value({"qualifier": "not_stated", "value": None}, "%", "zh") == (
        "报告未给出本指标的数值"
    )


def test_verdict_check_needs_a_published_target() -> None:
    assert verdict_check(result_row(), "en").startswith("supported")
    no_target = result_row(target_value=math.nan, category="insufficient_data")
    assert verdict_check(no_target, "en") == "cannot be checked: no published 2025 target"
    behind = result_row(latest_value=50.0, category="limited_progress")
    assert verdict_check(behind, "en").startswith("not supported yet")
    assert verdict_check(behind, "zh").startswith("暂无数据支持")


def test_a_verdict_without_a_stated_figure_cannot_be_checked() -> None:
    # Key indicator 9 has a target but the report states no figure of it: not "not met".
    unstated = result_row(n_points=0, latest_value=math.nan, category="not_assessed")
    assert verdict_check(unstated, "en") == "cannot be checked: the report states no figure"


def test_a_finding_states_the_numbers_of_its_row() -> None:
    sentence = target_sentence(result_row())
    assert "77.18 %" in sentence.en and "养老护理型床位占比" in sentence.en
    assert "≥ 55 % by 2025" in html.unescape(sentence.en) and "already meeting" in sentence.en
    chinese = html.unescape(sentence.zh)
    assert "2023年为77.18%" in chinese and "已达到目标（2025年≥55%）" in chinese


def test_a_target_reads_in_each_language() -> None:
    assert target_text(result_row(), "zh") == "2025年≥55%"
    assert target_text(result_row(), "en") == "≥ 55 % by 2025"


def test_every_status_category_has_a_meaning_in_the_legend() -> None:
    from analysis.methods.progress import LABELS

    assert set(status_meanings(Thresholds())) == set(LABELS)


def test_status_meanings_follow_the_thresholds_in_force() -> None:
    meanings = status_meanings(Thresholds(on_track=0.9))
    assert "(ratio ≥ 0.9)" in meanings["on_track"].en and "进展比 ≥ 0.9" in meanings["on_track"].zh
    assert "1.5%" in status_meanings(Thresholds())["substantial_progress"].en


def test_parameter_reference_lists_every_key_with_a_meaning() -> None:
    reference = parameter_reference()
    expected = {name for name in Parameters.model_fields if name != "thresholds"}
    expected |= {f"thresholds.{name}" for name in Thresholds.model_fields}
    assert set(reference["key"]) == expected
    assert (reference["meaning"].str.len() > 0).all()


def test_format_cell() -> None:
    assert format_cell(122.0, "en") == "122"
    assert format_cell(1234.0, "en") == "1,234" and format_cell(1234.0, "zh") == "1234"
    assert format_cell("no data", "en") == "no data"


def test_compare_results_reports_each_difference_by_series_and_column() -> None:
    published = pd.DataFrame({"series_id": ["a", "b"], "v": [1.0, np.nan], "s": ["x", "y"]})
    recomputed = pd.DataFrame({"series_id": ["a", "c"], "v": [1.0 + 1e-13, 2.0], "s": ["z", "y"]})
    differences = compare_results(published, recomputed)
    assert set(map(tuple, differences[["series_id", "column"]].to_numpy())) == {
        ("a", "s"),
        ("b", "(row)"),
        ("c", "(row)"),
    }
    assert compare_results(published, published.copy()).empty


def test_a_value_is_shown_as_the_report_states_it_with_its_period() -> None:
    from analysis.book.context import open_chapter
    from analysis.book.tables import dated

    special = open_chapter("special_affairs")
    rows = special.assessment.set_index("series_id")
    observations = special.observations()
    # 二.(七).2: 2021年以来 the stations aided 1449 person-times: a total of 2021 to 2023.
    total = rows.loc["vagrancy_aid_total"].to_dict() | {"series_id": "vagrancy_aid_total"}
    assert dated(total, "latest", "zh", observations).endswith("（2021年以来累计）")
    assert dated(total, "latest", "en", observations).endswith("(total since 2021)")
    # 千余名: over 1000, the qualifier kept beside the number.
    users = rows.loc["assistive_device_rental_disabled_users"].to_dict()
    users["series_id"] = "assistive_device_rental_disabled_users"
    assert dated(users, "latest", "zh", observations).startswith("1000余")
    elderly = open_chapter("elderly_care")
    # 一.9 states 20–30 平方米 per hundred households: the range, not its midpoint 25.
    area = elderly.assessment.set_index("series_id").loc["elderly_facility_area_standard_new"]
    area = area.to_dict() | {"series_id": "elderly_facility_area_standard_new"}
    assert dated(area, "latest", "zh", elderly.observations()) == "20–30平方米/百户（2023年）"


def test_the_english_audit_names_series_in_words_not_codes() -> None:
    import re

    from analysis.book.blocks import audit_display, audit_table, english_names
    from analysis.book.context import open_chapter

    quality = open_chapter("data_quality")
    audit = audit_table(quality)
    assert audit["description"].str.contains("tekun_basic_standard_urban").any()  # the codes
    shown = audit_display(audit, "en", True, english_names(quality))
    text = " ".join(shown.astype(str).agg(" ".join, axis=1))
    assert re.findall(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", text) == []
    assert ">=" not in text and "Urban basic living standard for persons in extreme poverty" in text


def test_every_parameter_has_its_meaning_in_chinese() -> None:
    from analysis.book.blocks import PARAMETER_MEANINGS_ZH, reference_display

    reference = parameter_reference()
    assert set(reference["key"]) == set(PARAMETER_MEANINGS_ZH)
    shown = reference_display(reference, "zh")
    meanings = shown.iloc[:, -1]
    assert meanings.notna().all() and all(re.search(r"[\u4e00-\u9fff]", m) for m in meanings)


def test_every_parameter_and_named_value_has_words() -> None:
    """Readers see a parameter by its name and a named value (mid, logit) in words: every key
    and every Literal option of the parameter model has them in both languages."""
    from analysis.book.parameter_words import PARAMETER_NAMES, VALUE_WORDS, named_values

    assert set(parameter_reference()["key"]) == set(PARAMETER_NAMES)
    assert named_values() <= set(VALUE_WORDS)
    for words in [*PARAMETER_NAMES.values(), *VALUE_WORDS.values()]:
        assert words.en and re.search(r"[\u4e00-\u9fff]", words.zh)


def test_the_parameter_file_reference_shows_keys_and_named_values_as_code() -> None:
    from analysis.book.blocks import parameter_file_display

    shown = parameter_file_display(parameter_reference(), "en")
    assert shown.iloc[:, 1].str.fullmatch(r"<code>[a-z_.]+</code>").all()
    range_rule = shown[shown.iloc[:, 1] == "<code>range_rule</code>"].iloc[0]
    assert (
        range_rule.iloc[0] == "Value taken from a range"
        and range_rule.iloc[2] == "<code>mid</code>"
    )
    assert "<code>low</code>, <code>mid</code> or <code>high</code>" in range_rule.iloc[3]


# The data files' citations and reasons, in the edition's language --------------------------

NATIONAL_PLAN_ZH = (
    "《“十四五”民政事业发展规划》（民发〔2021〕51号），"
    "民政部、国家发展改革委，2021年5月；约束性指标"
)
NATIONAL_PLAN_EN = (
    "《“十四五”民政事业发展规划》, 民发〔2021〕51号, 民政部 and 国家发展改革委, 2021-05 "
    "(binding target)"
)
SUZHOU_PLAN_ZH = (
    "《宿州市“十四五”民政事业发展规划》（宿民发〔2022〕86号），宿州市民政局、"
    "宿州市发展和改革委员会，2022年12月12日印发"
)


@pytest.fixture(scope="module")
def dataset():
    from analysis.inputs.dataset import load_dataset

    return load_dataset(PROJECT)


def test_the_targets_table_cites_each_target_in_the_editions_language(dataset) -> None:
    from analysis.book.blocks import targets_table

    rows = dataset.targets["series_id"] == "vagrant_return_rate"
    zh = targets_table(dataset.targets[rows], dataset.series, "zh")
    en = targets_table(dataset.targets[rows], dataset.series, "en")
    assert zh["出处"].tolist() == [NATIONAL_PLAN_ZH]
    assert en["Source"].tolist() == [NATIONAL_PLAN_EN]


def test_outside_figures_are_cited_in_chinese_in_the_chinese_edition(dataset) -> None:
    from analysis.book.charts import source_text
    from analysis.book.tables import observations_table

    urban = dataset.observations[dataset.observations["series_id"] == "dibao_standard_urban"]
    zh = source_text(urban, ["dibao_standard_urban"], language="zh")
    en = source_text(urban, ["dibao_standard_urban"], language="en")
    assert SUZHOU_PLAN_ZH in zh and "宿州市民政局 and" not in zh
    assert "宿民发〔2022〕86号, 宿州市民政局 and 宿州市发展和改革委员会, issued 2022-12-12" in en
    table = observations_table(urban, dataset.series, "zh")
    assert set(table["来源"]) == {"评估报告", next(s for s in table["来源"] if "宿民发" in s)}
    assert any(s.startswith(SUZHOU_PLAN_ZH) for s in table["来源"])


def test_the_reference_comparison_cites_the_province_in_chinese(dataset) -> None:
    from analysis.methods import domain

    comparisons = domain.reference_comparisons(
        dataset.observations, pd.DataFrame(columns=["series_id", "projected_value"]), 2025
    )
    assert len(comparisons)
    assert comparisons["reference_source_zh"].str.contains("安徽省民政厅，").any()
    assert not comparisons["reference_source_zh"].str.contains(" and ").any()
    gap = domain.dibao_gap(dataset.observations)
    outside = gap[gap["source"] != "report"]
    assert outside["source_zh"].str.startswith(SUZHOU_PLAN_ZH).all()
    assert (gap.loc[gap["source"] == "report", "source_zh"] == "").all()


def test_the_repairs_table_gives_the_reason_in_the_editions_language(dataset) -> None:
    from analysis.book.blocks import repairs_table

    row = dataset.repairs[dataset.repairs["damaged"] == "202074日"]
    assert repairs_table(row, "zh")["依据"].tolist() == ["脱漏“年”“月”二字"]
    assert repairs_table(row, "en")["Reason"].tolist() == ["年 and 月 lost"]
    assert dataset.repairs["reason_zh"].str.contains(r"[\u4e00-\u9fff]").all()


def test_the_chinese_repairs_table_reads_in_chinese(dataset) -> None:
    """No English remark ("(probably)", "(date 2023-06)", "unknown: ...") and no name of a data
    column in the Chinese edition's table; the English one keeps its remarks."""
    from analysis.book.blocks import repairs_table

    chinese = repairs_table(dataset.repairs, "zh")
    for column in ("释读", "依据"):
        latin = chinese[column].str.extract(r"([A-Za-z]{2,})")[0].dropna()
        assert latin.empty, latin.tolist()
    row = repairs_table(dataset.repairs[dataset.repairs["damaged"] == "兼职面积"], "zh")
    assert row["释读"].tolist() == ["建筑面积（推测）"]
    english = repairs_table(dataset.repairs[dataset.repairs["damaged"] == "兼职面积"], "en")
    assert english["Reading"].tolist() == ["建筑面积 (probably)"]


def test_a_cards_target_is_cited_in_the_editions_language() -> None:
    from analysis.book.tables import target_source

    results = pd.read_csv(PROJECT / "results" / "indicators.csv", dtype={"headline": "Int64"})
    row = results[results["series_id"] == "vagrant_return_rate"].iloc[0].to_dict()
    assert target_source(row, "zh") == NATIONAL_PLAN_ZH
    assert target_source(row, "en") == NATIONAL_PLAN_EN


def test_chinese_qualifiers_sit_where_chinese_puts_them() -> None:
    from analysis.book.tables import observed_value

    nan = float("nan")

    def shown(value: float, unit: str, qualifier: str) -> str:
        row = {"value": value, "value_low": nan, "value_high": nan, "qualifier": qualifier}
        return observed_value(row, unit, "zh")

    # 以上 after the unit (300平方米以上; 55%以上), 余 between the number and its measure
    # word (5600多万元 is 5600余万元), "above 71 %" as 超过71%
    assert shown(300, "平方米", "at_least") == "300平方米以上"
    assert shown(55, "%", "at_least") == "55%以上"
    assert shown(56000000, "元", "over") == "5600余万元"
    assert shown(71, "%", "over") == "超过71%"
    assert shown(30, "家", "over") == "30余家"


def test_an_outside_figure_is_never_shown_as_the_report_s_words(dataset) -> None:
    """The 2015 低保 standard comes from the plan document, whose words the project records in
    English: the Chinese edition says where it comes from instead of quoting it, the English one
    marks it; the report's own figures keep their quotes."""
    from analysis.book.tables import figures_heading, observations_table

    rows = dataset.observations[dataset.observations["series_id"] == "dibao_standard_urban"]
    outside = rows["source"] != "report"
    assert outside.any() and (~outside).any()
    chinese = observations_table(rows, dataset.series, "zh")
    english = observations_table(rows, dataset.series, "en")
    assert set(chinese.loc[outside.to_numpy(), "原文"]) == {
        "（外部资料，非报告原文；出处见“来源”栏）"
    }
    assert chinese.loc[outside.to_numpy(), "来源"].str.contains("宿州市民政局").all()
    # not stated in a section of the report: set beside one
    assert set(chinese.loc[outside.to_numpy(), "报告章节"]) == {"（对应报告一.1）"}
    assert set(english.loc[outside.to_numpy(), "Section"]) == {"(for 一.1)"}
    assert set(chinese.loc[(~outside).to_numpy(), "报告章节"]) == {"一.1"}
    assert english.loc[outside.to_numpy(), "Quote"].str.startswith("(outside the report) ").all()
    # one sentence states 2020 and 2023: quoted once, then 同上 (as above)
    report = rows.loc[~outside, "quote"].tolist()
    assert len(report) == 2 and report[0] == report[1]
    assert chinese.loc[(~outside).to_numpy(), "原文"].tolist() == [report[0], "同上"]
    assert english.loc[(~outside).to_numpy(), "Quote"].tolist() == [report[0], "as above"]
    heading = figures_heading(rows, Text("数值", "The figures"))
    assert heading.zh == "数值（报告数值原文照录，外部资料注明出处）"
    assert figures_heading(rows[~outside], Text("数值", "The figures")).zh == "数值（原文照录）"


def test_a_rule_met_exactly_says_why_the_report_s_higher_than_fails(dataset) -> None:
    """Rural 特困 897 = 1.3 x 690 低保: the rule 不低于 (二.(一).3) holds; 一.2 says 高于
    (higher than), which the audit finds not met. The table says both, in each edition."""
    from analysis.book.blocks import relations_table
    from analysis.inputs.parameters import Parameters
    from analysis.methods.results import relation_results

    relations = relation_results(dataset, Parameters())
    rural = relations[relations["relation_id"].str.startswith("tekun_over_dibao_rural")]
    chinese = relations_table(rural, dataset.series, "zh")
    english = relations_table(rural, dataset.series, "en")
    by_section = dict(zip(chinese["报告章节"], chinese["目前是否成立"], strict=True))
    assert by_section["一.2"] == "是（恰好等于下限：符合“不低于”，但报告称“高于”，见本章核查）"
    assert by_section["二.(一).3"] == "是"
    assert english["Holds now"].str.startswith("yes").all()
    assert english["Holds now"].str.contains("exactly at the bound").sum() == 1
    # margins carry the unit of the rule's left side: 897 - 1.3 x 690 = 0 元/人·月
    assert set(chinese["目前差额"]) == {"0元/人·月"}


def test_a_figure_keeps_the_report_s_notation_of_ten_thousands(dataset) -> None:
    """全市社会组织专职工作人员数量为2.1万人 is shown as 2.1万人, not 21000人; 信息1万余条 keeps its
    余 after 万; the English edition writes the number out."""
    from analysis.book.tables import observed_value

    rows = dataset.observations.merge(dataset.series[["series_id", "unit"]], on="series_id")
    staff = rows[rows["series_id"] == "social_org_fulltime_staff"].iloc[0]
    entries = rows[rows["series_id"] == "place_name_database_entries"].iloc[0]
    assert observed_value(staff, "人", "zh") == "2.1万人"
    assert observed_value(staff, staff["unit"], "en") == "21,000 staff"  # series.csv unit_en
    assert observed_value(entries, "条", "zh") == "1万余条"


def test_a_figure_dated_by_its_quarter_shows_the_quarter() -> None:
    """97.9 %, 2023年第一季度 in 三.(十), is dated 2023-03 in the data (the quarter's end)."""
    from analysis.book.tables import period_text

    note = "2023年第一季度 -> 2023-03 (end of the quarter); same figure as 一.19"
    assert period_text("2023-03", note, "zh") == "2023年第一季度"
    assert period_text("2023-03", note, "en") == "2023 Q1"
    assert period_text("2023-06", note, "zh") == "2023年6月"  # a note about another date
    assert period_text("2023-03", "", "zh") == "2023年3月"


def test_a_figure_the_report_does_not_date_says_so() -> None:
    """二.(五).4's epidemic-control figures have no date in the report; the data take 2023 by
    the dates rule and note 'undated'. A note that the report dates it elsewhere is a date."""
    from analysis.book.tables import period_text

    for note in ("undated", "undated; the work was earlier", "5600多万元 -> 56000000 元; undated"):
        assert period_text("2023", note, "zh") == "报告未注明时间"
        assert period_text("2023", note, "en") == "undated in the report"
    dated_elsewhere = "undated in 一.19; the report dates the same figure 2023年第一季度 in 三.(十)"
    assert period_text("2023-03", dated_elsewhere, "zh") == "2023年第一季度"
    assert period_text("2023", "", "zh") == "2023年"


def test_the_figures_table_dates_a_figure_as_the_status_table_does() -> None:
    """地名标志设置率 97.9 % is 2023年第一季度 in the report (dated 2023-03 in the data), and the
    epidemic-control count has no date: the table of figures says so, as the status table."""
    from analysis.book.tables import observations_table
    from analysis.inputs.dataset import load_dataset

    dataset = load_dataset(PROJECT)
    rows = dataset.observations[
        dataset.observations["series_id"].isin(
            ["place_name_sign_rate", "city_social_orgs_in_epidemic_volunteering"]
        )
    ]
    dates = set(observations_table(rows, dataset.series, "zh")["时间"])
    assert {"2023年第一季度", "报告未注明时间"} <= dates and "2023年3月" not in dates


def test_a_source_line_names_each_section_once_in_the_report_s_order() -> None:
    """Checks' sections ('一.1', '一.1; 二.(一).3', ...) gave '一.1；一.1; 二.(一).3；一.2；…'."""
    from analysis.book.tables import distinct_sections

    sections = pd.Series(["一.2", "一.1; 二.(一).3", "一.1", "二.(十).1", "二.(二).3"])
    assert distinct_sections(sections) == "一.1、一.2、二.(一).3、二.(二).3、二.(十).1"


def test_a_projection_carries_its_unit() -> None:
    """(707 / 625) ** (1 / 3) - 1 = 4.19 % a year carried on to 2025 is about 768 元/人·月: the
    projection says so, with its unit, as the base and latest values do."""
    from analysis.book.tables import projection_text

    row = {
        "projected_value": 767.56,
        "unit": "元/人·月",
        "interval_kind": None,
        "projected_low": float("nan"),
        "projected_high": float("nan"),
        "flags": "",
    }
    assert projection_text(row, "zh") == "768元/人·月"
    assert projection_text(row, "en") == "768 yuan/person/month"
    assert projection_text({**row, "projected_value": 71.667, "unit": "%"}, "zh") == "71.7%"


def test_a_wide_table_is_marked_for_cards_on_a_phone_with_its_cells_labelled() -> None:
    """From five columns (or four with a sentence in a cell), each body cell names its column
    (data-label), which the phone's card layout shows; narrow tables stay tables."""
    from analysis.book.context import CARDS, card_layout, with_cell_labels

    wide = pd.DataFrame({h: ["<b>x</b>"] for h in ["指标", "基期", "最新", "目标", "状态"]})
    narrow = pd.DataFrame({"指标": ["a"], "数值": ["1"]})
    sentence = pd.DataFrame({h: ["short"] for h in "abc"} | {"d": ["a sentence " * 3]})
    assert card_layout(wide) and card_layout(sentence) and not card_layout(narrow)
    labelled = with_cell_labels(wide.to_html(index=False), list(wide.columns), "zh")
    cells = re.findall(r'<td data-label="([^"]*)">([^<]*)', labelled)
    assert [label for label, _ in cells] == ["指标：", "基期：", "最新：", "目标：", "状态："]
    assert all(value == "&lt;b&gt;x&lt;/b&gt;" for _, value in cells)  # still escaped
    assert "<th>指标</th>" in labelled  # the header row stays
    assert CARDS == "book-cards"


def test_the_implied_bounds_name_the_indicator_and_give_units() -> None:
    """Each row names its key indicator with its number (a phone shows the first cell as the
    card's heading: '1. 城市最低生活保障标准', not '1'), and the figures carry their unit."""
    from analysis.book.blocks import bounds_table
    from analysis.book.context import open_chapter
    from analysis.methods.verdicts import implied_bounds

    overview = open_chapter("overview")
    dataset = overview.dataset
    bounds = implied_bounds(overview.observations_in_force(), dataset.series, dataset.targets)
    table = bounds_table(bounds, dataset.series, "zh")
    first = table.iloc[0]
    assert first["重点指标"] == "1. 城市最低生活保障标准"
    assert first["报告所载数值"] == "707元/人·月（2023年）"  # 一.1: 提高到目前每人每月707元
    assert first["结论隐含的上限（非目标）"] == "2025年目标不高于707元/人·月"


def test_the_chinese_source_line_cites_the_report_in_chinese_punctuation() -> None:
    """'宿州市民政局, 《…》实施中期评估报告 (2024-04-29)' was the English form in both editions."""
    from analysis.book.charts import source_text
    from analysis.book.context import source_line

    chinese = source_line("一.1", "downloads/x.csv", "zh", computed=False)
    assert (
        "资料来源：宿州市民政局《宿州市“十四五”民政事业发展规划》实施中期评估报告（2024年4月29日）"
        in chinese
    )
    assert ", 《" not in chinese and "(2024-04-29)" not in chinese
    # the English edition cites it in English, its readers' language
    english = html.unescape(source_line("一.1", "downloads/x.csv", "en", computed=False))
    assert (
        "Source: Suzhou Civil Affairs Bureau, Mid-term evaluation of Suzhou's 14th five-year "
        "civil-affairs development plan (2024-04-29), section 一.1." in english
    )
    empty = pd.DataFrame(columns=["series_id", "source", "section", "source_zh"])
    assert "（2024年4月29日）" in source_text(empty, language="zh")


def test_the_english_source_line_lists_sections_with_commas() -> None:
    from analysis.book.context import source_line

    english = source_line("一.1、二.(一).3", "downloads/x.csv", "en", computed=False)
    assert "一.1, 二.(一).3" in english and "、" not in english
    assert "一.1、二.(一).3" in source_line("一.1、二.(一).3", "downloads/x.csv", "zh", False)


def test_the_series_dictionary_says_its_codes_in_words() -> None:
    """The data appendix's dictionary of series shows each series' code (the CSVs' identifier)
    and, in words, its chapter, unit, kind and direction; no other code reaches the reader."""
    from analysis.book.blocks import series_dictionary
    from analysis.inputs.dataset import load_dataset

    series = load_dataset(PROJECT).series
    chinese = series_dictionary(series, "zh").set_index("代码")
    dibao = chinese.loc["dibao_standard_urban"]
    assert (dibao["所在章节"], dibao["单位"], dibao["类型"], dibao["方向"]) == (
        "社会救助",
        "元/人·月",
        "政策标准",
        "越高越好",
    )
    english = series_dictionary(series, "en").set_index("Code")
    assert english.loc["dibao_standard_urban", "Unit"] == "yuan/person/month (元/人·月)"
    assert english.loc["dibao_standard_urban", "Chapter"] == "Social assistance"
    outlets = english.loc["welfare_lottery_outlets"]
    assert (outlets["Unit"], outlets["Kind"]) == ("outlets (个)", "count")
    # no code in the chapter, unit, kind and direction columns (English 'count' is a word)
    snake_case = re.compile(r"^[a-z]+(_[a-z]+)+$")
    for frame in (chinese, english):
        shown = frame.drop(columns=[frame.columns[0], frame.columns[1]]).to_numpy().ravel()
        assert not [cell for cell in shown if snake_case.match(str(cell))]
    assert not [cell for cell in chinese.to_numpy().ravel() if re.fullmatch(r"[a-z]+", str(cell))]


def test_a_published_target_beside_an_implied_bound_keeps_its_unit() -> None:
    """护理型床位占比: the national target is ≥ 55 %, not '≥ 55' (民发〔2021〕51号)."""
    from analysis.book.blocks import bounds_table
    from analysis.inputs.dataset import load_dataset
    from analysis.methods.verdicts import implied_bounds

    dataset = load_dataset(PROJECT)
    bounds = implied_bounds(dataset.observations, dataset.series, dataset.targets)
    beds = bounds["series_id"] == "nursing_bed_share"
    chinese = bounds_table(bounds, dataset.series, "zh")[beds.to_numpy()].iloc[0]
    english = bounds_table(bounds, dataset.series, "en")[beds.to_numpy()].iloc[0]
    assert chinese["已公布目标"] == "≥55%"
    assert english["Published target"] == "≥ 55 %"
    assert english["Report's verdict"] == "target completed (已完成目标任务)"


def test_a_series_stated_at_one_date_has_no_base_in_the_status_table() -> None:
    """养老护理型床位占比 is stated for 2023 only: its one figure is the latest, and the base
    column says there is none, rather than 77.18% (2023) beside 77.18% (2023)."""
    from analysis.book.tables import MISSING, status_table

    row = {
        "series_id": "nursing_bed_share", "name_zh": "养老护理型床位占比",
        "name_en": "Share of nursing-type beds", "unit": "%", "n_points": 1,
        "base_date": "2023", "base_value": 77.18, "latest_date": "2023", "latest_value": 77.18,
        "annual_change": None, "cagr": None, "cagr_reason": "undefined: one observation",
        "target_year": 2025, "target_comparator": ">=", "target_value": 55.0,
        "projected_value": None, "projected_low": None, "projected_high": None,
        "category": "target_achieved", "midterm_label": "ahead", "flags": "",
    }  # fmt: skip
    table = status_table(pd.DataFrame([row]), "zh")
    assert table.loc[0, "基期"] == MISSING
    assert table.loc[0, "最新"] == "77.18%（2023年）"


def test_a_table_of_the_book_s_own_cites_the_book_not_the_report() -> None:
    """The table of the chapters' parameters read '资料来源：…评估报告…，不适用（本书参数）'."""
    from analysis.book.context import source_line
    from analysis.core.language import Text

    own = Text("本书的参数定义（parameters.py）", "the book's parameters (parameters.py)")
    chinese = source_line("", "downloads/x.csv", "zh", computed=False, own=own)
    assert chinese.startswith('<p class="book-source">资料来源：本书的参数定义（parameters.py）。')
    assert "评估报告" not in chinese
    english = source_line("", "downloads/x.csv", "en", computed=False, own=own)
    assert english.startswith('<p class="book-source">Source: the book&#x27;s parameters')
