"""show_domain_analysis on the real data: what each domain chapter shows in each language."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

import analysis.book.context as context_module
from analysis.book import analysis_blocks
from analysis.book.analysis_blocks import estimate, show_domain_analysis
from analysis.book.context import ChapterContext
from analysis.inputs.chapters import DOMAIN_CHAPTERS, chapter_named
from analysis.inputs.dataset import Dataset, load_dataset
from analysis.inputs.parameters import Parameters
from analysis.methods import domain
from analysis.methods.results import domain_assessment

PROJECT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(PROJECT)


def shown(
    dataset: Dataset, name: str, tmp_path: Path, monkeypatch, block=show_domain_analysis
) -> list[tuple[str, str]]:
    """(language, text) of every output a block of the chapter displays (its analysis unless
    `block` says otherwise)."""
    outputs: list[tuple[str, str]] = []

    def record(obj, metadata=None) -> None:
        outputs.append((metadata["lang"], getattr(obj, "data", str(obj))))

    monkeypatch.setattr(context_module, "display", record)
    parameters = Parameters()
    context = ChapterContext(
        chapter_named(name),
        dataset,
        parameters,
        domain_assessment(dataset, name, parameters),
        tmp_path / name,
    )
    block(context)
    return outputs


def text_of(outputs: list[tuple[str, str]], language: str) -> str:
    """The visible text of one language's outputs, tags removed and entities read."""
    joined = "\n".join(data for lang, data in outputs if lang == language)
    return html.unescape(re.sub(r"<[^>]+>", " ", joined)).replace("\\", "")


