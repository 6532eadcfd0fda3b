"""Text from the data files is shown literally wherever it goes into Markdown."""

import html
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import PROJECT, run_cli
from markdown_it import MarkdownIt

from analysis.book.key_findings import target_sentence
from analysis.book.markup import escape_markdown
from analysis.runner.build import copy_sources

HOSTILE = [
    "<script>alert(1)</script>",
    "A & B",
    "*not emphasis*",
    "a | b",
    "[link](http://example.org)",
    "`code`",
    "$x$",
    "\\* backslash",
    "# not a heading",
]

# CommonMark with raw HTML on, as MyST renders a notebook's Markdown output.
RENDER = MarkdownIt("commonmark").render


def shown_text(rendered: str) -> str:
    """The text a reader sees: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_renders_as_itself(text: str) -> None:
    rendered = RENDER(escape_markdown(text))
    assert "<script" not in rendered and "<em>" not in rendered and "<a " not in rendered
    assert "<code>" not in rendered and "<h1>" not in rendered
    assert shown_text(rendered) == text


def nursing_row(**changes: object) -> dict:
    row = {
        "name_en": "Share of nursing-type beds",
        "name_zh": "养老护理型床位占比",
        "unit": "%",
        "n_points": 2,
        "base_date": "2020",
        "latest_date": "2023",
        "base_value": 50.0,
        "latest_value": 77.18,
        "cagr": 0.155,
        "cagr_reason": "",
        "annual_change": 9.06,
        "target_value": 55.0,
        "target_comparator": ">=",
        "target_year": 2025,
        "projected_value": math.nan,
        "category": "target_achieved",
        "flags": "",
    }
    row.update(changes)
    return row


def test_a_finding_shows_a_hostile_series_name_literally() -> None:
    name = "<script>alert(1)</script> & *x* | y"
    sentence = target_sentence(nursing_row(name_en=name, name_zh=name))
    assert "<script" not in sentence.en
    assert shown_text(sentence.en).count(name) == 2  # the English name and the official one
    assert "<script" not in sentence.zh and shown_text(sentence.zh).count(name) == 1


def test_a_percentage_carries_its_unit_once() -> None:
    sentence = target_sentence(nursing_row()).en
    assert "77.18 %" in sentence and "55 %" in sentence
    assert "% %" not in sentence


@pytest.mark.book
def test_a_chapter_shows_a_hostile_series_name_literally(tmp_path: Path) -> None:
    """The real pipeline: a name with markup in data/series.csv, the chapter executed."""
    project = tmp_path / "project"
    copy_sources(PROJECT, project)
    series_file = project / "data" / "series.csv"
    series = pd.read_csv(series_file, dtype=str, keep_default_na=False)
    name = "<script>alert(1)</script> & *urban* | tekun"
    # The urban 特困 standard rose least of the standards: it is named in the key findings.
    series.loc[series["series_id"] == "tekun_basic_standard_urban", "name_en"] = name
    series.to_csv(series_file, index=False)
    out = tmp_path / "out"
    defaults = project / "parameters" / "social_assistance.yaml"

    result = run_cli(
        "--root",
        str(project),
        "run",
        "social_assistance",
        "--params",
        str(defaults),
        "--out",
        str(out),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    notebook = json.loads((out / "social_assistance.ipynb").read_text(encoding="utf-8"))
    outputs = [o for cell in notebook["cells"] for o in cell.get("outputs", [])]
    markdown = [RENDER("".join(o["data"]["text/markdown"])) for o in outputs if has(o, "markdown")]
    markup = ["".join(o["data"]["text/html"]) for o in outputs if has(o, "html")] + markdown
    assert not any("<script>alert" in text for text in markup)
    findings = [text for text in markup if "book-findings" in text]
    assert any(name in shown_text(text) for text in findings), "the findings lost the name"
    assert any(html.escape(name, quote=False) in text for text in markup if "<table" in text)


def has(output: dict, kind: str) -> bool:
    return f"text/{kind}" in output.get("data", {})


def test_a_name_ending_in_a_bracket_is_bold_before_chinese_text() -> None:
    # "**分散特困供养对象失能护理标准(全失能)**由…" is not bold in CommonMark (the closing **
    # follows punctuation and precedes a letter); the sentence must still render it bold.
    name = "分散特困供养对象失能护理标准(全失能)"
    rendered = target_sentence(nursing_row(name_zh=name)).zh
    assert f"<strong>{name}</strong>" in rendered and "**" not in rendered
