"""What the chapter notebooks call: one context per chapter, and `show_*` functions that put a
table or a chart on the page with its title, units, source and a CSV of the data behind it.

A notebook reads: parameters cell, `chapter = open_chapter(...)`, then a few `show_*` calls
between paragraphs of prose. Every computation happens in the library; this module only loads,
arranges and displays.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import pandas as pd
from IPython.display import HTML, Markdown, display
from pydantic import ValidationError

from analysis.book.charts import save_png
from analysis.book.downloads import (
    CODEBOOK,
    chinese_name,
    record_table,
    workbook_name,
    write_chinese_csv,
)
from analysis.book.markup import FOLDED, chart_image
from analysis.core.language import LANGUAGES, OUTPUT_LANGUAGE_KEY, Language, Text
from analysis.core.problems import InputError, Problem
from analysis.core.report import CITATION, CITATION_ZH
from analysis.inputs.chapters import Chapter, chapter_named
from analysis.inputs.dataset import Dataset, load_dataset
from analysis.inputs.locations import OUTPUT_DIR_VARIABLE, output_root, project_root
from analysis.inputs.parameters import Parameters, load_parameters
from analysis.methods.audit import run_audit
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

    @cached_property
    def audit(self) -> pd.DataFrame:
        """The audit of the report on its figures up to `as_of` (a scenario as of an earlier
        date checks what was stated by then), made once for all of a chapter's blocks."""
        dataset = self.dataset
        return run_audit(
            self.observations_in_force(), dataset.series, dataset.relations, dataset.targets
        )

    def observations_in_force(self) -> pd.DataFrame:
        """Every observation of every series up to `as_of` (the audit and the analyses read
        series of other chapters too)."""
        frame = self.dataset.observations
        return frame[frame["t"] <= self.parameters.as_of_end]

    def observations(self) -> pd.DataFrame:
        """The observations of the series this chapter shows, up to `as_of` (a scenario as of
        an earlier date shows nothing dated after it, in any table, chart or download)."""
        frame = self.dataset.observations
        shown = frame["series_id"].isin(self.series_ids())
        return frame[shown & (frame["t"] <= self.parameters.as_of_end)]

    def relations(self) -> pd.DataFrame:
        return relation_results(self.dataset, self.parameters)

    def save_csv(self, frame: pd.DataFrame, name: str, title: Text | None = None) -> str:
        """Write the data behind a table or chart, with codes as headers and, for the Chinese
        edition, with Chinese headers (`analysis.book.downloads`), and note it under `title`
        for the chapter's workbook; return the link of the first relative to the page."""
        self.downloads.mkdir(parents=True, exist_ok=True)
        frame.to_csv(self.downloads / f"{name}.csv", index=False, encoding="utf-8")
        write_chinese_csv(frame, self.downloads / f"{name}.csv")
        record_table(self.downloads, name, title)
        self.shown.append(name)
        return f"{self.chapter.name}/{name}.csv"

    def save_figure(self, figure: Figure, name: str) -> tuple[Path, tuple[int, int]]:
        """Write a chart as PNG beside the chapter's CSVs (with `PIXEL_RATIO` times the
        pixels of its size on the page); return its path and that size in CSS pixels."""
        self.downloads.mkdir(parents=True, exist_ok=True)
        path = self.downloads / f"{self.chapter.name}-{name}.png"
        return path, save_png(figure, path)


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


def show_in_each_language(render: Callable[[Language], object]) -> None:
    """Display what `render` makes for each edition's language, tagged with that language
    (the runner keeps each edition's outputs: one execution serves both)."""
    for language in LANGUAGES:
        display(render(language), metadata={OUTPUT_LANGUAGE_KEY: language})


SOURCE = Text("资料来源：{citation}，{sections}", "Source: {citation}, section {sections}")
COMPUTED = Text(
    "；增长率、预测值和进展状态为本书据此计算",
    "; growth, projection and status computed by this book",
)
OWN_SOURCE = Text("资料来源：{source}", "Source: {source}")
# What an analysis table computed: its differences, multiples, rules and projections.
DERIVED = Text("；其余数值为本书据此计算", "; the other values computed by this book from them")
DOWNLOAD = Text("下载数据（CSV）", "Download the data (CSV)")
# after the title of a folded table, as it is closed or open
SHOW = Text("（展开）", " (show)")
HIDE = Text("（收起）", " (hide)")
CODEBOOK_LINK = "列名说明"
WORKBOOK_LINK = Text("本章全部表格（Excel）", "all of the chapter's tables (Excel)")


def source_line(
    sections: Text | str,
    link: str,
    language: Language,
    computed: bool | Text,
    own: Text | None = None,
) -> str:
    """The source under a table or chart, and the link to its data in the edition's language
    (in Chinese with Chinese headers, and the codebook of the chapter's downloads). `computed`:
    what the book computed from the figures (True: growth, projection and status). `own`: the
    source of a table of the book's own (its parameters), in place of the report's sections."""
    where = sections[language] if isinstance(sections, Text) else sections
    if language == "en":  # a list of sections, as English punctuates it
        where = where.replace("、", ", ")
    citation = CITATION_ZH if language == "zh" else CITATION
    if own is None:
        text = SOURCE[language].format(citation=citation, sections=where)
    else:
        text = OWN_SOURCE[language].format(source=own[language])
    if computed:
        text += (computed if isinstance(computed, Text) else COMPUTED)[language]
    end = "。" if language == "zh" else ". "
    folder = PurePosixPath(link).parent
    workbook = (folder / workbook_name(folder.name, language)).as_posix()
    links = (
        f'<a href="{html.escape(link)}" download>{DOWNLOAD[language]}</a>; '
        f'<a href="{html.escape(workbook)}" download>{WORKBOOK_LINK[language]}</a>'
    )
    if language == "zh":
        data = chinese_name(PurePosixPath(link)).as_posix()
        codebook = (folder / CODEBOOK).as_posix()
        links = (
            f'<a href="{html.escape(data)}" download>{DOWNLOAD[language]}</a>'
            f'（<a href="{html.escape(codebook)}" download>{CODEBOOK_LINK}</a>）；'
            f'<a href="{html.escape(workbook)}" download>{WORKBOOK_LINK[language]}</a>'
        )
    return f'<p class="book-source">{html.escape(text)}{end}{links}</p>'


