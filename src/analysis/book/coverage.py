"""What a domain chapter covers: its key indicators (data/series.csv, column `headline`) and the
sections of the report its figures are quoted from (data/observations.csv, column `section`),
said in one generated line under the chapter's introduction, so that the introduction cannot
drift from the data.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from analysis.core.language import Language, Text
from analysis.core.report import REPORT_SOURCE, section_key

# "二.(一).2" and "三.(十)": a part and its item; "四.3": a part and its numbered entry.
ITEM = re.compile(r"^([一二三四五])\.\(([一二三四五六七八九十]+)\)")
ENTRY = re.compile(r"^([一二三四五])\.(\d+)")


def covered_sections(observations: pd.DataFrame) -> list[str]:
    """The parts and items of the report outside section 一 that the figures are quoted from,
    in the report's order: "二.(一)" for "二.(一).2", "四.3" as it is."""
    quoted = observations[observations["source"].fillna(REPORT_SOURCE) == REPORT_SOURCE]
    found = set()
    for section in quoted["section"].dropna().astype(str):
        if section.startswith("一."):
            continue  # the key indicators, named by their numbers
        match = ITEM.match(section)
        found.add(match[0] if match else section)
    return sorted(found, key=section_key)


def section_words(section: str, language: Language) -> str:
    """A section as the edition writes it: 第二部分第（一）项, 第四部分第3条, 前言."""
    if section == "前言":
        return "前言" if language == "zh" else "the preamble (前言)"
    if language == "en":
        return section
    item = ITEM.match(section)
    if item:
        return f"第{item[1]}部分第（{item[2]}）项"
    entry = ENTRY.match(section)
    if entry:
        return f"第{entry[1]}部分第{entry[2]}条"
    return section


def _listed(items: list[str], language: Language) -> str:
    if language == "zh":
        return "、".join(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def coverage_html(
    own: str, headlines: list[int], sections: list[str], figures: int, language: Language
) -> str:
    """Two sentences: the part of the report's section 二 the chapter follows (`own`), then
    where its figures come from: its key indicators (each linked to its card)
    and the other sections quoted."""
    links = [f'<a href="indicator_cards.html#ki-{n}">{n}</a>' for n in headlines]
    places = [html.escape(section_words(s, language)) for s in sections]
    if language == "zh":
        text = f"本章对应报告{section_words(own, language)}。" if own else ""
        text += f"本章{figures}处数据出自报告"
        if headlines:
            text += f"第一部分重点指标第{'、'.join(links)}项"
            text += "，以及" if places else ""
        return f'<p class="book-coverage">{text}{"、".join(places)}。</p>'
    text = f"This chapter follows section {own} of the report. " if own else ""
    items = []
    if headlines:
        noun = "key indicator" if len(links) == 1 else "key indicators"
        items.append(f"{noun} {_listed(links, language)} of section 一")
    items += [p if p.startswith("the ") else f"section {p}" for p in places]
    text += f"Its {figures} figures come from {_listed(items, language)}."
    return f'<p class="book-coverage">{text}</p>'


def coverage_of(
    series: pd.DataFrame, observations: pd.DataFrame, domain: str, own_section: str
) -> Text:
    """The coverage line of a domain chapter, from the series it owns."""
    own = series[series["domain"] == domain]
    headlines = sorted(set(own["headline"].dropna().astype(int)))
    figures = observations[
        observations["series_id"].isin(own["series_id"])
        & (observations["source"].fillna(REPORT_SOURCE) == REPORT_SOURCE)
    ]
    sections = covered_sections(figures)
    return Text.made_by(
        lambda language: coverage_html(own_section, headlines, sections, len(figures), language)
    )
