"""Where a chapter runs: the project folder and the folder its downloadable CSVs go to.

The runner tells an executing notebook both through the environment (the kernel inherits it),
so that no path of the machine appears in the published notebooks.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT_VARIABLE = "ANALYSIS_PROJECT_ROOT"
OUTPUT_DIR_VARIABLE = "ANALYSIS_OUTPUT_DIR"


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
