"""The computations, as pure functions on pandas and numpy objects: growth, projection, the
progress methods (Open SDG, UNSD, 时间过半), the assessment table of every series, the relation
checks, the book's results, the audit of the report against itself, and the caveat notes all of
them gather (`notes`).

Imports: `analysis.core` and `analysis.inputs`.
"""
