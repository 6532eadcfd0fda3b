"""The evaluation report this book analyses: how it is cited, and how the data name it.

Every source line, caption and download names the report through these constants.
"""

from __future__ import annotations

PUBLISHER = "宿州市民政局"
TITLE = "《宿州市“十四五”民政事业发展规划》实施中期评估报告"
PUBLISHED = "2024-04-29"
URL = "https://mzj.ahsz.gov.cn/public/2655589/194741071.html"
# The same in English, for the English edition's sources: its readers read the names.
PUBLISHER_EN = "Suzhou Civil Affairs Bureau"
TITLE_EN = "Mid-term evaluation of Suzhou's 14th five-year civil-affairs development plan"
CITATION = f"{PUBLISHER_EN}, {TITLE_EN} ({PUBLISHED})"
# The same in Chinese punctuation, for the Chinese edition: 宿州市民政局《…》（2024年4月29日）
_YEAR, _MONTH, _DAY = (int(part) for part in PUBLISHED.split("-"))
CITATION_ZH = f"{PUBLISHER}{TITLE}（{_YEAR}年{_MONTH}月{_DAY}日）"

# The report's verdicts on its key indicators (section 一), as it writes them, and what each
# says in English.
VERDICTS = {
    "已完成目标任务": "target completed",
    "达到预期目标": "met expectations",
    "超出预期目标": "exceeded expectations",
}
COMPLETED = "已完成目标任务"


def verdict_text(verdicts: str, language: str) -> str:
    """The report's verdict (or verdicts, joined by ；) as an edition shows it: the report's
    words; in English what they say, the words beside it: 'target completed (已完成目标任务)'."""
    if language == "zh" or not verdicts:
        return verdicts
    return "; ".join(f"{VERDICTS[verdict]} ({verdict})" for verdict in verdicts.split("；"))


# The `source` of an observation or relation quoted from the report itself (data/README.md);
# any other value is the citation of an outside source.
REPORT_SOURCE = "report"


PREAMBLE = "前言"  # the report's opening, before part 一
ORDINALS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}  # 十九 is 十 + 九


def section_key(section: str) -> tuple[int, ...]:
    """Sort key for the report's section notation, in the report's order:
    前言 < 一.1 < 一.19 < 二.(一).3 < 三.(十) < 四.3."""
    parts = section.split(".")
    key = [0 if parts[0] == PREAMBLE else ORDINALS.get(parts[0], 99)]
    for part in parts[1:]:
        inner = part.strip("()")
        key.append(int(inner) if inner.isdigit() else sum(ORDINALS.get(ch, 0) for ch in inner))
    return tuple(key)
