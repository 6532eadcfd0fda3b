"""What a build was made from: the inputs' hashes and the packages' versions."""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

# The inputs of the book, as glob patterns relative to the project folder.
INPUT_PATTERNS = (
    "data/*.csv",
    "data/source/report.txt",
    "parameters/*.yaml",
    "chapters/*.ipynb",
    "src/analysis/*.py",
    "requirements.lock",
    "_config.yml",
    "_toc.yml",
)
PACKAGES = (
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "papermill",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "mplfonts",
    "pydantic",
    "jieba",
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_hashes(root: Path, patterns: tuple[str, ...] = INPUT_PATTERNS) -> dict[str, str]:
    """SHA-256 of every input file, by path relative to the project, sorted."""
    paths = sorted({path for pattern in patterns for path in root.glob(pattern) if path.is_file()})
    return {str(path.relative_to(root)): sha256(path) for path in paths}


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions
