"""Building the book: the list of inputs and what each rebuilds (`sources`), executing the
chapters with papermill into a cache, assembling and publishing the site atomically, scenario
runs and the reviewer's `verify` (`build`).

Imports: any lower layer; it never imports the chapters' page blocks (`analysis.book`).
"""
