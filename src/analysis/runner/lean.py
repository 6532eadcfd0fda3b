"""Imports the build's processes do without, and Jupyter Book's command without them.

jsonschema, which nbformat imports (and with it papermill, myst-nb and Jupyter Book), imports
rfc3987_syntax whenever it is installed (jupyter-events asks for it), only to offer a checker of
the "iri" format: it compiles some forty grammars, about 3 s of CPU in every process that reads
a notebook, five of them in a build. Nothing the build validates uses that format or any format
checker (nbformat validates against Draft 4, which has no "iri"; the book's tools pass no
format checker), so the build's processes leave it out: jsonschema's import of it then fails
as when it is not installed, which jsonschema expects.

`jupyter_book(ARGS)` runs `jupyter-book ARGS` without those imports (the site server,
`analysis.runner.sphinx_server`, runs it in each edition's site build).
"""

from __future__ import annotations

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