def show_table(
    context: ChapterContext,
    table: Callable[[Language], pd.DataFrame],
    data: pd.DataFrame,
    name: str,
    title: Text,
    sections: Text | str,
    computed: bool | Text = True,
    *,
    cells_are_markup: bool = False,
    classes: str = "book-table",
    own: Text | None = None,
    folded: bool = False,
) -> None:
    """A titled table in each language, its source under it and its unformatted data as CSV.
    `folded`: shown by its title alone, which opens it (a card's full list of figures).

    `table(language)` is the display frame: headers and words in that language. Its cells are
    text, escaped here, unless `cells_are_markup`: then the caller has escaped each cell's text
    and added its own markup (`<code>`); the headers are escaped either way.
    """
    link = context.save_csv(data, name, title)

    def render(language: Language) -> HTML:
        frame = table(language)
        headers = [str(header) for header in frame.columns]
        if cells_are_markup:
            frame = frame.rename(columns=lambda header: html.escape(str(header)))
        wide = card_layout(frame)
        body = frame.to_html(
            index=False,
            escape=not cells_are_markup,
            border=0,
            classes=f"{classes} {CARDS}" if wide else classes,
            na_rep="–",
        )
        if wide:
            body = with_cell_labels(body, headers, language)
        heading = f"<strong>{html.escape(title[language])}</strong>"
        table_and_source = (
            f'<div class="book-table-wrap">{body}</div>'
            f"{source_line(sections, link, language, computed, own)}"
        )
        if folded:  # its title opens it (the PDFs print it open)
            return HTML(
                f'<details class="{FOLDED}"><summary class="book-title">{heading}'
                f'<span class="book-show">{SHOW[language]}</span>'
                f'<span class="book-hide">{HIDE[language]}</span>'
                f"</summary>{table_and_source}</details>"
            )
        return HTML(f'<p class="book-title">{heading}</p>{table_and_source}')

    show_in_each_language(render)


# A wide table is shown on a phone as one card per row (book_static/book.css): its first cell
# as the card's heading, every other cell under the name of its column.
CARDS = "book-cards"
CARD_COLUMNS = 5  # from this many columns; from 4 when a cell holds a sentence
SENTENCE = 24  # characters


def card_layout(frame: pd.DataFrame) -> bool:
    """Whether a table is too wide for a phone's screen as rows and columns."""
    columns = len(frame.columns)
    if columns >= CARD_COLUMNS:
        return True
    longest = frame.astype(str).map(len).to_numpy().max(initial=0)
    return columns == CARD_COLUMNS - 1 and longest > SENTENCE


def with_cell_labels(table: str, headers: list[str], language: Language) -> str:
    """Each body cell of a pandas HTML table labelled with its column's name (`data-label`),
    which the phone's card layout writes before the value."""
    separator = "：" if language == "zh" else ": "
    labels = [html.escape(header + separator, quote=True) for header in headers]

    def label_row(row: re.Match[str]) -> str:
        cells = iter(labels)
        return re.sub(r"<td>", lambda _: f'<td data-label="{next(cells)}">', row[0])

    head, tag, body = table.partition("<tbody>")
    return head + tag + re.sub(r"<tr>.*?</tr>", label_row, body, flags=re.S)


def image_src(context: ChapterContext, path: Path) -> str:
    """The address of a chart's PNG as the page that shows it finds it: the site publishes a
    chapter's downloads beside its page, in a folder named after the chapter (as its CSV links
    say); a notebook run by hand finds the file from its own folder."""
    if os.environ.get(OUTPUT_DIR_VARIABLE):
        return f"{context.chapter.name}/{path.name}"
    return Path(os.path.relpath(path, Path.cwd())).as_posix()


def show_figure(
    context: ChapterContext,
    figure: Callable[[Language], Figure],
    data: pd.DataFrame,
    name: str,
    sections: Text | str,
    computed: bool = True,
    *,
    alt: Text,
) -> None:
    """A chart in each language (its title, units and source are drawn on it), with `alt` as
    the text that says what it shows, and a link to its data.

    The chart goes on the page as an `<img>` of its PNG with its size on the page (an image
    output of a notebook would get its file name as alt, and show at the PNG's pixels), in a
    Markdown output: the frame of an HTML output scrolls, and would cut the edges of a chart
    that spans a phone's screen."""
    link = context.save_csv(data, name, alt)
    for language in LANGUAGES:
        # chart figures are made without pyplot: nothing to close
        path, size = context.save_figure(figure(language), f"{name}-{language}")
        display(
            Markdown(chart_image(image_src(context, path), alt[language], size)),
            metadata={OUTPUT_LANGUAGE_KEY: language},
        )
        display(
            HTML(source_line(sections, link, language, computed)),
            metadata={OUTPUT_LANGUAGE_KEY: language},
        )


def show_markdown(text: Text) -> None:
    show_in_each_language(lambda language: Markdown(text[language]))


def show_html(markup: Text) -> None:
    show_in_each_language(lambda language: HTML(markup[language]))
