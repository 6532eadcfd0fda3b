"""The data offered beside each table and chart, in each edition's language.

Every table's data is written once as `<name>.csv` with the codes as headers (as the results
and the data package use them). The Chinese edition offers `<name>.zh.csv` beside it: the same
rows with Chinese headers, in UTF-8 with a byte-order mark so that Excel on a Chinese Windows
opens it without mojibake. `codebook.zh.csv` in each chapter's folder gives, for every column,
its Chinese header, its code and what it holds. Once the chapter has executed, its tables are
also gathered into one workbook per edition (`<chapter>.zh.xlsx`, `<chapter>.xlsx`): a contents
sheet, a sheet per table with headers in the edition's language, and the codebook.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePath
from typing import TypeVar

import pandas as pd

from analysis.core.language import Language, Text

# Every column a chapter's download can have: its Chinese header and what it holds in English.
COLUMN_LABELS: dict[str, Text] = {
    "admitted_in": Text("承认问题所在章节", "section of 五 where the problem is admitted"),
    "agrees": Text("与报告所载是否一致", "whether it agrees with the report's own figure"),
    "annual_change": Text("年均变化量", "average change per year, in the series' unit"),
    "area": Text("城乡", "urban or rural"),
    "base": Text("基期值", "value at the base"),
    "base_date": Text("基期日期", "date of the base value"),
    "base_value": Text("基期值", "value at the base"),
    "basis": Text("依据", "how the figure was obtained (stated, projected, interpolated)"),
    "bound": Text("上限", "upper bound of the quantity (100 for a percentage)"),
    "cagr": Text("年均复合增长率", "compound annual growth rate, a fraction"),
    "cagr_reason": Text("增长率无法计算的原因", "why the growth rate is undefined"),
    "category": Text("进展状态（Open SDG方法）", "Open SDG / Statistics Canada category"),
    "chapter": Text("章节", "chapter of the book"),
    "check_id": Text("核查编号", "identifier of the check"),
    "comparator": Text("比较方式", "comparator of a rule or target"),
    "consistent": Text("是否一致", "whether the two agree"),
    "crossing_t": Text("跌破下限的时点（预测）", "projected moment of crossing, fractional year"),
    "damaged": Text("受损原文", "the damaged text as published"),
    "date": Text("日期", "date (the end of its period)"),
    "default": Text("默认值", "default value"),
    "denominator": Text("分母", "denominator"),
    "denominator_date": Text("分母日期", "date of the denominator"),
    "denominator_high": Text("分母上限", "high end of the denominator's range"),
    "denominator_low": Text("分母下限", "low end of the denominator's range"),
    "denominator_qualifier": Text("分母限定词", "qualifier of the denominator"),
    "denominator_section": Text("分母所在章节", "section of the denominator"),
    "denominator_series": Text("分母指标", "series of the denominator"),
    "description": Text("核查内容（英文）", "what is checked"),
    "description_zh": Text("核查内容", "what is checked, in Chinese"),
    "dibao": Text("低保标准", "minimum living allowance standard"),
    "dibao_at_year": Text("当年低保标准（预测）", "projected 低保 standard that year"),
    "dibao_cagr": Text("低保标准年均增速", "compound growth of the 低保 standard"),
    "dibao_latest": Text("最新低保标准", "latest 低保 standard"),
    "dibao_section": Text("低保标准所在章节", "section of the 低保 standard"),
    "difference": Text("差额", "difference"),
    "difference_qualifier": Text("差额限定词", "qualifier of the difference"),
    "differs_across_scenarios": Text(
        "是否因情景而异", "whether its projection, status or required growth differs by scenario"
    ),
    "direction": Text("预期方向", "direction of good progress"),
    "domain": Text("领域", "domain of the report"),
    "equal": Text("是否相等", "whether the two are equal"),
    "expected": Text("对照值（英文）", "the value the figure is checked against: a sum or a bound"),
    "expected_zh": Text("对照值", "the value the figure is checked against, in Chinese"),
    "factor": Text("倍数", "factor of the rule"),
    "factor_right": Text("规则要求的下限", "factor times the right-hand value"),
    "figure": Text("数值", "the stated figure"),
    "first_year_below": Text("首次低于下限的年份（预测）", "first year-end below the floor"),
    "flags": Text("说明与提示（英文）", "caveats of the assessment"),
    "floor": Text("下限倍数", "the floor, as a multiple"),
    "floor_value": Text("下限金额", "the floor, as an amount"),
    "found": Text("报告所载（英文）", "what the report states"),
    "found_zh": Text("报告所载", "what the report states, in Chinese"),
    "gap": Text("差距", "gap"),
    "headline": Text("重点指标序号", "number of the key indicator"),
    "headlines": Text("相关重点指标", "key indicators concerned"),
    "holds": Text("是否成立", "whether the rule holds"),
    "horizon": Text("目标年份", "target year"),
    "implied": Text("结论隐含的界限", "the bound the verdict implies"),
    "increase": Text("增加额", "increase"),
    "interval_kind": Text("区间类型", "kind of interval around the projection"),
    "interval_note": Text("区间说明（英文）", "what the interval is"),
    "is_target": Text("参照是否为目标", "whether the reference is a target"),
    "key": Text("参数", "parameter key"),
    "kind": Text("类型", "kind of series"),
    "latest": Text("最新值", "latest value"),
    "latest_date": Text("最新日期", "date of the latest value"),
    "latest_value": Text("最新值", "latest value"),
    "left_series_id": Text("规则左侧指标", "series on the left of the rule"),
    "left_value": Text("左侧数值", "value on the left"),
    "line": Text("行号", "line of the file"),
    "margin": Text("差额", "margin: positive when the rule holds with room"),
    "margin_at_year": Text("当年差额（预测）", "projected margin that year"),
    "meaning": Text("含义", "meaning"),
    "meets_floor": Text("是否不低于下限", "whether it is at least the floor"),
    "method": Text("预测方法", "projection method"),
    "projection_year": Text(
        "预测年份", "the year the projection is for: the target's, else the parameter target_year"
    ),
    "midterm_label": Text("时间过半检验", "mid-term benchmark label"),
    "multiple": Text("倍数", "multiple"),
    "multiple_at_horizon": Text("目标年倍数（预测）", "projected multiple at the target year"),
    "multiple_latest": Text("最新倍数", "latest multiple"),
    "n_points": Text("数据点数", "number of numeric observations"),
    "name_en": Text("英文名称", "English name"),
    "name_zh": Text("名称", "Chinese name"),
    "note": Text("说明（英文）", "note"),
    "note_zh": Text("说明", "note, in Chinese"),
    "numerator": Text("分子", "numerator"),
    "numerator_date": Text("分子日期", "date of the numerator"),
    "numerator_high": Text("分子上限", "high end of the numerator's range"),
    "numerator_low": Text("分子下限", "low end of the numerator's range"),
    "numerator_qualifier": Text("分子限定词", "qualifier of the numerator"),
    "numerator_section": Text("分子所在章节", "section of the numerator"),
    "numerator_series": Text("分子指标", "series of the numerator"),
    "outcome": Text("结果", "outcome"),
    "passed": Text("核查结果", "result of the check (empty: cannot be verified)"),
    "projected_factor_right": Text("预测时规则要求的下限", "factor times the projected right"),
    "projected_high": Text("预测区间上限", "high end of the projection's band"),
    "projected_holds": Text("按预测是否成立", "whether the rule holds when projected"),
    "projected_left": Text("左侧预测值", "projected value on the left"),
    "projected_low": Text("预测区间下限", "low end of the projection's band"),
    "projected_margin": Text("预测差额", "projected margin"),
    "projected_reason": Text("预测未能核验的原因", "why the projection cannot be checked"),
    "projected_right": Text("右侧预测值", "projected value on the right"),
    "projected_value": Text("预测值", "projected value, in the projection year"),
    "projected_year": Text("预测年份", "year of the projection"),
    "published_comparator": Text("已公布目标的比较方式", "comparator of the published target"),
    "published_target": Text("已公布的目标", "the published target"),
    "published_value": Text("已公布的目标值", "value of the published target"),
    "qualifier": Text("限定词", "qualifier of the figure (约, 余, 以上...)"),
    "quote": Text(
        "原文", "the words of the figure's source, verbatim (the report, or the outside document)"
    ),
    "quote_en": Text("原文的英文大意", "what the report's words say, in English"),
    "ratio": Text("比值", "ratio"),
    "ratio_qualifier": Text("比值限定词", "qualifier of the ratio"),
    "reading": Text("释读（英文）", "how the damaged text is read"),
    "reading_zh": Text("释读", "how the damaged text is read, in Chinese"),
    "reason": Text("原因（英文）", "reason"),
    "reason_zh": Text("原因", "reason, in Chinese"),
    "reference": Text("参照值", "the reference figure"),
    "reference_basis": Text("参照值依据", "how the reference figure was obtained"),
    "reference_date": Text("参照日期", "date of the reference figure"),
    "reference_qualifier": Text("参照值限定词", "qualifier of the reference figure"),
    "reference_series": Text("参照指标", "series of the reference"),
    "reference_source": Text("参照来源（英文）", "source of the reference"),
    "reference_source_zh": Text("参照来源", "source of the reference, in Chinese"),
    "relation_id": Text("规则编号", "identifier of the rule"),
    "report_verdict": Text("报告结论", "the report's verdict"),
    "required_annual_change": Text("所需年均变化量", "change per year the target requires"),
    "required_cagr": Text("所需年均增长率", "compound growth the target requires"),
    "right_series_id": Text("规则右侧指标", "series on the right of the rule"),
    "right_value": Text("右侧数值", "value on the right"),
    "rule_sections": Text("规则所在章节", "sections of the rule"),
    "rural": Text("农村", "rural"),
    "rural_section": Text("农村数值所在章节", "section of the rural figure"),
    "scenario": Text("情景", "scenario (the name of its parameter file)"),
    "section": Text("报告章节", "section of the report"),
    "sections": Text("报告章节", "sections of the report"),
    "series_id": Text("指标代码", "identifier of the series"),
    "series_ids": Text("涉及指标代码", "identifiers of the series concerned"),
    "source": Text("来源（英文）", "source (report: the evaluation report)"),
    "source_zh": Text("来源", "source, in Chinese (empty for the evaluation report)"),
    "stated": Text("报告所载", "the figure the report states"),
    "stated_section": Text("报告所载数值的章节", "section of the stated figure"),
    "strictly_above": Text("是否高于下限", "whether it is strictly above the floor"),
    "suzhou": Text("宿州市数值", "Suzhou's figure"),
    "suzhou_basis": Text("宿州市数值依据", "how Suzhou's figure was obtained"),
    "suzhou_date": Text("宿州市数值日期", "date of Suzhou's figure"),
    "suzhou_qualifier": Text("宿州市数值限定词", "qualifier of Suzhou's figure"),
    "suzhou_section": Text("宿州市数值所在章节", "section of Suzhou's figure"),
    "suzhou_series": Text("宿州市指标", "Suzhou's series"),
    "t": Text("时点（年）", "date as a fractional year, Y = the end of year Y"),
    "target_comparator": Text("目标比较方式", "comparator of the target"),
    "target_source": Text("目标出处（英文）", "source of the target"),
    "target_source_zh": Text("目标出处", "source of the target, in Chinese"),
    "target_value": Text("目标值", "target value"),
    "target_year": Text("目标年份", "target year"),
    "task_share": Text("任务完成比例", "share of the way from base to target covered"),
    "tekun": Text("特困人员基本生活标准", "basic living standard for persons in extreme poverty"),
    "tekun_at_year": Text("当年特困标准（预测）", "projected 特困 standard that year"),
    "tekun_cagr": Text("特困标准年均增速", "compound growth of the 特困 standard"),
    "tekun_latest": Text("最新特困标准", "latest 特困 standard"),
    "tekun_section": Text("特困标准所在章节", "section of the 特困 standard"),
    "time_share": Text("时间进度", "share of the plan period elapsed"),
    "total_change": Text("累计变化量", "change from base to latest"),
    "unit": Text("单位", "unit"),
    "unit_en": Text("英文版所用计数对象（量词的英文）", "what a measure word counts, in English"),
    "unsd_category": Text("进展状态（联合国统计司方法）", "UNSD Progress Chart category"),
    "unsd_ratio": Text("预测值比率", "UNSD projected-value ratio"),
    "urban": Text("城市", "urban"),
    "urban_section": Text("城市数值所在章节", "section of the urban figure"),
    "value": Text("数值", "value"),
    "value_high": Text("区间上限", "high end of a stated range"),
    "value_low": Text("区间下限", "low end of a stated range"),
    "verdict": Text("结论", "verdict"),
}

CODEBOOK = "codebook.zh.csv"
CODEBOOK_HEADERS = ("列名", "代码", "说明（英文）")


class UnlabelledColumns(KeyError):
    """A download has columns without a Chinese header in `COLUMN_LABELS`."""


AnyPath = TypeVar("AnyPath", bound=PurePath)


def chinese_name(path: AnyPath) -> AnyPath:
    """`status.csv` -> `status.zh.csv`, beside it."""
    return path.with_suffix(".zh.csv")


def chinese_headers(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with each column's Chinese header; a column without one is an error, so that
    no Chinese download shows a code as its header."""
    missing = [column for column in frame.columns if column not in COLUMN_LABELS]
    if missing:
        raise UnlabelledColumns(
            f"no Chinese header for column(s) {', '.join(missing)}: add them to "
            "analysis.book.downloads.COLUMN_LABELS"
        )
    return frame.rename(columns={column: COLUMN_LABELS[column].zh for column in frame.columns})


