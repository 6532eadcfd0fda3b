"""Each edition's book source, assembled from the one set of executed notebooks.

A chapter is executed once. Its prose cells carry a language tag (`zh` or `en`) and each of
its generated outputs names its language in the output's metadata; an edition keeps the cells
and outputs of its language and those that have none (code, outputs shown in both). The
configuration of each edition (title, Sphinx language, search language, the link to the other
edition, the captions of the table of contents) is derived from the committed `_config.yml`
and `_toc.yml`, which describe the primary (Chinese) edition.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import yaml

from analysis.core.language import EDITIONS, LANGUAGES, OUTPUT_LANGUAGE_KEY, Edition, Language
from analysis.inputs.chapters import PART_CAPTIONS
from analysis.runner.pdf import PDF_FILES


def cell_language(cell: dict[str, Any]) -> Language | None:
    """The language a cell's tags give it, or None for a cell of both editions."""
    tags = cell.get("metadata", {}).get("tags", [])
    found = [language for language in LANGUAGES if language in tags]
    return found[0] if found else None


def output_language(output: dict[str, Any]) -> Language | None:
    value = output.get("metadata", {}).get(OUTPUT_LANGUAGE_KEY)
    return value if value in LANGUAGES else None


def edition_notebook(notebook: dict[str, Any], language: Language) -> dict[str, Any]:
    """The notebook as one edition shows it: the other language's cells and outputs left out,
    and the sections whose code showed nothing (see `without_empty_sections`)."""
    cells = []
    for cell in notebook["cells"]:
        if cell_language(cell) not in (None, language):
            continue
        if cell["cell_type"] == "code":
            outputs = [o for o in cell["outputs"] if output_language(o) in (None, language)]
            cell = {**cell, "outputs": outputs}
        cells.append(cell)
    return {**notebook, "cells": without_empty_sections(cells)}


def heading_level(cell: dict[str, Any]) -> int:
    """The level of the heading a Markdown cell opens with (after an optional MyST label line),
    0 for a cell that opens with none."""
    if cell["cell_type"] != "markdown":
        return 0
    lines = [line for line in "".join(cell["source"]).splitlines() if line.strip()]
    if lines and lines[0].startswith("(") and lines[0].endswith(")="):
        lines = lines[1:]
    if not lines or not lines[0].startswith("#"):
        return 0
    return len(lines[0]) - len(lines[0].lstrip("#"))


def without_empty_sections(cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cells without the sections a chapter has nothing for: a section (a heading of level
    2 or more and the cells up to the next heading) whose code cells all showed nothing is left
    out, prose and all, so that no page carries an empty heading."""
    kept: list[dict[str, Any]] = []
    section: list[dict[str, Any]] = []

    def close() -> None:
        code = [cell for cell in section[1:] if cell["cell_type"] == "code"]
        if not (code and all(not cell.get("outputs") for cell in code)):
            kept.extend(section)
        section.clear()

    for cell in cells:
        level = heading_level(cell)
        if level:
            if section:
                close()
            if level >= 2:
                section.append(cell)
                continue
        if section:
            section.append(cell)
        else:
            kept.append(cell)
    if section:
        close()
    return kept


def edition_notebook_bytes(executed: bytes, language: Language) -> bytes:
    notebook = edition_notebook(json.loads(executed), language)
    return (json.dumps(notebook, ensure_ascii=False, indent=1) + "\n").encode()


def other_edition(edition: Edition) -> Edition:
    return next(e for e in EDITIONS.values() if e.language != edition.language)


def relative_root(edition: Edition, other: Edition) -> str:
    """The path from the root of one edition to the root of the other ("en/" or "../")."""
    if edition.path == other.path:
        return ""
    down = f"{other.path}/" if other.path else ""
    up = "../" * len(edition.path.split("/")) if edition.path else ""
    return up + down


# The toggle of a hidden code cell (myst-nb writes "Show code cell source" otherwise).
CODE_TOGGLES: dict[Language, tuple[str, str]] = {
    "zh": ("显示代码", "隐藏代码"),
    "en": ("Show code cell {type}", "Hide code cell {type}"),
}


def edition_config(config_text: str, edition: Edition, pdf: bool = False) -> str:
    """`_config.yml` for one edition: its title, languages, the link to the other one and,
    when the build prints the PDFs, the edition's PDF (its pages link to it)."""
    config = yaml.safe_load(config_text)
    other = other_edition(edition)
    config["title"] = edition.title
    config["author"] = edition.author
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx["language"] = edition.sphinx_language
    sphinx["html_search_language"] = edition.language
    show, hide = CODE_TOGGLES[edition.language]
    sphinx["nb_code_prompt_show"], sphinx["nb_code_prompt_hide"] = show, hide
    sphinx["book_edition"] = {
        "lang": edition.html_lang,
        "other_lang": other.html_lang,
        "other_label": other.switch_label,
        "other_root": relative_root(edition, other),
        "pdf": PDF_FILES[edition.language] if pdf else "",
    }
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


class UntranslatedCaption(ValueError):
    """A caption of _toc.yml with no English in `PART_CAPTIONS`."""


def edition_toc(toc_text: str, language: Language) -> str:
    """`_toc.yml` for one edition: the parts' captions in its language."""
    toc = yaml.safe_load(toc_text)
    if language == "en":
        toc = copy.deepcopy(toc)
        for part in toc.get("parts", []):
            caption = part.get("caption")
            if caption is None:
                continue
            if caption not in PART_CAPTIONS:
                raise UntranslatedCaption(
                    f"_toc.yml: caption '{caption}' has no English; add it to PART_CAPTIONS "
                    "(analysis.inputs.chapters)"
                )
            part["caption"] = PART_CAPTIONS[caption]
    return yaml.safe_dump(toc, allow_unicode=True, sort_keys=False)


def prose_problems(notebook: dict[str, Any]) -> list[str]:
    """Why a notebook's prose is not complete in both languages, one message per cell.

    Every Markdown cell is tagged `zh` or `en`, and each Chinese cell is followed by its English
    counterpart, so that each edition has every paragraph.
    """
    problems = []
    cells = notebook["cells"]
    waiting: int | None = None  # the number of a zh cell whose en cell is due
    for number, cell in enumerate(cells, 1):
        if cell["cell_type"] != "markdown":
            continue
        language = cell_language(cell)
        where = f"cell {number} (Markdown)"
        if language is None:
            problems.append(f"{where} has no language tag; tag it 'zh' or 'en'")
        elif language == "zh":
            if waiting is not None:
                problems.append(
                    f"cell {waiting} (Markdown, zh) has no English "
                    "counterpart; add a cell tagged 'en' after it"
                )
            waiting = number
            continue
        elif waiting is None:
            problems.append(
                f"{where} is English with no Chinese before it; add a cell tagged 'zh' before it"
            )
        waiting = None
    if waiting is not None:
        problems.append(
            f"cell {waiting} (Markdown, zh) has no English counterpart; add a "
            "cell tagged 'en' after it"
        )
    return problems
