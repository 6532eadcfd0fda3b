"""Every file a build reads, listed once, and what a change to each one rebuilds.

The one list feeds the chapters' cache keys, the site's key, the build record and the copy of
the project that `analysis verify` rebuilds from scratch. Patterns are recursive where a folder
may gain sub-folders (the library's sub-packages, the stylesheet folder), so a file added
anywhere under them is an input without editing this module.

- Shared inputs re-execute every chapter: the data, the report text, the library, the
  environment (lock file and package definition).
- Chapter inputs re-execute their own chapter: its notebook, its parameter file and the files
  its `Chapter.extra_inputs` names (the data appendix shows data/README.md).
- Site inputs rebuild the site without executing anything: Jupyter Book's configuration and
  table of contents, the stylesheet, and the downloads offered as they are committed (the data
  package of the results, beside the results it describes).
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

from analysis.inputs.chapters import CHAPTERS, Chapter

# What the library is made of: its source and the environment it runs in. A zygote that imported
# it (`analysis.runner.warm`) is outdated when one of these changes.
LIBRARY_INPUTS = ("src/analysis/**/*.py", "requirements.lock", "pyproject.toml")
SHARED_INPUTS = ("data/*.csv", "data/source/*", *LIBRARY_INPUTS)
SITE_FILES = ("_config.yml", "_toc.yml", "book_static/**/*")  # copied into the book's source
SITE_DOWNLOADS = ("results/datapackage.json",)  # offered at the same path under the site's root
SITE_INPUTS = (*SITE_FILES, *SITE_DOWNLOADS)

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


def matching(root: Path, patterns: tuple[str, ...]) -> list[Path]:
    """The files under `root` that match any of the patterns, sorted, without caches."""
    found = {
        path
        for pattern in patterns
        for path in root.glob(pattern)
        if path.is_file() and "__pycache__" not in path.parts
    }
    return sorted(found)


def chapter_own_inputs(chapter: Chapter) -> tuple[str, ...]:
    """The files of one chapter alone, relative to the project."""
    own = (chapter.notebook, *chapter.extra_inputs)
    return (*own, chapter.parameter_file) if chapter.parameter_file else own


def chapter_inputs(root: Path, chapter: Chapter) -> list[Path]:
    """The files whose change re-executes this chapter."""
    return sorted({*matching(root, SHARED_INPUTS), *matching(root, chapter_own_inputs(chapter))})


def all_inputs(root: Path) -> list[Path]:
    """Every file a build reads: what the build record lists and `verify` copies."""
    own = tuple(name for chapter in CHAPTERS for name in chapter_own_inputs(chapter))
    return matching(root, (*SHARED_INPUTS, *own, *SITE_INPUTS))


def site_inputs(root: Path) -> list[Path]:
    return matching(root, SITE_INPUTS)


def site_files(root: Path) -> list[Path]:
    return matching(root, SITE_FILES)


def site_downloads(root: Path) -> list[Path]:
    return matching(root, SITE_DOWNLOADS)


def digest_of(root: Path, paths: list[Path]) -> str:
    """One hash over the files' names and contents."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(sha256(path).encode())
    return digest.hexdigest()


def input_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of every input file, by path relative to the project, sorted."""
    return {str(path.relative_to(root)): sha256(path) for path in all_inputs(root)}


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def library_digest(root: Path) -> str:
    """One hash of what a kept process imported (a zygote, a site server): a change to any of
    it needs a new one."""
    return digest_of(root, matching(root, LIBRARY_INPUTS))