def write_chinese_csv(frame: pd.DataFrame, path: Path) -> Path:
    """The Chinese download of `frame`, beside `path`, and the folder's codebook updated."""
    target = chinese_name(path)
    chinese_headers(frame).to_csv(target, index=False, encoding="utf-8-sig")
    update_codebook(path.parent / CODEBOOK, frame.columns)
    return target


def update_codebook(codebook: Path, columns: pd.Index) -> None:
    """Add the columns of one download to the folder's codebook (each code once)."""
    known = (
        pd.read_csv(codebook, dtype=str, encoding="utf-8-sig", keep_default_na=False)
        if codebook.exists()
        else pd.DataFrame(columns=list(CODEBOOK_HEADERS))
    )
    rows = [
        {
            CODEBOOK_HEADERS[0]: COLUMN_LABELS[column].zh,
            CODEBOOK_HEADERS[1]: column,
            CODEBOOK_HEADERS[2]: COLUMN_LABELS[column].en,
        }
        for column in columns
        if column not in set(known[CODEBOOK_HEADERS[1]])
    ]
    if rows:
        merged = pd.concat([known, pd.DataFrame(rows)], ignore_index=True)
        merged.to_csv(codebook, index=False, encoding="utf-8-sig")


# --- Workbooks: every table of a chapter in one XLSX file per edition ---------------------------

