"""What the chapter notebooks call: one context per chapter, and `show_*` functions that put a
table or a chart on the page with its title, units, source and a CSV of the data behind it.

A notebook reads: parameters cell, `chapter = open_chapter(...)`, then a few `show_*` calls
between paragraphs of prose. Every computation happens in the library; this module only loads,
arranges and displays.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from IPython.display import HTML, Markdown, display
from pydantic import ValidationError

from analysis.core.problems import InputError, Problem
from analysis.core.report import CITATION
from analysis.inputs.chapters import Chapter, chapter_named
from analysis.inputs.dataset import Dataset, load_dataset
from analysis.inputs.locations import output_root, project_root
from analysis.inputs.parameters import Parameters, load_parameters
from analysis.methods.results import all_series_assessment, domain_assessment, relation_results

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DOWNLOADS = "downloads"


@dataclass
class ChapterContext:
    """Everything a chapter shows: its data, the assessment and where its CSVs go."""

    chapter: Chapter
    dataset: Dataset
    parameters: Parameters
    assessment: pd.DataFrame
    downloads: Path
    shown: list[str] = field(default_factory=list)

    @property
    def target_year(self) -> int:
        return self.parameters.target_year

    def series_ids(self) -> set[str]:
        return set(self.assessment["series_id"])

    def observations(self) -> pd.DataFrame:
        """The observations of the series this chapter shows, up to `as_of` (a scenario as of
        an earlier date shows nothing dated after it, in any table, chart or download)."""
        frame = self.dataset.observations
        shown = frame["series_id"].isin(self.series_ids())
        return frame[shown & (frame["t"] < self.parameters.as_of_end)]

    def relations(self) -> pd.DataFrame:
        return relation_results(self.dataset, self.parameters)

    def save_csv(self, frame: pd.DataFrame, name: str) -> str:
        """Write the data behind a table or chart; return its link relative to the page."""
        self.downloads.mkdir(parents=True, exist_ok=True)
        frame.to_csv(self.downloads / f"{name}.csv", index=False, encoding="utf-8")
        self.shown.append(name)
        return f"{self.chapter.name}/{name}.csv"


def chapter_parameters(
    chapter: Chapter, root: Path, injected: Mapping[str, Any] | None
) -> Parameters:
    """The chapter's parameters: the values papermill injected (the runner has validated them
    already, from the parameter file or a scenario file), or, when the notebook is run by hand,
    its committed parameters/<name>.yaml. Reference pages take the defaults."""
    if not chapter.parameter_file:
        return Parameters()
    if injected is None:
        return load_parameters(root / chapter.parameter_file, root)
    try:
        return Parameters.coerce(injected)
    except ValidationError as error:
        problems = [
            Problem(
                f"{chapter.notebook} (injected parameters)",
                item["msg"],
                column=".".join(map(str, item["loc"])),
            )
            for item in error.errors()
        ]
        raise InputError(problems) from None


def open_chapter(name: str, parameters: Mapping[str, Any] | None = None) -> ChapterContext:
    """Load the data and assess the chapter's series with its parameters (see
    `chapter_parameters`): the one object every block of the chapter then reads."""
    chapter = chapter_named(name)
    root = project_root()
    dataset = load_dataset(root)
    in_force = chapter_parameters(chapter, root, parameters)
    if chapter.kind == "domain":
        assessment = domain_assessment(dataset, name, in_force)
    else:
        assessment = all_series_assessment(dataset, in_force)
    downloads = output_root(root) / DOWNLOADS / "chapters" / name
    return ChapterContext(chapter, dataset, in_force, assessment, downloads)


def source_line(sections: str, link: str, computed: bool = True) -> str:
    text = f"Source: {CITATION}, section {sections}"
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
