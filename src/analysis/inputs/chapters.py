"""The chapters of the book, in reading order, and what each one depends on.

Every chapter that assesses series has its own `parameters/<name>.yaml`, injected by papermill
into the notebook's `parameters` cell, so that changing one chapter's parameters re-executes that
chapter and no other. Domain chapters own their series: `results/indicators.csv` is theirs.
The reference pages (methodology, reproducing, data appendix) take no parameters; the data
appendix reads the codebook (data/README.md and its Chinese twin) and the data package of
data/ besides the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ChapterKind = Literal["intro", "overview", "domain", "quality", "reference"]


@dataclass(frozen=True)
class Chapter:
    name: str
    title_en: str
    title_zh: str
    kind: ChapterKind
    report_section: str = ""
    extra_inputs: tuple[str, ...] = ()  # files besides the shared inputs that it reads

    @property
    def notebook(self) -> str:
        return f"chapters/{self.name}.ipynb"

    @property
    def parameter_file(self) -> str | None:
        return f"parameters/{self.name}.yaml" if self.is_parameterized else None

    def title(self, language: str) -> str:
        """The chapter's title in the edition's language ("zh" or "en")."""
        return self.title_zh if language == "zh" else self.title_en

    @property
    def is_parameterized(self) -> bool:
        """Chapters that assess series have their own parameter file; reference pages do not."""
        return self.kind != "reference"


CHAPTERS: tuple[Chapter, ...] = (
    Chapter("intro", "Introduction", "导言", "intro"),
    Chapter("overview", "The 19 key indicators", "主要目标指标", "overview", "一"),
    Chapter(
        "indicator_cards",
        "The key indicators one by one",
        "重点指标逐项说明",
        "overview",
        "一",
    ),
    Chapter("social_assistance", "Social assistance", "社会救助", "domain", "二.(一)"),
    Chapter(
        "children",
        "Children's welfare and protection",
        "儿童福利和未成年人保护",
        "domain",
        "二.(二)",
    ),
    Chapter("elderly_care", "Elderly care", "养老服务", "domain", "二.(三)"),
    Chapter("community", "Community governance", "基层社会治理", "domain", "二.(四)"),
    Chapter("social_organisations", "Social organisations", "社会组织", "domain", "二.(五)"),
    Chapter(
        "charity_social_work",
        "Charity, social work and volunteering",
        "慈善事业、社会工作和志愿服务",
        "domain",
        "二.(六)",
    ),
    Chapter("special_affairs", "Special social affairs", "专项社会事务", "domain", "二.(七)"),
    Chapter(
        "divisions_place_names",
        "Administrative divisions and place names",
        "区划地名",
        "domain",
        "二.(八)",
    ),
    Chapter("data_quality", "Data quality and consistency", "数据质量与一致性", "quality"),
    Chapter("methodology", "Methodology", "方法", "reference"),
    Chapter("reproducing", "Reproducing and rerunning", "复现与重新运行", "reference"),
    Chapter(
        "data_appendix",
        "Data appendix",
        "数据附录",
        "reference",
        "",
        ("data/README.md", "data/README.zh.md", "data/datapackage.json"),
    ),
)  # fmt: skip

# The captions of the parts of _toc.yml (written there in Chinese, the primary edition's
# language) in English.
PART_CAPTIONS = {
    "主要目标指标": "Key indicators",
    "分领域评估": "Domains",
    "数据质量、方法与复现": "Quality, method and reproduction",
}

CHAPTER_BY_NAME = {chapter.name: chapter for chapter in CHAPTERS}
DOMAIN_CHAPTERS = tuple(chapter for chapter in CHAPTERS if chapter.kind == "domain")


def chapter_named(name: str) -> Chapter:
    """The chapter of that name; KeyError lists the names there are."""
    try:
        return CHAPTER_BY_NAME[name]
    except KeyError:
        raise KeyError(
            f"unknown chapter '{name}'; chapters: {', '.join(CHAPTER_BY_NAME)}"
        ) from None
