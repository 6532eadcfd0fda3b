"""The book's inputs, loaded and validated: the data files (`dataset`), the parameter model and
its files (`parameters`), the list of chapters (`chapters`) and where a chapter runs
(`locations`). Every problem in an input becomes one line naming the file, line and column.

Imports: `analysis.core` only.
"""