TABLES = "tables.jsonl"  # the chapter's downloads in the order its page shows them
WORKBOOK_WORDS = {
    "contents": Text("目录", "Contents"),
    "sheet": Text("表{n}", "Table {n}"),
    "codebook": Text("列名说明", "Codebook"),
    "contents_headers": Text("工作表|标题|对应的CSV文件", "Sheet|Title|CSV file"),
    "codebook_headers": Text("列名|代码|说明（英文）", "Header|Code|Meaning"),
}


def record_table(folder: Path, name: str, title: Text | None) -> None:
    """Note a download of the chapter, with the title it is shown under, for its workbook."""
    entry = {"name": name, "zh": title.zh if title else name, "en": title.en if title else name}
    with (folder / TABLES).open("a", encoding="utf-8") as manifest:
        manifest.write(json.dumps(entry, ensure_ascii=False) + "\n")


def workbook_name(chapter: str, language: Language) -> str:
    """`social_assistance.zh.xlsx` in the Chinese edition, `social_assistance.xlsx` in English."""
    return f"{chapter}.zh.xlsx" if language == "zh" else f"{chapter}.xlsx"


def headers(frame: pd.DataFrame, language: Language) -> pd.DataFrame:
    """Headers in the edition's language: the Chinese header, or the English meaning."""
    if language == "zh":
        return chinese_headers(frame)
    missing = [column for column in frame.columns if column not in COLUMN_LABELS]
    if missing:
        raise UnlabelledColumns(f"no header for column(s) {', '.join(missing)}")
    return frame.rename(columns={c: sentence_case(COLUMN_LABELS[c].en) for c in frame.columns})


