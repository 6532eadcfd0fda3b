"""The key findings each chapter opens with: numbers worked out by hand from the report."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.book import key_findings as kf
from analysis.book.blocks import chapter_audit, key_findings_of
from analysis.book.context import open_chapter


@pytest.fixture(scope="module")
def intro():
    return open_chapter("intro")


def test_the_intro_opens_with_the_verdicts_against_what_can_be_checked(intro) -> None:
    findings = key_findings_of(intro)
    assert 3 <= len(findings) <= kf.MAX_FINDINGS
    first = findings[0]
    # By hand from data/targets.csv: published targets for key indicators 5, 7, 9, 10, 16, 17
    # and 18 (7); met by the stated figure: 5 (100 %), 7 (77.18 % >= 55), 10 (34 >= 30), 16 and
    # 17 (100 %) -> 5. Never stated: 1 (a ratio to consumption), 9 (a compliance rate), 15 (an
    # implementation rate) and 18 (its sentence gives indicator 17's figure).
    assert "19项重点指标" in first.text.zh
    assert "可供对照的只有7项" in first.text.zh
    assert "已达到目标的5项" in first.text.zh
    assert "另有4项（第1、9、15、18项）" in first.text.zh
    assert "only 7 have a published numeric target" in first.text.en
    assert first.page == "overview"


def test_the_spread_of_the_standards_by_hand(intro) -> None:
    spread = kf.standards_spread(
        kf.in_report(intro.assessment, intro.dataset.series), intro.dataset.series
    )
    assert spread is not None
    # Dispersed full-care standard 100 -> 501 元/人·月: 501 / 100 = 5.01 times; the urban 特困
    # basic standard 993 -> 1005: 12 / 993 = 1.2 %. They are the largest and smallest multiples.
    assert "分散特困供养对象失能护理标准(全失能)" in spread.text.zh
    assert "5.01倍" in spread.text.zh
    assert "城市特困对象基本生活标准</strong>同期只提高了1.2%" in spread.text.zh
    assert spread.page == "social_assistance" and spread.anchor == "social-assistance-trends"


def test_the_audit_summary_counts_what_the_audit_finds(intro) -> None:
    from analysis.book.blocks import audit_table

    audit = audit_table(intro)
    failed = int((audit["passed"] == False).sum())  # noqa: E712 (a nullable boolean column)
    open_ = int(audit["passed"].isna().sum())
    summary = kf.audit_summary(audit)
    assert f"做了{len(audit)}项" in summary.text.zh
    assert f"其中{failed}项不符，{open_}项" in summary.text.zh
    assert failed > 0 and open_ > 0


def test_a_chapter_with_several_targets_gets_one_sentence_that_counts_them() -> None:
    special = open_chapter("special_affairs")
    found = kf.targets_in_chapter(kf.in_report(special.assessment, special.dataset.series))
    # Targets for indicators 5, 16, 17 (all met at 100 %) and 18 (no figure of its own).
    assert len(found) == 1
    assert "有公开量化目标的4项指标中，按报告数值已达标3项" in found[0].text.zh
    assert (
        "1项报告未给出本身的数值（<strong>重度残疾人护理补贴覆盖率</strong>）" in found[0].text.zh
    )


def test_a_domain_chapter_links_its_findings_to_its_own_sections() -> None:
    social = open_chapter("social_assistance")
    findings = key_findings_of(social)
    anchors = {f.anchor for f in findings if f.page == "social_assistance"}
    assert {"social-assistance-audit", "social-assistance-admitted"} <= anchors
    html_zh = kf.findings_html(findings, "zh", "social_assistance")
    assert 'href="#social-assistance-audit"' in html_zh
    assert "城乡低保等社会救助标准在全省处于落后位次" in html_zh
    # The audit finding counts the chapter's own checks.
    audit = chapter_audit(social)
    assert f"涉及{len(audit)}项一致性核查" in html_zh


def synthetic_rows(name: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "series_id": "a",
                "domain": "children",
                "name_zh": name,
                "name_en": name,
                "unit": "%",
                "n_points": 1,
                "base_date": "2023",
                "latest_date": "2023",
                "base_value": 50.0,
                "latest_value": 50.0,
                "target_value": 60.0,
                "target_comparator": ">=",
                "target_year": 2025,
                "category": "insufficient_data",
            }
        ]
    )


def test_names_from_the_data_are_escaped_in_the_findings() -> None:
    hostile = "<script>alert(1)</script> & *x* | y"
    found = kf.targets_in_chapter(synthetic_rows(hostile))
    page = kf.findings_html(found, "zh", "overview")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *x* | y" in page
    assert "尚未达到目标（2025年≥60%）" in page


def test_single_figures_are_counted_as_facts() -> None:
    rows = synthetic_rows("x")
    fact = kf.single_figures(rows, "children")
    assert "全部1个数据系列" in fact.text.zh
    two = pd.concat([rows, rows.assign(series_id="b", base_date="2020", base_value=40.0)])
    assert "2个数据系列中，有1个" in kf.single_figures(two, "children").text.zh
    assert kf.single_figures(two.iloc[[1]], "children") is None


def test_the_standards_against_the_province_by_hand() -> None:
    from analysis.book.blocks import province_comparisons

    social = open_chapter("social_assistance")
    found = kf.province_finding(
        province_comparisons(social, "social_assistance"), social.dataset.series
    )
    # 2020: 993 / 1167 = 85.1 % (urban 特困) to 625 / 640 = 97.7 % (低保, both areas); the
    # urban 特困 standard at its pace, 1005 x (1005/993)^(2/3) = 1013.1, against the
    # province's 1251 for the end of 2025: 81.0 %.
    assert "4项救助标准全部低于全省，为全省标准的85.1%至97.7%" in found.text.zh
    assert "<strong>城市特困对象基本生活标准</strong>只及全省2025年12月标准的81.0%" in found.text.zh
    assert found.anchor == "social-assistance-analysis"


def test_only_what_can_be_assessed_gets_a_status() -> None:
    from analysis.book.blocks import assessable

    overview = open_chapter("overview")
    shown = set(assessable(overview)["series_id"])
    # a trend (625 -> 707) and a stated figure with a published target (77.18 % vs 55 %): shown;
    # one figure and no target (62 %), a target and no figure (indicator 18), an outside
    # reference and a fact: not shown.
    assert {"dibao_standard_urban", "nursing_bed_share"} <= shown
    assert not shown & {
        "tekun_disabled_centralised_rate",
        "severe_disability_care_subsidy_coverage",
        "anhui_dibao_standard_urban",
        "old_age_allowance_min_age",
    }


def test_a_chapter_s_check_count_says_what_it_leaves_to_the_admitted_problems() -> None:
    """Elderly care: section 五.四 admits two problems bearing on key indicators 7 and 8-9; the
    chapter's "报告承认的问题" table has those two rows, and the count of checks says they are
    counted apart (the data-quality page counts them among its checks)."""
    findings = [f.text.zh for f in key_findings_of(open_chapter("elderly_care"))]
    counted = [text for text in findings if "一致性核查" in text]
    assert len(counted) == 1
    assert (
        "（另有2项是报告第五部分承认的问题与第一部分结论的对照，见“报告承认的问题”）" in counted[0]
    )
    children = [f.text.zh for f in key_findings_of(open_chapter("children"))]
    assert not any("另有" in text for text in children)  # 五 admits nothing about item 6


def test_a_quotation_within_a_quotation_takes_single_marks() -> None:
    """五.四 admits “养老机构“一床难求”与“床位空置”并存”: quoted in a finding, its own marks
    become single ones."""
    texts = [f.text.zh for f in key_findings_of(open_chapter("elderly_care"))]
    admitted = next(text for text in texts if "“存在问题”承认" in text)
    assert "承认“养老机构‘一床难求’与‘床位空置’并存" in admitted
    assert "““" not in admitted and "“一床难求”" not in admitted


def test_an_admission_is_set_beside_the_verdicts_the_report_gave() -> None:
    """五.六 bears on key indicators 11 and 12: the report says 11 达到预期目标 and 12
    已完成目标任务, so the finding says each, not that both were 'completed'."""
    from analysis.book.key_findings import admitted_finding

    finding = admitted_finding({11: "达到预期目标", 12: "已完成目标任务"}, "social_organisations")
    assert finding is not None
    assert "对第11项重点指标的结论为“达到预期目标”，对第12项为“已完成目标任务”" in finding.text.zh
    assert "被判定为已完成" not in finding.text.zh
    english = finding.text.en
    assert "key indicator 11 ‘met expectations’ (达到预期目标)" in english
    assert "key indicator 12 ‘target completed’ (已完成目标任务)" in english
    assert "(much is still lacking in developing community social organisations" in english


def test_the_report_s_verdicts_are_said_in_english_beside_its_words() -> None:
    from analysis.core.report import verdict_text

    assert verdict_text("已完成目标任务", "zh") == "已完成目标任务"
    assert verdict_text("已完成目标任务", "en") == "target completed (已完成目标任务)"
    assert verdict_text("已完成目标任务；达到预期目标", "en") == (
        "target completed (已完成目标任务); met expectations (达到预期目标)"
    )


def test_the_orphan_allowances_against_the_province_s_later_standards_by_hand() -> None:
    """Children: the report gives 2023's allowances only, the province its own for December
    2025 only. 1510 / 1654 = 91.3 % and 1100 / 1213 = 90.7 %, said with the dates apart."""
    from analysis.book.blocks import province_comparisons

    children = open_chapter("children")
    found = kf.later_province_finding(
        province_comparisons(children, "children"), children.dataset.series
    )
    assert found is not None
    assert "相当于全省2025年12月标准（1654元/人·月、1213元/人·月）的91.3%和90.7%" in found.text.zh
    assert "并非同期" in found.text.zh
    assert "91.3 % and 90.7 % of the province's standards for 2025-12" in found.text.en
    assert key_findings_of(children)[0].text == found.text  # the chapter opens with it
    # the province's nursing-bed share is "over 71 %": not a figure to take a ratio of
    elderly = open_chapter("elderly_care")
    assert (
        kf.later_province_finding(
            province_comparisons(elderly, "elderly_care"), elderly.dataset.series
        )
        is None
    )
