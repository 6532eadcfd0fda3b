"""What the chapter notebooks call: one context per chapter, and `show_*` functions that put a
table or a chart on the page with its title, units, source and a CSV of the data behind it.

A notebook reads: parameters cell, `chapter = open_chapter(...)`, then a few `show_*` calls
between paragraphs of prose. Every computation happens in the library; this module only loads,
arranges and displays.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from IPython.display import HTML, Markdown, display

from analysis.core.problems import InputError, Problem
from analysis.inputs.chapters import Chapter, chapter_named
from analysis.inputs.dataset import Dataset, load_dataset
from analysis.inputs.locations import output_root, project_root
from analysis.inputs.parameters import ChapterParameters
from analysis.methods.results import all_series_assessment, domain_assessment, relation_results

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DOWNLOADS = "downloads"
REPORT_CITATION = "宿州市民政局, 《宿州市“十四五”民政事业发展规划》实施中期评估报告 (2024-04-29)"


@dataclass
class ChapterContext:
    """Everything a chapter shows: its data, the assessment and where its CSVs go."""

    chapter: Chapter
    dataset: Dataset
    parameters: ChapterParameters
    assessment: pd.DataFrame
    downloads: Path
    shown: list[str] = field(default_factory=list)

    @property
    def target_year(self) -> int:
        return self.parameters.target_year

    def series_ids(self) -> set[str]:
        return set(self.assessment["series_id"])

    def observations(self) -> pd.DataFrame:
        """The observations of the series this chapter shows."""
        frame = self.dataset.observations
        return frame[frame["series_id"].isin(self.series_ids())]

    def relations(self) -> pd.DataFrame:
        return relation_results(self.dataset, self.parameters)

    def save_csv(self, frame: pd.DataFrame, name: str) -> str:
        """Write the data behind a table or chart; return its link relative to the page."""
        self.downloads.mkdir(parents=True, exist_ok=True)
        frame.to_csv(self.downloads / f"{name}.csv", index=False, encoding="utf-8")
        self.shown.append(name)
        return f"{self.chapter.name}/{name}.csv"


def parameters_from(namespace: dict[str, Any], file: str) -> ChapterParameters:
    """The chapter's parameters from the variables of its parameters cell."""
    from pydantic import ValidationError

    values = {name: namespace[name] for name in ChapterParameters.model_fields if name in namespace}
    try:
        return ChapterParameters.model_validate(values)
    except ValidationError as error:
        problems = [
            Problem(file, item["msg"], column=".".join(map(str, item["loc"])))
            for item in error.errors()
        ]
        raise InputError(problems) from None


def open_chapter(name: str, namespace: dict[str, Any] | None = None) -> ChapterContext:
    """Load the data and assess the chapter's series. The chapter's parameters come from its
    notebook's parameters cell (`namespace`, normally `globals()`), which papermill fills from
    parameters/<name>.yaml; reference pages take the defaults."""
    chapter = chapter_named(name)
    root = project_root()
    dataset = load_dataset(root)
    parameters = ChapterParameters()
    if chapter.is_parameterized and namespace is not None:
        parameters = parameters_from(namespace, f"{chapter.notebook} (parameters cell)")
    if chapter.kind == "domain":
        assessment = domain_assessment(dataset, name, parameters)
    else:
        assessment = all_series_assessment(dataset, parameters)
    downloads = output_root(root) / DOWNLOADS / "chapters" / name
    return ChapterContext(chapter, dataset, parameters, assessment, downloads)


def source_line(sections: str, link: str, computed: bool = True) -> str:
    text = f"Source: {REPORT_CITATION}, section {sections}"
    if computed:
        text += "; growth, projection and status computed by this book"
    return (
        f'<p class="book-source">{html.escape(text)}. '
        f'<a href="{html.escape(link)}" download>Download the data (CSV)</a></p>'
    )


def show_table(
    context: ChapterContext,
    table: pd.DataFrame,
    data: pd.DataFrame,
    name: str,
    title: str,
    sections: str,
    computed: bool = True,
) -> None:
    """A titled table with its source under it and its unformatted data as CSV."""
    link = context.save_csv(data, name)
    body = table.to_html(index=False, escape=True, border=0, classes="book-table", na_rep="–")
    display(
        HTML(
            f'<p class="book-title"><strong>{html.escape(title)}</strong></p>'
            f'<div class="book-table-wrap">{body}</div>'
            f"{source_line(sections, link, computed)}"
        )
    )


def show_figure(
    context: ChapterContext,
    figure: Figure,
    data: pd.DataFrame,
    name: str,
    sections: str,
    computed: bool = True,
) -> None:
    """A chart (its title, units and source are drawn on it) with a link to its data."""
    link = context.save_csv(data, name)
    display(figure)  # chart figures are made without pyplot: nothing to close
    display(HTML(source_line(sections, link, computed)))


def show_markdown(text: str) -> None:
    display(Markdown(text))
