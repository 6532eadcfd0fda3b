"""Where a chapter runs: the project folder and the folder its downloadable CSVs go to.

The runner tells an executing notebook both through the environment (the kernel inherits it),
so that no path of the machine appears in the published notebooks.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT_VARIABLE = "ANALYSIS_PROJECT_ROOT"
OUTPUT_DIR_VARIABLE = "ANALYSIS_OUTPUT_DIR"
# Set ("1") when the build prints the PDFs: only then is each chart also drawn at print
# resolution, which takes about as long as drawing it for the screen.
PRINT_CHARTS_VARIABLE = "ANALYSIS_PRINT_CHARTS"


def printing_charts() -> bool:
    return os.environ.get(PRINT_CHARTS_VARIABLE) == "1"


# The PDF shows each chart at the size the screen does, drawn with this many times the pixels
# (110 dpi on screen, 220 on paper): sharp in print, where the screen's PNG would look soft.
PRINT_SCALE = 2
PRINT_SUFFIX = ".print.png"


def print_figure_path(path: Path) -> Path:
    """Where the print resolution of the chart at `path` is written (beside it)."""
    return path.with_name(path.stem + PRINT_SUFFIX)


def project_root() -> Path:
    """The project folder: from the runner's environment, else the first parent of the
    working folder that holds data/series.csv."""
    if os.environ.get(PROJECT_ROOT_VARIABLE):
        return Path(os.environ[PROJECT_ROOT_VARIABLE])
    for folder in (Path.cwd(), *Path.cwd().parents):
        if (folder / "data" / "series.csv").is_file():
            return folder
    raise FileNotFoundError("no project folder (with data/series.csv) above the working folder")


def output_root(root: Path) -> Path:
    """Where a chapter writes its downloadable CSVs: the runner's stage, or _build/interactive
    when a notebook is run by hand (never into the project's inputs)."""
    configured = os.environ.get(OUTPUT_DIR_VARIABLE)
    return Path(configured) if configured else root / "_build" / "interactive"