def headers(outputs: list[tuple[str, str]], language: str) -> list[str]:
    joined = "\n".join(data for lang, data in outputs if lang == language)
    return [html.unescape(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", joined, re.S)]


WITH_ANALYSIS = sorted(domain.chapters_with_analysis())
WITHOUT = sorted({c.name for c in DOMAIN_CHAPTERS} - set(WITH_ANALYSIS))


@pytest.mark.parametrize("name", WITH_ANALYSIS)
def test_each_chapter_with_analysis_shows_both_languages(dataset, name, tmp_path, monkeypatch):
    outputs = shown(dataset, name, tmp_path, monkeypatch)
    zh = [data for lang, data in outputs if lang == "zh"]
    en = [data for lang, data in outputs if lang == "en"]
    assert zh and len(zh) == len(en)
    # Chinese headers in the Chinese edition; every header has a Chinese character.
    zh_headers = headers(outputs, "zh")
    assert zh_headers and all(CJK.search(h) for h in zh_headers), zh_headers
    assert not any(CJK.search(h) for h in headers(outputs, "en"))
    # no snake_case code reaches a reader
    for language in ("zh", "en"):
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text_of(outputs, language))
    # every table's data is offered as a CSV
    assert list((tmp_path / name).glob("analysis_*.csv"))


@pytest.mark.parametrize("name", WITHOUT)
def test_a_chapter_without_analysis_shows_nothing(dataset, name, tmp_path, monkeypatch):
    assert shown(dataset, name, tmp_path, monkeypatch) == []


def test_social_assistance_shows_the_computed_numbers(dataset, tmp_path, monkeypatch):
    zh = text_of(shown(dataset, "social_assistance", tmp_path, monkeypatch), "zh")
    # gap 707 - 690 = 17 元; ratio 707/690 = 1.025
    assert "城乡差距由无到有，为17元" in zh
    assert "1.025倍" in zh
    # rural 897 = 1.3 x 690: multiple 1.300, exactly the floor, not above it
    assert "1.300倍，恰好等于1.3倍下限" in zh
    # the projection is labelled, and names the end of 2026 for both (rural: its shortfall
    # stays within rounding, under 0.5 元, until then)
    assert "预测" in zh and "2026年末" in zh and "2024年末" not in zh
    # the zero-base care standards have no multiple
    assert "无从计算：2020年为0元" in zh
    # the province: 625 / 640 = 97.7 %; interpolated 640 + 0.6 x 202 = 761 (an assumption)
    assert "97.7%" in zh and "761元/人·月" in zh and "线性插值" in zh
    # outside figures carry their source
    assert "安徽省民政厅" in zh


def test_the_projection_table_and_its_sentence_say_the_same_of_the_plan_s_end(
    dataset, tmp_path, monkeypatch
):
    outputs = shown(dataset, "social_assistance", tmp_path, monkeypatch)
    zh, en = text_of(outputs, "zh"), text_of(outputs, "en")
    # Rural: 897 x 1.033318^2 / (690 x 1.033530^2) = 1.3 x (1.033318 / 1.033530)^2 = 1.29947
    # at the end of 2025, under the floor by 0.39 元, within the half yuan of rounding: the
    # first year counted below it is 2026, and the table no longer says "not by 2025".
    assert (
        "2026年末（规划期后；2025年末为1.299倍，略低于下限，但差额在报告数值的取整误差之内）" in zh
    )
    assert "at the end of 2025 it is 1.299 ×, below the floor by less than the rounding" in en
    # Urban: 1.42150 x 0.963590^2 = 1.31987, above the floor: not below it by 2025.
    assert "2026年末（规划期后；2025年末前不会）" in zh


def test_a_multiple_just_under_the_floor_is_not_shown_as_the_floor() -> None:
    row = {"multiple_at_horizon": 1.29996, "floor": 1.3}
    # 1.29996 rounds to 1.300 at three decimals and to 1.3000 at four: five are needed.
    assert analysis_blocks.horizon_multiple_text(row, "zh") == "1.29996倍"
    assert analysis_blocks.horizon_multiple_text({**row, "multiple_at_horizon": 1.31}, "zh") == (
        "1.310倍"
    )


def test_elderly_care_keeps_the_approximation_and_the_targets(dataset, tmp_path, monkeypatch):
    outputs = shown(dataset, "elderly_care", tmp_path, monkeypatch)
    zh = text_of(outputs, "zh")
    # 28835 / 77.18 % = about 37361 beds, 37358-37363 by the rounding of 77.18
    assert "约37361张（37358–37363张）" in zh
    # 77.18 - 55 = 22.18 points above the national target; against "over 71 %", at most 6.18
    assert "高出22.18个百分点" in zh
    assert "最多高出6.18个百分点" in zh
    en = text_of(outputs, "en")
    assert "about 37,361 beds" in en and "22.18 points higher" in en
    # the national target is named a target once, not 目标（目标）
    assert "全国养老机构护理型床位占比目标，2025年" in zh and "目标（目标）" not in zh


def test_special_affairs_keeps_the_qualifiers(dataset, tmp_path, monkeypatch):
    zh = text_of(shown(dataset, "special_affairs", tmp_path, monkeypatch), "zh")
    assert "约9365元/人次" in zh  # 约1357万元 / 1449 人次
    assert "逾1992元/人" in zh  # 200多万元 / 1004 人 = 1992.03
    assert "15万元/张" in zh  # 4500万元 / 300 张


def test_a_figure_over_a_number_is_written_as_the_report_writes_it(dataset, tmp_path, monkeypatch):
    """二.(五).4: 总投入超5600多万元; 三.(九): 总投入资金200多万元 (not 5600余万元, 200余万元)."""
    zh = text_of(shown(dataset, "social_organisations", tmp_path, monkeypatch), "zh")
    assert "超5600多万元" in zh and "5600余万元" not in zh
    zh = text_of(shown(dataset, "special_affairs", tmp_path, monkeypatch), "zh")
    assert "200多万元" in zh and "200余万元" not in zh


def test_data_text_is_escaped(dataset, tmp_path, monkeypatch):
    series = dataset.series.copy()
    row = series["series_id"] == "vagrancy_aid_funds"
    series.loc[row, "name_zh"] = "<script>alert(1)</script>资金"
    broken = Dataset(
        series,
        dataset.observations,
        dataset.targets,
        dataset.repairs,
        dataset.relations,
        dataset.report_text,
    )
    outputs = shown(broken, "special_affairs", tmp_path, monkeypatch)
    assert not any("<script>" in data for _, data in outputs)
    assert any("&lt;script&gt;" in data for _, data in outputs)


def test_estimates_are_rounded_and_keep_their_qualifier() -> None:
    assert estimate(9365.079, "元/人次", "zh", "about") == "约9365元/人次"
    # 400余万元 / 3 projects: more than 133.3万元 each. 余 follows the report's round figures;
    # after a computed 133.3 it reads wrongly (133.3余万元), so a computed figure takes 逾.
    assert estimate(1333333.3, "元", "zh", "over") == "逾133.3万元"
    assert estimate(1333333.3, "元", "en", "over") == "over 1,333,000 yuan"  # 4 digits
    assert estimate(float("nan"), "人", "zh", "", 5.0, 7.5) == "5–7.5人"
    assert analysis_blocks.difference_text(-15.0, "元/人·月", "", "zh") == "低15元/人·月"


def test_a_missing_input_is_said_in_words(dataset) -> None:
    row = domain.implied_ratio(
        dataset.observations[dataset.observations["series_id"] != "township_count"],
        domain.RATIOS[1],
    )
    assert analysis_blocks.result_text(row, "zh") == "无从计算：缺少数值"
    assert pd.isna(row["value"])


def test_a_table_s_sections_are_listed_in_the_report_s_order() -> None:
    """Sections gathered from several columns ('一.2', then '一.1') are listed as the report
    numbers them: 一.1、一.2、二.(一).3."""
    got = analysis_blocks.sections_of(pd.Series(["一.2", "一.1"]), pd.Series(["二.(一).3、一.2"]))
    assert got == "一.1、一.2、二.(一).3"


@pytest.mark.parametrize(
    ("name", "zh", "en"),
    [
        # its references are Anhui's standards only
        ("social_assistance", "宿州市与全省的比较", "Suzhou against the province"),
        # Anhui's share of nursing beds and the national target for it
        ("elderly_care", "宿州市与全省、全国的比较", "Suzhou against the province and the nation"),
    ],
)
def test_a_comparison_names_the_levels_it_compares_with(
    dataset, name, zh, en, tmp_path, monkeypatch
) -> None:
    outputs = shown(dataset, name, tmp_path, monkeypatch)
    assert zh in table_titles(outputs, "zh")
    assert en in table_titles(outputs, "en")


def table_titles(outputs: list[tuple[str, str]], language: str) -> list[str]:
    return re.findall(r'<p class="book-title"><strong>(.*?)</strong>', raw(outputs, language))


def raw(outputs: list[tuple[str, str]], language: str) -> str:
    return "\n".join(data for lang, data in outputs if lang == language)


def test_a_table_with_figures_from_outside_the_report_says_where_their_sources_are(
    dataset, tmp_path, monkeypatch
) -> None:
    """The urban-rural gap of the 低保 standards starts in 2015 with the plan document's
    figures; its source line says so, and that the other values are the book's, not that it
    computed growth, projections and statuses (which the table has none of)."""
    outputs = shown(dataset, "social_assistance", tmp_path, monkeypatch)
    zh = raw(outputs, "zh")
    gap = zh[zh.index("城乡低保标准的差距") :]
    source = html.unescape(re.search(r'<p class="book-source">(.*?)<a', gap, re.S)[1])
    assert source.endswith("一.1；报告以外的数值见“来源”列；其余数值为本书据此计算。")


def test_a_chapter_with_one_count_shows_it_in_a_table_not_a_chart_of_one_bar(
    dataset, tmp_path, monkeypatch
) -> None:
    """Social assistance counts only its coordinators: 社会救助协理员1341人 (三.(一).1)."""
    from analysis.book.chart_blocks import show_latest_values

    outputs = shown(dataset, "social_assistance", tmp_path, monkeypatch, show_latest_values)
    zh, en = raw(outputs, "zh"), raw(outputs, "en")
    assert "<img" not in zh + en
    assert "<td>社会救助协理员</td>" in zh and "<td>1341人（2023年）</td>" in zh
    assert "<td>1,341 coordinators (2023)</td>" in en
    assert "实施中期评估报告（2024年4月29日），三.(一).1。" in zh