def sentence_case(text: str) -> str:
    """'value at the base' -> 'Value at the base' (the rest as it is: 'Open SDG')."""
    return text[:1].upper() + text[1:]


def write_workbook(folder: Path, chapter: str, language: Language) -> Path | None:
    """One workbook of the chapter's tables: a contents sheet, a sheet per table (headers in
    the edition's language) and the codebook; None when the chapter has no table."""
    manifest = folder / TABLES
    if not manifest.is_file():
        return None
    entries = list(
        {e["name"]: e for e in map(json.loads, manifest.read_text("utf-8").splitlines())}.values()
    )
    words = {key: text[language] for key, text in WORKBOOK_WORDS.items()}
    sheets = [words["sheet"].format(n=n) for n in range(1, len(entries) + 1)]
    contents = pd.DataFrame(
        [(s, e[language], f"{e['name']}.csv") for s, e in zip(sheets, entries, strict=True)],
        columns=words["contents_headers"].split("|"),
    )
    frames = [pd.read_csv(folder / f"{entry['name']}.csv") for entry in entries]
    shown = [headers(frame, language) for frame in frames]  # every column has its header
    columns = list(dict.fromkeys(column for frame in frames for column in frame.columns))
    codebook = pd.DataFrame(
        [
            (
                COLUMN_LABELS[c].zh if language == "zh" else COLUMN_LABELS[c].en,
                c,
                COLUMN_LABELS[c].en,
            )
            for c in columns
        ],
        columns=words["codebook_headers"].split("|"),
    )
    path = folder / workbook_name(chapter, language)
    with pd.ExcelWriter(path, engine="openpyxl") as workbook:
        contents.to_excel(workbook, sheet_name=words["contents"], index=False)
        for sheet, frame in zip(sheets, shown, strict=True):
            frame.to_excel(workbook, sheet_name=sheet, index=False)
        codebook.to_excel(workbook, sheet_name=words["codebook"], index=False)
    reproducible_zip(path)
    return path


FIXED_TIME = "2024-04-29T00:00:00Z"  # the report's date: a rebuild gives the same bytes


def reproducible_zip(path: Path) -> None:
    """The workbook rewritten with fixed entry dates and document times (openpyxl writes the
    time of saving), so that the same tables always give the same file."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb">\d{4}-\d\d-\d\dT[^<]*<", f">{FIXED_TIME}<".encode(), data)
            target.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)


def write_workbooks(folder: Path, chapter: str) -> list[Path]:
    """The chapter's workbook in each edition's language (run once the chapter has executed);
    the manifest is not published."""
    written = [write_workbook(folder, chapter, language) for language in ("zh", "en")]
    (folder / TABLES).unlink(missing_ok=True)
    return [path for path in written if path is not None]
