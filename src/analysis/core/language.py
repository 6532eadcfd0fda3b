"""The book's two editions: Chinese first, at the site's root, and English under `en/`.

One execution of a chapter produces what both editions show: prose cells carry a language tag,
and every generated output (text, table, chart) is displayed once per language with its
language in the output's metadata. The runner then assembles each edition from the cells and
outputs of its language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
PRIMARY: Language = "zh"

# The key of a notebook output's metadata that names its language.
OUTPUT_LANGUAGE_KEY = "lang"


@dataclass(frozen=True)
class Edition:
    language: Language
    sphinx_language: str  # Sphinx's `language`: its messages and the <html lang> attribute
    html_lang: str
    path: str  # the edition's folder under the site's root ("" for the primary edition)
    title: str
    switch_label: str  # the link to this edition, as shown on a page of the other one
    author: str  # as the theme's footer names the authors


EDITIONS: dict[Language, Edition] = {
    "zh": Edition(
        "zh",
        "zh_CN",
        "zh-CN",
        "",
        "《宿州市“十四五”民政事业发展规划》中期评估：数据复核与分析",
        "中文",
        "本书作者（依据宿州市民政局发布的评估报告）",
    ),
    "en": Edition(
        "en",
        "en",
        "en",
        "en",
        "Suzhou's civil-affairs plan at mid-term: the figures checked and analysed",
        "English",
        # the theme's footer reads "By <author>"
        "the authors of this book, from the report of the Suzhou Civil Affairs Bureau "
        "(宿州市民政局)",
    ),
}


@dataclass(frozen=True)
class Text:
    """A piece of text the book shows, in both languages."""

    zh: str
    en: str

    def __post_init__(self) -> None:
        for language in LANGUAGES:
            if not isinstance(getattr(self, language), str):
                raise TypeError(f"Text.{language} must be a string")

    def __getitem__(self, language: Language) -> str:
        return self.zh if language == "zh" else self.en

    @classmethod
    def made_by(cls, render: Callable[[Language], str]) -> Text:
        """The text `render` writes in each language."""
        return cls(**{language: render(language) for language in LANGUAGES})

    def format(self, **values: object) -> Text:
        return Text(self.zh.format(**values), self.en.format(**values))
