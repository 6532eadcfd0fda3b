"""Building the book: the list of inputs and what each rebuilds (`sources`), executing the
chapters with papermill into a cache, assembling and publishing the site atomically and the
reviewer's `verify` (`build`); the processes that keep libraries imported for it, the zygote
and its kernels (`zygote`, `warm`, `kernels`) and the site server (`sphinx_server`); the
preview (`preview`), scenario runs (`scenarios`) and the PDFs (`pdf`).

Imports: any lower layer; it never imports the chapters' page blocks (`analysis.book`).
"""
