"""Imports the build's processes do without, and the entry point of its Sphinx processes.

jsonschema, which nbformat imports (and with it papermill, myst-nb and Jupyter Book), imports
rfc3987_syntax whenever it is installed (jupyter-events asks for it), only to offer a checker of
the "iri" format: it compiles some forty grammars, about 3 s of CPU in every process that reads
a notebook, five of them in a build. Nothing the build validates uses that format or any format
checker (nbformat validates against Draft 4, which has no "iri"; the book's tools pass no
format checker), so the build's processes leave it out: jsonschema's import of it then fails
as when it is not installed, which jsonschema expects.

    python -m analysis.runner.lean ARGS   # `jupyter-book ARGS`, without those imports
"""

from __future__ import annotations

import os
import sys

UNUSED = ("rfc3987_syntax",)


def leave_out_unused_imports() -> None:
    for name in UNUSED:
        sys.modules.setdefault(name, None)  # None: `import name` raises ImportError


def jupyter_book(argv: list[str]) -> int:
    leave_out_unused_imports()
    from jupyter_book.cli.main import main

    sys.argv = ["jupyter-book", *argv]
    try:
        main()
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    return 0


if __name__ == "__main__":
    code = jupyter_book(sys.argv[1:])
    # The site is written: end without tearing down Sphinx's interpreter (0.1 s a build).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
